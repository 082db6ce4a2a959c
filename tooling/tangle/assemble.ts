/**
 * Stage 3, assemble: turn analysed blocks into generated modules, line by line, each line
 * remembering the chapter line it came from (the source map is made from that).
 *
 * - `file=` blocks are appended to their target in book order; a class declared again in a
 *   later block of the same file has its members spliced into the first declaration.
 * - test blocks become one vitest file per chapter, example blocks one module per chapter,
 *   plain snippets one scratch module per chapter (checked, never written).
 * - imports of library names (and, in tests, of vitest's functions) are added; explicit
 *   imports are hoisted and deduplicated.
 */
import { posix } from 'node:path'
import type { AnalysedBlock, Statement } from './analyse.ts'
import type { Diagnostic } from './diagnostics.ts'
import type { CodeBlock } from './parse.ts'

/** Where a generated line came from: a chapter file and 1-based line. */
export interface Origin {
  file: string
  line: number
  chapter: number
}

export interface OutLine {
  text: string
  origin?: Origin
}

export type ModuleRole = 'library' | 'index' | 'test' | 'example' | 'snippet'

/** A module to generate: `path` is relative to `generated/`, e.g. `src/layers/conv2d.ts`. */
export interface GeneratedModule {
  path: string
  role: ModuleRole
  /** The chapters it is made from, in book order. */
  chapters: string[]
  /** Book position of its first block: orders the public index. */
  firstBlock?: CodeBlock
  imports: OutLine[]
  body: OutLine[]
  /** Snippet modules are checked but not written. */
  written: boolean
}

/** A name another module can import: an exported top-level declaration of a library file. */
export interface LibraryExport {
  path: string
  typeOnly: boolean
}

const VITEST_NAMES = new Set(['describe', 'it', 'test', 'expect', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'vi', 'expectTypeOf', 'assert'])

/** The environment variable that makes `slow` tests run (`RUN_SLOW=1 npm test`). */
export const SLOW_TESTS_VARIABLE = 'RUN_SLOW'

interface ClassItem {
  kind: 'class'
  name: string
  head: OutLine[]
  added: OutLine[]
  tail: OutLine[]
  spliceable: boolean
  heritage: string
  declaredAt: Origin
  members: Map<string, { origin: Origin; accessor?: 'get' | 'set' }>
}
type Item = { kind: 'lines'; lines: OutLine[] } | ClassItem

interface Draft {
  module: GeneratedModule
  items: Item[]
  classes: Map<string, ClassItem>
  /** Top-level names declared in this module, with where. */
  declared: Map<string, { origin: Origin; blockKey: string }>
  explicitImports: Set<string>
  importedNames: Set<string>
  blocks: AnalysedBlock[]
}

export interface Assembly {
  modules: GeneratedModule[]
  exports: Map<string, LibraryExport>
}

/** Assembles every module of the book from its analysed blocks (in book order). */
export function assemble(blocks: AnalysedBlock[], diagnostics: Diagnostic[]): Assembly {
  const drafts = new Map<string, Draft>()
  const draftFor = (path: string, role: ModuleRole, block: CodeBlock): Draft => {
    let d = drafts.get(path)
    if (!d) {
      d = {
        module: { path, role, chapters: [], firstBlock: block, imports: [], body: [], written: role !== 'snippet' },
        items: [],
        classes: new Map(),
        declared: new Map(),
        explicitImports: new Set(),
        importedNames: new Set(),
        blocks: [],
      }
      drafts.set(path, d)
    }
    if (!d.module.chapters.includes(block.chapterPath)) d.module.chapters.push(block.chapterPath)
    return d
  }

  for (const analysed of blocks) {
    const { block } = analysed
    if (block.kind === 'nocheck') continue
    const path = modulePath(block)
    const role: ModuleRole = block.kind === 'file' ? 'library' : block.kind === 'snippet' ? 'snippet' : block.kind
    const draft = draftFor(path, role, block)
    draft.blocks.push(analysed)
    addBlock(draft, analysed, diagnostics)
  }

  const exports = collectExports(drafts, diagnostics)
  for (const draft of drafts.values()) {
    draft.module.body = flatten(draft.items)
    draft.module.imports = [...hoistedImports(draft), ...autoImports(draft, exports, diagnostics)]
  }
  const modules = [...drafts.values()].map((d) => d.module)
  modules.push(...indexModules(modules))
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { modules, exports }
}

