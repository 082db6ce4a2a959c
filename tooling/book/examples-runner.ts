/**
 * Stage "run examples": runs each chapter's tangled examples module in a child process and turns
 * what the blocks printed and showed into the files of `generated/outputs/<slug>/`.
 *
 * - one child process per chapter (tsx), so a chapter's examples share one module scope and a
 *   chapter cannot disturb another;
 * - an example that throws fails its chapter, named by its chapter line;
 * - `slow` blocks run only when asked; otherwise their earlier output is kept;
 * - a chapter's output folder is replaced whole (written aside, then renamed), or not at all.
 */
import { fork } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseBook, type Chapter, type CodeBlock } from '../tangle/parse.ts'
import { formatDiagnostic } from '../tangle/diagnostics.ts'
import { findMarkers, prepareExampleModule } from './example-markers.ts'
import type { HostBlock, HostResult } from './example-host.ts'
import {
  OUTPUTS_DIR,
  OUTPUTS_FILE,
  chapterOutputDir,
  codeHash,
  formatOutputs,
  loadOutputs,
  prefixSvgIds,
  type ChapterOutputs,
  type ExampleOutput,
} from './outputs.ts'
import { ChapterMapper } from './stack-map.ts'

const HOST = join(dirname(fileURLToPath(import.meta.url)), 'example-host.ts')

/** The outcome of running one chapter's examples. */
export interface ChapterRun {
  slug: string
  /** `chapters/<slug>.md` */
  chapterPath: string
  /** Why the chapter failed, starting with `chapters/<slug>.md:LINE:`; undefined when it succeeded. */
  failure?: string
  /** What the chapter's output folder should hold: file name → contents. Empty when it failed. */
  files: Map<string, string>
  /** Blocks run, blocks skipped (slow), figures shown. */
  ran: number
  skipped: number
  figures: number
  millis: number
}

/** Options of `runChapter`. */
export interface RunChapterOptions {
  /** Run `slow` blocks too. */
  slow?: boolean
}

/** The example blocks of a chapter, in order. */
export function exampleBlocks(chapter: Chapter): CodeBlock[] {
  return chapter.blocks.filter((b) => b.kind === 'example')
}

/** Runs one chapter's examples module and works out its output files (it writes nothing). */
export async function runChapter(root: string, chapter: Chapter, options: RunChapterOptions = {}): Promise<ChapterRun> {
  const started = performance.now()
  const blocks = exampleBlocks(chapter)
  const run: ChapterRun = { slug: chapter.slug, chapterPath: chapter.path, files: new Map(), ran: 0, skipped: 0, figures: 0, millis: 0 }
  const fail = (message: string): ChapterRun => ({ ...run, failure: message, files: new Map(), millis: performance.now() - started })
  const modulePath = join(root, 'generated/examples', `${chapter.slug}.ts`)
  if (!existsSync(modulePath)) return fail(`${chapter.path}:1: generated/examples/${chapter.slug}.ts is missing: run npm run tangle`)
  const source = readFileSync(modulePath, 'utf8')
  const stale = staleMarkers(source, blocks)
  if (stale) return fail(`${chapter.path}:${stale}: generated/examples/${chapter.slug}.ts does not match the chapter: run npm run tangle`)

  const skip = new Set(blocks.filter((b) => b.slow && !options.slow).map((b) => b.index))
  const runFile = join(dirname(modulePath), `.${chapter.slug}.run-${process.pid}.ts`)
  writeFileSync(runFile, prepareExampleModule(source, skip))
  let result: HostResult
  try {
    result = await runHost(root, runFile)
  } catch (error) {
    return fail(`${chapter.path}:1: ${(error as Error).message}`)
  } finally {
    rmSync(runFile, { force: true })
  }
  if (result.error) return fail(describeFailure(root, chapter, blocks, result.error, runFile, modulePath))

  const previous = loadOutputs(root, chapter.slug)
  const ran = new Map(result.blocks.map((b) => [b.index, b]))
  const examples: ExampleOutput[] = []
  const files = new Map<string, string>()
  for (const block of blocks) {
    const hash = codeHash(block.code)
    const output = ran.get(block.index)
    const carried = !output || output.skipped ? carryOver(previous, block, hash) : undefined
    const shown: HostBlock | undefined = output && !output.skipped ? output : carried
    if (!shown) continue
    const names = shown.figures.map((svg, i) => {
      const name = `${block.index}-${i + 1}.svg`
      files.set(name, prefixSvgIds(svg.trimEnd(), `${chapter.slug}-${block.index}-${i + 1}-`) + '\n')
      return name
    })
    examples.push({
      // No fence line here: editing prose above a block must not make its output stale.
      index: block.index,
      codeHash: carried ? carried.codeHash : hash,
      slow: block.slow,
      stdout: shown.stdout,
      figures: names,
    })
    if (!carried) run.ran += 1
    run.figures += names.length
  }
  const outputs: ChapterOutputs = {
    note: `Written by \`npm run examples\` from ${chapter.path}; do not edit.`,
    chapter: chapter.path,
    examples,
  }
  files.set(OUTPUTS_FILE, formatOutputs(outputs))
  run.skipped = blocks.length - run.ran
  return { ...run, files, millis: performance.now() - started }
}

