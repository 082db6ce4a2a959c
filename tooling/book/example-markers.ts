/**
 * Markers in a tangled examples module, and the module the runner actually runs.
 *
 * `npm run tangle` writes `generated/examples/<slug>.ts`: library imports, then each example block
 * of the chapter preceded by one marker line
 *
 *     // @example 14 chapters/01-why-depth-is-hard.md:120
 *     // @example 15 chapters/01-why-depth-is-hard.md:131 slow
 *
 * The runner replaces each marker by a call that tells it which block is running, so that output and
 * figures can be attributed to their block. Every line keeps its place, so line numbers (and the
 * tangler's source map back to the chapter) stay valid.
 */

/** One `// @example` marker. */
export interface ExampleMarker {
  /** The block's index among its chapter's TypeScript blocks. */
  index: number
  /** `chapters/01-why-depth-is-hard.md` */
  chapterPath: string
  /** 1-based line of the block's opening fence in the chapter. */
  fenceLine: number
  slow: boolean
  /** 1-based line of the marker in the module. */
  line: number
}

const MARKER = /^\/\/ @example (\d+) (\S+\.md):(\d+)((?: \w+)*)\s*$/

/** The name of the global function a prepared module calls at the start of each block. */
export const BLOCK_HOOK = '__bookExample'

/** Finds the markers of an examples module, in order. */
export function findMarkers(source: string): ExampleMarker[] {
  const markers: ExampleMarker[] = []
  source.split('\n').forEach((text, i) => {
    const m = MARKER.exec(text)
    if (!m) return
    const flags = m[4]!.trim().split(/\s+/)
    markers.push({ index: Number(m[1]), chapterPath: m[2]!, fenceLine: Number(m[3]), slow: flags.includes('slow'), line: i + 1 })
  })
  return markers
}

/**
 * Turns an examples module into the module the runner runs: each marker becomes a call to
 * `globalThis.__bookExample(index)`, and the blocks in `skip` (slow ones, when not asked for) are
 * commented out line by line. The result has exactly the lines of the input.
 */
export function prepareExampleModule(source: string, skip: ReadonlySet<number> = new Set()): string {
  let skipping = false
  return source
    .split('\n')
    .map((text) => {
      const m = MARKER.exec(text)
      if (m) {
        const index = Number(m[1])
        skipping = skip.has(index)
        return `;(globalThis as any).${BLOCK_HOOK}?.(${index}${skipping ? ', true' : ''})`
      }
      if (text.startsWith('//# sourceMappingURL=')) skipping = false
      return skipping && text !== '' ? `// ${text}` : text
    })
    .join('\n')
}
