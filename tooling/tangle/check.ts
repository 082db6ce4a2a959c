/**
 * Stage 6, check: type-check every generated module together, and check that the book reads in
 * order: no chapter uses a name that only a later chapter defines. Every problem is reported at
 * its chapter line through the modules' line origins.
 *
 * The modules are checked in memory (nothing is written first), with the compiler that ts-morph
 * ships. A checker kept across runs is incremental, as `tsc --watch` is: after an edit only the
 * files the edit can affect are checked again.
 */
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { ts } from 'ts-morph'
import type { Diagnostic } from './diagnostics.ts'
import type { RenderedModule } from './render.ts'

const LIB_DIR = dirname(createRequire(import.meta.url).resolve('typescript/lib/lib.d.ts'))

interface Module {
  rendered: RenderedModule
  source: ts.SourceFile
}

export class BookChecker {
  private readonly options: ts.CompilerOptions
  private readonly generatedRoot: string
  private readonly modules = new Map<string, Module>()
  /** Library declaration files (lib.*.d.ts, @types) parsed once per checker. */
  private readonly external = new Map<string, ts.SourceFile | undefined>()
  private builder?: ts.SemanticDiagnosticsBuilderProgram
  private readonly orderProblems = new Map<string, Diagnostic[]>()
  private edits = 0

  constructor(root: string, private readonly generatedDir = 'generated') {
    const configPath = join(root, 'tsconfig.json')
    const config = ts.readConfigFile(configPath, ts.sys.readFile)
    this.options = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath)).options
    this.options.noEmit = true
    this.generatedRoot = join(root, generatedDir) + sep
  }

  /** Type errors and forward references in the given modules, at their chapter lines. */
  check(rendered: RenderedModule[]): Diagnostic[] {
    const changed = this.update(rendered)
    this.builder = ts.createSemanticDiagnosticsBuilderProgram([...this.modules.keys()], this.options, this.host(), this.builder)
    const program = this.builder.getProgram()
    // Files an edit can affect: their text changed, or what they import changed shape.
    const affected = new Set(changed)
    for (;;) {
      const next = this.builder.getSemanticDiagnosticsOfNextAffectedFile()
      if (!next) break
      if ('fileName' in next.affected) affected.add(next.affected.fileName)
      else for (const f of this.modules.keys()) affected.add(f)
    }
    const diagnostics: Diagnostic[] = []
    for (const [file, module] of this.modules) {
      const sf = program.getSourceFile(file)
      if (!sf) continue
      for (const d of [...program.getSyntacticDiagnostics(sf), ...this.builder.getSemanticDiagnostics(sf)]) {
        const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ')}`
        diagnostics.push(this.locate(module.rendered, sf, d.start ?? 0, message))
      }
      if (affected.has(file) || !this.orderProblems.has(file)) this.orderProblems.set(file, forwardReferences(program, sf, module.rendered, this.modules))
      diagnostics.push(...this.orderProblems.get(file)!)
    }
    return diagnostics
  }

  /** Takes the new modules in; returns the files whose text changed. */
  private update(rendered: RenderedModule[]): string[] {
    const changed: string[] = []
    const current = new Set<string>()
    for (const r of rendered) {
      const file = this.generatedRoot + r.path.split('/').join(sep)
      current.add(file)
      const old = this.modules.get(file)
      if (old && old.source.text === r.text) {
        old.rendered = r
        continue
      }
      changed.push(file)
      const source = ts.createSourceFile(file, r.text, this.options.target ?? ts.ScriptTarget.ES2022, true)
      setVersion(source, String(++this.edits))
      this.modules.set(file, { rendered: r, source })
    }
    for (const file of [...this.modules.keys()]) {
      if (!current.has(file)) {
        this.modules.delete(file)
        this.orderProblems.delete(file)
      }
    }
    return changed
  }

  /** A compiler host that sees our modules in place of whatever `generated/` holds on disk. */
  private host(): ts.CompilerHost {
    const host = ts.createCompilerHost(this.options, true)
    // ts-morph's compiler keeps its lib.*.d.ts in memory; read them from the typescript package.
    host.getDefaultLibLocation = () => LIB_DIR
    host.getDefaultLibFileName = (options) => join(LIB_DIR, ts.getDefaultLibFileName(options))
    const ours = (file: string) => file.startsWith(this.generatedRoot)
    const getSourceFile = host.getSourceFile.bind(host)
    host.getSourceFile = (file, languageVersion) => {
      if (ours(file)) return this.modules.get(file)?.source
      if (!this.external.has(file)) {
        const source = getSourceFile(file, languageVersion)
        if (source) setVersion(source, 'external')
        this.external.set(file, source)
      }
      return this.external.get(file)
    }
    const fileExists = host.fileExists.bind(host)
    host.fileExists = (file) => (ours(file) ? this.modules.has(file) : fileExists(file))
    // generated/ may not exist yet on disk: its folders are those of our modules.
    const directoryExists = host.directoryExists?.bind(host)
    host.directoryExists = (dir) => {
      const prefix = dir.endsWith(sep) ? dir : dir + sep
      if (ours(prefix) || prefix === this.generatedRoot) return [...this.modules.keys()].some((f) => f.startsWith(prefix))
      return directoryExists ? directoryExists(dir) : true
    }
    const readFile = host.readFile.bind(host)
    host.readFile = (file) => (ours(file) ? this.modules.get(file)?.source.text : readFile(file))
    return host
  }

  private locate(module: RenderedModule, sf: ts.SourceFile, position: number, message: string): Diagnostic {
    const { line, character } = sf.getLineAndCharacterOfPosition(position)
    const origin = module.lines[line]?.origin
    if (origin) return { file: origin.file, line: origin.line, column: character + 1, message }
    return { file: `${this.generatedDir}/${module.path}`, line: line + 1, column: character + 1, message }
  }
}

/** The builder program tells changed files by a version the compiler API leaves to its hosts. */
function setVersion(source: ts.SourceFile, version: string): void {
  ;(source as unknown as { version: string }).version = version
}

/** Names used in chapter k, in one file, whose declaration comes from a chapter after k. */
function forwardReferences(program: ts.Program, sf: ts.SourceFile, module: RenderedModule, modules: Map<string, Module>): Diagnostic[] {
  const checker = program.getTypeChecker()
  const diagnostics: Diagnostic[] = []
  const reported = new Set<string>()
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf))
      const use = module.lines[line]?.origin
      if (use && !reported.has(node.text)) {
        const later = laterDeclaration(checker, node, use.chapter, modules)
        if (later) {
          reported.add(node.text)
          diagnostics.push({
            file: use.file,
            line: use.line,
            column: character + 1,
            message: `"${node.text}" is defined in a later chapter (${later.file}:${later.line}); the book must read in order, so chapter ${use.chapter} cannot use it`,
          })
        }
      }
    }
    node.forEachChild(visit)
  }
  visit(sf)
  return diagnostics
}

function laterDeclaration(checker: ts.TypeChecker, id: ts.Identifier, chapter: number, modules: Map<string, Module>) {
  let symbol = checker.getSymbolAtLocation(id)
  if (!symbol) return undefined
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  for (const declaration of symbol.declarations ?? []) {
    const sf = declaration.getSourceFile()
    const module = modules.get(sf.fileName)
    if (!module) continue
    const line = sf.getLineAndCharacterOfPosition(declaration.getStart(sf)).line
    const origin = module.rendered.lines[line]?.origin
    if (origin && origin.chapter > chapter) return origin
  }
  return undefined
}