/** The fence line of the first example block whose marker is missing or out of place, if any. */
function staleMarkers(source: string, blocks: readonly CodeBlock[]): number | undefined {
  const markers = findMarkers(source)
  for (const [i, block] of blocks.entries()) {
    const m = markers[i]
    if (!m || m.index !== block.index || m.fenceLine !== block.fenceLine) return block.fenceLine
  }
  return markers.length > blocks.length ? markers[blocks.length]!.fenceLine : undefined
}

/** A skipped block's earlier output, found by its code, with its figures' SVG text. */
function carryOver(previous: ReturnType<typeof loadOutputs>, block: CodeBlock, hash: string): (HostBlock & { codeHash: string }) | undefined {
  const old = previous?.outputs.examples.find((e) => e.codeHash === hash) ?? previous?.outputs.examples.find((e) => e.index === block.index && e.slow)
  if (!old) return undefined
  const figures = old.figures.map((name) => previous!.figures.get(name)).filter((svg): svg is string => svg !== undefined)
  return { index: block.index, skipped: false, stdout: old.stdout, figures, codeHash: old.codeHash }
}

/** Starts the host on a prepared module and waits for its one message. */
function runHost(root: string, runFile: string): Promise<HostResult> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  return new Promise((resolve, reject) => {
    const child = fork(HOST, [runFile], { cwd: root, execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let result: HostResult | undefined
    child.on('message', (message) => (result = message as HostResult))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (result) resolve(result)
      else reject(new Error(`the examples process stopped (${signal ?? `exit code ${code}`}) before it reported`))
    })
  })
}

/** `chapters/01-x.md:LINE: example failed: Error: …`, then the stack with chapter lines. */
function describeFailure(root: string, chapter: Chapter, blocks: readonly CodeBlock[], error: NonNullable<HostResult['error']>, runFile: string, modulePath: string): string {
  const mapper = new ChapterMapper(root, new Map([[runFile, modulePath]]))
  const block = blocks.find((b) => b.index === error.block)
  const place = mapper.firstFrameIn(error.stack, runFile) ?? { file: chapter.path, line: block?.fenceLine ?? 1 }
  const frames = mapper
    .chapterStack(error.stack)
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !line.includes('node:internal') && !line.includes(HOST))
    .map((line) => line.replace(/^\s+/, '    '))
  return [`${place.file}:${place.line}: example failed: ${error.message}`, ...frames].join('\n')
}

