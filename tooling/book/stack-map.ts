/**
 * Stack traces that name chapter lines. Every generated file has a source map back to its chapter;
 * `chapterStack` rewrites each `file.ts:LINE:COL` frame of a stack that has a map into
 * `chapters/NN-slug.md:LINE`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping'

/** A place in a chapter, e.g. `chapters/01-why-depth-is-hard.md:120`. */
export interface ChapterLine {
  file: string
  line: number
}

/** Maps generated positions to chapter lines; caches each file's map. */
export class ChapterMapper {
  private readonly maps = new Map<string, TraceMap | null>()

  /**
   * @param root the project root; chapter paths are given relative to it.
   * @param aliases files whose positions are looked up in another file's map (the runner's
   *   prepared module has the lines of the tangled module it was made from).
   */
  constructor(
    private readonly root: string,
    private readonly aliases: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The chapter line of a 1-based line and column of a generated file, or undefined when it has no map there. */
  lookup(file: string, line: number, column: number): ChapterLine | undefined {
    const target = this.aliases.get(resolve(file)) ?? resolve(file)
    const map = this.load(target)
    if (!map) return undefined
    const position = originalPositionFor(map, { line, column: Math.max(0, column - 1) })
    const found = position.source === null ? originalPositionFor(map, { line, column: 0 }) : position
    if (found.source === null || found.line === null) return undefined
    const source = resolve(dirname(target), found.source)
    return { file: relative(this.root, source).split('\\').join('/'), line: found.line }
  }

  /** Rewrites the frames of `stack` that have a map to name their chapter line instead. */
  chapterStack(stack: string): string {
    return stack.replace(FRAME, (whole, path: string, line: string, column: string) => {
      const place = this.lookup(toPath(path), Number(line), Number(column))
      return place ? `${place.file}:${place.line}` : whole
    })
  }

  /** The first frame of `stack` in `file` (a path), mapped to its chapter line. */
  firstFrameIn(stack: string, file: string): ChapterLine | undefined {
    for (const m of stack.matchAll(FRAME)) {
      if (resolve(toPath(m[1]!)) !== resolve(file)) continue
      const place = this.lookup(file, Number(m[2]), Number(m[3]))
      if (place) return place
    }
    return undefined
  }

  private load(file: string): TraceMap | null {
    if (!this.maps.has(file)) {
      const mapFile = `${file}.map`
      this.maps.set(file, existsSync(mapFile) ? new TraceMap(readFileSync(mapFile, 'utf8')) : null)
    }
    return this.maps.get(file)!
  }
}

/** `/abs/path/file.ts:12:5` or `file:///abs/path/file.ts:12:5` in a stack frame. */
const FRAME = /((?:file:\/\/)?\/[^\s():]+\.[cm]?ts):(\d+):(\d+)/g

function toPath(path: string): string {
  return path.startsWith('file://') ? fileURLToPath(path) : path
}