/** Where a block's code goes, relative to `generated/`. */
export function modulePath(block: CodeBlock): string {
  switch (block.kind) {
    case 'file':
      return block.target!
    case 'test':
      return `tests/${block.slug}.test.ts`
    case 'example':
      return `examples/${block.slug}.ts`
    default:
      return `.snippets/${block.slug}.ts`
  }
}

function origin(block: CodeBlock, blockLine: number): Origin {
  return { file: block.chapterPath, line: block.codeLine + blockLine, chapter: block.chapter }
}

function linesOf(analysed: AnalysedBlock, from: number, to: number): OutLine[] {
  const out: OutLine[] = []
  for (let i = from; i <= to; i++) out.push({ text: analysed.lines[i] ?? '', origin: origin(analysed.block, i) })
  return out
}

function addBlock(draft: Draft, analysed: AnalysedBlock, diagnostics: Diagnostic[]): void {
  const { block, statements } = analysed
  const blockKey = `${block.chapterPath}#${block.index}`
  const report = (line: number, column: number, message: string) =>
    diagnostics.push({ file: block.chapterPath, line: block.codeLine + line, column: column + 1, message })

  // Lines that are moved (imports) or dropped (the wrapper of a class continued from an earlier block).
  const skip = new Set<number>()
  const statementAt = new Map<number, Statement>()
  for (const s of statements) {
    if (s.kind === 'import') {
      for (let i = s.firstLine; i <= s.lastLine; i++) skip.add(i)
      if (!draft.explicitImports.has(s.text)) draft.explicitImports.add(s.text)
      continue
    }
    statementAt.set(s.firstLine, s)
  }

  const items: Item[] = []
  let pending: OutLine[] = []
  const flush = () => {
    if (pending.length) items.push({ kind: 'lines', lines: pending })
    pending = []
  }
  for (let i = 0; i < analysed.lines.length; i++) {
    if (skip.has(i)) continue
    const s = statementAt.get(i)
    if (s?.kind === 'class' && draft.module.role === 'library') {
      const name = s.names[0]!
      const existing = draft.classes.get(name)
      if (existing) {
        mergeClass(existing, analysed, s, report, diagnostics)
        i = s.lastLine
        continue
      }
      declare(draft, name, s, analysed, blockKey, report)
      flush()
      const body = s.classBody!
      const item: ClassItem = {
        kind: 'class',
        name,
        head: linesOf(analysed, s.firstLine, body.closeLine - 1),
        added: [],
        tail: linesOf(analysed, body.closeLine, s.lastLine),
        spliceable: body.spliceable,
        heritage: body.heritage,
        declaredAt: origin(block, s.nameLine),
        members: new Map(),
      }
      for (const m of body.members) addMember(item, m.name, m.accessor, origin(block, m.line), m.column, diagnostics)
      draft.classes.set(name, item)
      items.push(item)
      i = s.lastLine
      continue
    }
    if (s) for (const name of s.names) declare(draft, name, s, analysed, blockKey, report)
    pending.push(...linesOf(analysed, i, i))
  }
  flush()

  trimBlankEdges(items)
  if (items.length === 0) return
  const separator: OutLine[] = draft.items.length ? [{ text: '' }] : []
  if (block.kind === 'example') {
    const marker = `// @example ${block.index} ${block.chapterPath}:${block.fenceLine}${block.slow ? ' slow' : ''}`
    separator.push({ text: marker, origin: { file: block.chapterPath, line: block.fenceLine, chapter: block.chapter } })
  }
  if (block.kind === 'test' && block.slow) {
    const open = `describe.runIf(process.env.${SLOW_TESTS_VARIABLE} === '1')('slow: ${block.chapterPath}:${block.fenceLine}', () => {`
    separator.push({ text: open, origin: { file: block.chapterPath, line: block.fenceLine, chapter: block.chapter } })
    draft.importedNames.add('describe')
    items.push({ kind: 'lines', lines: [{ text: '})', origin: { file: block.chapterPath, line: block.fenceLine, chapter: block.chapter } }] })
  }
  if (separator.length) draft.items.push({ kind: 'lines', lines: separator })
  draft.items.push(...items)
}

function trimBlankEdges(items: Item[]): void {
  const first = items[0]
  if (first?.kind === 'lines') {
    while (first.lines.length && first.lines[0]!.text.trim() === '') first.lines.shift()
    if (!first.lines.length) items.shift()
  }
  const last = items[items.length - 1]
  if (last?.kind === 'lines') {
    while (last.lines.length && last.lines[last.lines.length - 1]!.text.trim() === '') last.lines.pop()
    if (!last.lines.length) items.pop()
  }
}