/** Differences between a chapter's output folder on disk and `files`: `stale: PATH`, `missing: PATH`, `extra: PATH`. */
export function diffOutputs(root: string, slug: string, files: ReadonlyMap<string, string>): string[] {
  const dir = join(root, chapterOutputDir(slug))
  const problems: string[] = []
  const present = existsSync(dir) ? readdirSync(dir).sort() : []
  for (const [name, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(dir, name)
    if (!existsSync(path)) problems.push(`missing: ${chapterOutputDir(slug)}/${name}`)
    else if (readFileSync(path, 'utf8') !== text) problems.push(`stale: ${chapterOutputDir(slug)}/${name}`)
  }
  for (const name of present) if (!files.has(name)) problems.push(`extra: ${chapterOutputDir(slug)}/${name}`)
  return problems
}

/** Replaces a chapter's output folder with `files`, whole: written aside, then renamed. Returns false when nothing changed. */
export function writeOutputs(root: string, slug: string, files: ReadonlyMap<string, string>): boolean {
  if (diffOutputs(root, slug, files).length === 0) return false
  const dir = join(root, chapterOutputDir(slug))
  const fresh = join(root, OUTPUTS_DIR, `.${slug}.new-${process.pid}`)
  const old = join(root, OUTPUTS_DIR, `.${slug}.old-${process.pid}`)
  rmSync(fresh, { recursive: true, force: true })
  mkdirSync(fresh, { recursive: true })
  for (const [name, text] of files) writeFileSync(join(fresh, name), text)
  if (existsSync(dir)) renameSync(dir, old)
  renameSync(fresh, dir)
  rmSync(old, { recursive: true, force: true })
  return true
}

/** Output folders that belong to no chapter with examples (left by a removed chapter or example). */
export function orphanOutputDirs(root: string, slugs: ReadonlySet<string>): string[] {
  const dir = join(root, OUTPUTS_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && !slugs.has(name) && existsSync(join(dir, name, OUTPUTS_FILE)))
    .sort()
}

/** Options of `runExamples`. */
export interface ExamplesOptions {
  /** The project root. */
  root: string
  /** Run `slow` blocks too. */
  slow?: boolean
  /** Only these chapters (slugs such as `01-why-depth-is-hard`, or numbers such as `1`); all by default. */
  chapters?: readonly string[]
  /** Write nothing; report where `generated/outputs` differs from what this run would write. */
  check?: boolean
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void
}

/** The outcome of `runExamples`: ok is false when an example failed or (with `check`) outputs are stale. */
export interface ExamplesReport {
  ok: boolean
  runs: ChapterRun[]
  /** With `check`: what differs. */
  stale: string[]
}

/** Runs the examples of the book's chapters in book order; writes (or checks) `generated/outputs`. */
export async function runExamples(options: ExamplesOptions): Promise<ExamplesReport> {
  const log = options.log ?? ((line: string) => console.log(line))
  const { chapters, diagnostics } = parseBook(options.root)
  if (diagnostics.length > 0) {
    for (const d of diagnostics) log(formatDiagnostic(d))
    return { ok: false, runs: [], stale: [] }
  }
  const withExamples = chapters.filter((c) => exampleBlocks(c).length > 0)
  const selected = options.chapters?.length ? selectChapters(withExamples, chapters, options.chapters) : withExamples
  const runs: ChapterRun[] = []
  const stale: string[] = []
  for (const chapter of selected) {
    const run = await runChapter(options.root, chapter, { slow: options.slow })
    runs.push(run)
    if (run.failure) {
      log(`✗ ${chapter.slug}  failed after ${seconds(run.millis)}`)
      log(run.failure)
      continue
    }
    let status = ''
    if (options.check) {
      const problems = diffOutputs(options.root, chapter.slug, run.files)
      stale.push(...problems)
      status = problems.length ? `, ${problems.length} stale` : ', up to date'
    } else {
      status = writeOutputs(options.root, chapter.slug, run.files) ? ', written' : ', unchanged'
    }
    const skipped = run.skipped ? `, ${run.skipped} slow skipped` : ''
    log(`✓ ${chapter.slug}  ${plural(run.ran, 'example')}, ${plural(run.figures, 'figure')}${skipped}${status}  ${seconds(run.millis)}`)
  }
  if (!options.chapters?.length) {
    const orphans = orphanOutputDirs(options.root, new Set(withExamples.map((c) => c.slug)))
    for (const name of orphans) {
      if (options.check) stale.push(`extra: ${OUTPUTS_DIR}/${name}`)
      else rmSync(join(options.root, OUTPUTS_DIR, name), { recursive: true, force: true })
    }
  }
  return { ok: runs.every((r) => !r.failure) && stale.length === 0, runs, stale }
}

/** The chapters named by slug or number; an unknown name is an error. */
function selectChapters(withExamples: readonly Chapter[], all: readonly Chapter[], names: readonly string[]): Chapter[] {
  return names.map((name) => {
    const chapter = all.find((c) => c.slug === name || c.slug.startsWith(`${name}-`) || (/^\d+$/.test(name) && c.number === Number(name)))
    if (!chapter) throw new Error(`no chapter "${name}" (known: ${all.map((c) => c.slug).join(', ')})`)
    if (!withExamples.includes(chapter)) throw new Error(`chapter ${chapter.slug} has no example blocks`)
    return chapter
  })
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function seconds(millis: number): string {
  return `${(millis / 1000).toFixed(1)} s`
}
