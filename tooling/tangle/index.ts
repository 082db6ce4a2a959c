/**
 * The tangler: chapters → `generated/src` (the library), `generated/tests` (vitest files) and
 * `generated/examples` (one runnable module per chapter), with source maps to the chapter lines.
 *
 * Stages, one module each: parse → analyse → assemble → render → check → write.
 */
import { join } from 'node:path'
import { analyseBlock, type AnalysedBlock } from './analyse.ts'
import { assemble, type GeneratedModule } from './assemble.ts'
import { BookChecker } from './check.ts'
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts'
import { parseBook, type ParsedBook } from './parse.ts'
import { renderModule, type RenderedModule } from './render.ts'
import { differences, foreignTargets, writeTree, type Tree, type WriteResult } from './write.ts'

export { formatDiagnostic, type Diagnostic } from './diagnostics.ts'
export type { Chapter, CodeBlock } from './parse.ts'

export interface TangleOptions {
  /** The project root (holds `chapters/`, `generated/`, `tsconfig.json`). */
  root: string
  /** Run the type-check and book-order pass (default true). */
  typecheck?: boolean
  /** Reuse a checker across runs (watch mode keeps one warm). */
  checker?: BookChecker
  /** Reuse the analysis of blocks that did not change (watch mode keeps one). */
  analysisCache?: Map<string, AnalysedBlock>
}

export interface TangleOutcome {
  book: ParsedBook
  modules: RenderedModule[]
  tree: Tree
  diagnostics: Diagnostic[]
  /** Milliseconds per stage. */
  timings: Record<string, number>
}

/** Computes everything `generated/` should hold, with every problem found; writes nothing. */
export function tangleBook(options: TangleOptions): TangleOutcome {
  const timings: Record<string, number> = {}
  let t = performance.now()
  const lap = (stage: string) => {
    const now = performance.now()
    timings[stage] = Math.round(now - t)
    t = now
  }
  const book = parseBook(options.root)
  const diagnostics = [...book.diagnostics]
  lap('parse')
  const analysed: AnalysedBlock[] = []
  const used = new Set<string>()
  for (const chapter of book.chapters) {
    for (const block of chapter.blocks) {
      if (block.kind === 'nocheck') continue
      const key = JSON.stringify(block)
      used.add(key)
      const cached = options.analysisCache?.get(key)
      const a = cached ?? analyseBlock(block, diagnostics)
      if (a && !cached) options.analysisCache?.set(key, a)
      if (a) analysed.push(a)
    }
  }
  for (const key of options.analysisCache?.keys() ?? []) if (!used.has(key)) options.analysisCache!.delete(key)
  lap('analyse')
  const { modules } = assemble(analysed, diagnostics)
  lap('assemble')
  const rendered = modules.map((m) => renderModule(m))
  const tree: Tree = new Map()
  for (const r of rendered) {
    if (!modules.find((m) => m.path === r.path)!.written) continue
    tree.set(r.path, r.text)
    if (r.map) tree.set(`${r.path}.map`, r.map)
  }
  diagnostics.push(...foreignTargetDiagnostics(join(options.root, 'generated'), tree, modules))
  lap('render')
  // Type errors in code that did not even assemble would only repeat the first problem.
  if (options.typecheck !== false && diagnostics.length === 0) {
    const checker = options.checker ?? new BookChecker(options.root)
    diagnostics.push(...checker.check(rendered))
    lap('typecheck')
  }
  return { book, modules: rendered, tree, diagnostics: sortDiagnostics(dedupe(diagnostics)), timings }
}

function foreignTargetDiagnostics(generatedRoot: string, tree: Tree, modules: GeneratedModule[]): Diagnostic[] {
  return foreignTargets(generatedRoot, tree)
    .filter((path) => !path.endsWith('.map'))
    .map((path) => {
      const block = modules.find((m) => m.path === path)?.firstBlock
      return {
        file: block?.chapterPath ?? 'generated',
        line: block?.fenceLine ?? 1,
        column: 1,
        message: `generated/${path} exists and was not written by the tangler; it will not overwrite it (move the file away or choose another target)`,
      }
    })
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return ds.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export interface TangleRun extends TangleOutcome {
  /** Set when the tree was written (no errors, not a check run). */
  written?: WriteResult
  /** Set for `--check`: what differs between `generated/` and the chapters. */
  stale?: string[]
}

/** Tangles and writes (or, with `check`, compares); on any diagnostic nothing is written. */
export function tangle(options: TangleOptions & { check?: boolean }): TangleRun {
  const outcome = tangleBook(options)
  const generatedRoot = join(options.root, 'generated')
  if (options.check) return { ...outcome, stale: differences(generatedRoot, outcome.tree) }
  if (outcome.diagnostics.length) return outcome
  return { ...outcome, written: writeTree(generatedRoot, outcome.tree) }
}

export { BookChecker }