function declare(
  draft: Draft,
  name: string,
  s: Statement,
  analysed: AnalysedBlock,
  blockKey: string,
  report: (line: number, column: number, message: string) => void,
): void {
  const previous = draft.declared.get(name)
  // Overloads of one function stand together in one block; anything else is a second declaration.
  if (previous && previous.blockKey !== blockKey) {
    report(s.nameLine, s.nameColumn, `"${name}" is already declared at ${previous.origin.file}:${previous.origin.line} (${draft.module.path}); choose another name`)
    return
  }
  if (!previous) draft.declared.set(name, { origin: origin(analysed.block, s.nameLine), blockKey })
}

function addMember(item: ClassItem, name: string, accessor: 'get' | 'set' | undefined, at: Origin, column: number, diagnostics: Diagnostic[]): void {
  const key = accessor ? `${name}:${accessor}` : name
  // A getter and a setter of one name may live apart; anything else declared twice is an error.
  const clash = item.members.get(key) ?? (accessor ? item.members.get(name) : item.members.get(`${name}:get`) ?? item.members.get(`${name}:set`))
  if (clash) {
    diagnostics.push({
      file: at.file,
      line: at.line,
      column: column + 1,
      message: `member "${name}" of class ${item.name} is already declared at ${clash.origin.file}:${clash.origin.line}`,
    })
    return
  }
  item.members.set(key, { origin: at, accessor })
}

function mergeClass(
  target: ClassItem,
  analysed: AnalysedBlock,
  s: Statement,
  report: (line: number, column: number, message: string) => void,
  diagnostics: Diagnostic[],
): void {
  const body = s.classBody!
  if (!target.spliceable) {
    report(s.nameLine, s.nameColumn, `cannot add members to class ${target.name}: its declaration at ${target.declaredAt.file}:${target.declaredAt.line} must end its "{" line and put "}" on a line of its own`)
    return
  }
  if (!body.spliceable) {
    report(s.nameLine, s.nameColumn, `a continued class ${target.name} must end its "{" line and put "}" on a line of its own`)
    return
  }
  if (body.heritage && body.heritage !== target.heritage) {
    report(s.nameLine, s.nameColumn, `class ${target.name} continues with "${body.heritage}", but was declared with "${target.heritage || 'no heritage clause'}"`)
    return
  }
  for (const m of body.members) addMember(target, m.name, m.accessor, origin(analysed.block, m.line), m.column, diagnostics)
  const lines = linesOf(analysed, body.openLine + 1, body.closeLine - 1)
  while (lines.length && lines[0]!.text.trim() === '') lines.shift()
  while (lines.length && lines[lines.length - 1]!.text.trim() === '') lines.pop()
  if (lines.length) target.added.push({ text: '' }, ...lines)
}

function flatten(items: Item[]): OutLine[] {
  const out: OutLine[] = []
  for (const item of items) {
    if (item.kind === 'lines') out.push(...item.lines)
    else out.push(...item.head, ...item.added, ...item.tail)
  }
  return out
}

/** Every exported top-level name of every library file; the same name in two files is an error. */
function collectExports(drafts: Map<string, Draft>, diagnostics: Diagnostic[]): Map<string, LibraryExport> {
  const exports = new Map<string, LibraryExport>()
  const where = new Map<string, { path: string; origin: Origin }>()
  for (const draft of drafts.values()) {
    if (draft.module.role !== 'library') continue
    for (const [name, d] of draft.declared) {
      const other = where.get(name)
      if (other && other.path !== draft.module.path) {
        diagnostics.push({
          file: d.origin.file,
          line: d.origin.line,
          column: 1,
          message: `top-level name "${name}" is also declared in ${other.path} (${other.origin.file}:${other.origin.line}); names must be unique across the library`,
        })
        continue
      }
      where.set(name, { path: draft.module.path, origin: d.origin })
    }
    for (const analysed of draft.blocks) {
      for (const s of analysed.statements) {
        if (!s.exported) continue
        for (const name of s.names) {
          if (where.get(name)?.path === draft.module.path) exports.set(name, { path: draft.module.path, typeOnly: s.typeOnly })
        }
      }
    }
  }
  return exports
}

function hoistedImports(draft: Draft): OutLine[] {
  const out: OutLine[] = []
  const seen = new Set<string>()
  for (const analysed of draft.blocks) {
    for (const s of analysed.statements) {
      if (s.kind !== 'import' || seen.has(s.text)) continue
      seen.add(s.text)
      out.push(...linesOf(analysed, s.firstLine, s.lastLine))
      for (const name of importedNames(s.text)) draft.importedNames.add(name)
    }
  }
  return out
}

