/**
 * The examples' outputs on disk: what `npm run examples` writes and what the book reads.
 *
 * One folder per chapter, written whole or not at all:
 *
 *     generated/outputs/01-why-depth-is-hard/examples.json   text output of each example block
 *     generated/outputs/01-why-depth-is-hard/14-1.svg        first figure shown by block 14
 *
 * Everything here is deterministic: the same run gives the same bytes.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where outputs live, relative to the project root. */
export const OUTPUTS_DIR = 'generated/outputs'
/** The JSON file in each chapter's output folder. */
export const OUTPUTS_FILE = 'examples.json'

/** What one example block printed and showed. */
export interface ExampleOutput {
  /** The block's index among its chapter's TypeScript blocks (as in `CodeBlock.index`). */
  index: number
  /** A hash of the block's code when it ran: the book marks the output stale when the code has changed since. */
  codeHash: string
  /** The block is `slow`: it runs only with `npm run examples -- --slow`. */
  slow: boolean
  /** Everything it printed (console and stdout), as one string. */
  stdout: string
  /** File names of the SVG figures it showed, in order, relative to the chapter's output folder. */
  figures: string[]
}

/** The contents of `examples.json`. */
export interface ChapterOutputs {
  note: string
  /** The chapter's path, e.g. `chapters/01-why-depth-is-hard.md`. */
  chapter: string
  examples: ExampleOutput[]
}

/** A chapter's outputs as loaded for the book: the JSON and the figures' SVG text. */
export interface LoadedOutputs {
  outputs: ChapterOutputs
  /** SVG markup by file name. */
  figures: Map<string, string>
}

/** A short, stable hash of a block's code. */
export function codeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 16)
}

/** The output folder of a chapter, relative to the project root. */
export function chapterOutputDir(slug: string): string {
  return `${OUTPUTS_DIR}/${slug}`
}

/** Serialises a chapter's outputs the one way they are always written: 2-space JSON and a final newline. */
export function formatOutputs(outputs: ChapterOutputs): string {
  return JSON.stringify(outputs, null, 2) + '\n'
}

/** Reads a chapter's outputs, or undefined when the chapter has none (examples never run). */
export function loadOutputs(root: string, slug: string): LoadedOutputs | undefined {
  const dir = join(root, chapterOutputDir(slug))
  const file = join(dir, OUTPUTS_FILE)
  if (!existsSync(file)) return undefined
  const outputs = JSON.parse(readFileSync(file, 'utf8')) as ChapterOutputs
  const figures = new Map<string, string>()
  for (const example of outputs.examples) {
    for (const name of example.figures) {
      const path = join(dir, name)
      if (existsSync(path)) figures.set(name, readFileSync(path, 'utf8'))
    }
  }
  return { outputs, figures }
}

/**
 * Gives every `id` in an SVG a prefix, and rewrites the references to it (`url(#id)`, `href="#id"`),
 * so that many figures can share one page without their ids clashing.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (m) => m[1]!))
  if (ids.size === 0) return svg
  const rename = (id: string) => (ids.has(id) ? prefix + id : id)
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${rename(id)}"`)
}