/** The local names an import statement binds (enough of the grammar for `import … from`). */
function importedNames(text: string): string[] {
  const names: string[] = []
  const clause = /^import\s+(?:type\s+)?([\s\S]*?)\s+from\s/.exec(text)?.[1] ?? ''
  const braces = /\{([\s\S]*)\}/.exec(clause)?.[1]
  if (braces) for (const part of braces.split(',')) {
    const local = part.trim().split(/\s+as\s+/).pop()?.replace(/^type\s+/, '').trim()
    if (local) names.push(local)
  }
  const namespace = /\*\s+as\s+([\w$]+)/.exec(clause)?.[1]
  if (namespace) names.push(namespace)
  const defaultName = /^([\w$]+)\s*(,|$)/.exec(clause)?.[1]
  if (defaultName && defaultName !== 'type') names.push(defaultName)
  return names
}

/** Imports for the library names (and vitest functions) a module uses but does not declare. */
function autoImports(draft: Draft, exports: Map<string, LibraryExport>, diagnostics: Diagnostic[]): OutLine[] {
  const fromLibrary = new Map<string, { values: Set<string>; types: Set<string> }>()
  const fromVitest = new Set<string>()
  const isTest = draft.module.role === 'test'
  for (const analysed of draft.blocks) {
    for (const [name, at] of analysed.freeNames) {
      if (draft.declared.has(name) || draft.importedNames.has(name)) continue
      const exported = exports.get(name)
      const vitest = isTest && VITEST_NAMES.has(name)
      if (exported && vitest) {
        diagnostics.push({
          file: analysed.block.chapterPath,
          line: analysed.block.codeLine + at.line,
          column: at.column + 1,
          message: `"${name}" is ambiguous: it is both vitest's and the library's (${exported.path}); import one explicitly`,
        })
        continue
      }
      if (vitest) fromVitest.add(name)
      if (!exported || exported.path === draft.module.path) continue
      let entry = fromLibrary.get(exported.path)
      if (!entry) fromLibrary.set(exported.path, (entry = { values: new Set(), types: new Set() }))
      ;(exported.typeOnly ? entry.types : entry.values).add(name)
    }
  }
  if (isTest && draft.importedNames.has('describe') && !draft.declared.has('describe')) fromVitest.add('describe')
  const lines: OutLine[] = []
  const sorted = (s: Set<string>) => [...s].sort().join(', ')
  if (fromVitest.size) lines.push({ text: `import { ${sorted(fromVitest)} } from 'vitest'` })
  for (const path of [...fromLibrary.keys()].sort()) {
    const { values, types } = fromLibrary.get(path)!
    const specifier = relativeSpecifier(draft.module.path, path)
    if (values.size) lines.push({ text: `import { ${sorted(values)} } from '${specifier}'` })
    if (types.size) lines.push({ text: `import type { ${sorted(types)} } from '${specifier}'` })
  }
  return lines
}

/** `./tensor`, `../src/layers/conv2d`: an extensionless relative module specifier. */
export function relativeSpecifier(fromPath: string, toPath: string): string {
  const rel = posix.relative(posix.dirname(fromPath), toPath.replace(/\.ts$/, ''))
  return rel.startsWith('.') ? rel : `./${rel}`
}

/** `src/index.ts` re-exports the browser-safe library; `src/node/index.ts` the Node-only part. */
function indexModules(modules: GeneratedModule[]): GeneratedModule[] {
  const library = modules
    .filter((m) => m.role === 'library')
    .sort((a, b) => a.firstBlock!.chapter - b.firstBlock!.chapter || a.firstBlock!.index - b.firstBlock!.index)
  const make = (path: string, members: GeneratedModule[]): GeneratedModule => ({
    path,
    role: 'index',
    chapters: [...new Set(members.flatMap((m) => m.chapters))],
    imports: [],
    body: members.map((m) => ({ text: `export * from '${relativeSpecifier(path, m.path)}'` })),
    written: true,
  })
  const isNode = (m: GeneratedModule) => m.path.startsWith('src/node/')
  const out: GeneratedModule[] = []
  if (library.some((m) => !isNode(m))) out.push(make('src/index.ts', library.filter((m) => !isNode(m))))
  if (library.some(isNode)) out.push(make('src/node/index.ts', library.filter(isNode)))
  return out
}
