/**
 * Diagnostics: every stage of the tangler reports problems as values, never by throwing,
 * so that one run lists all of them, each at its chapter line.
 */

/** A problem at a place in a chapter, 1-based line and column. */
export interface Diagnostic {
  /** Path relative to the project root, e.g. `chapters/04-convolution.md`. */
  file: string
  line: number
  column: number
  message: string
}

/** `chapters/FILE.md:LINE:COL: error: message`, the format editors and terminals link. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: error: ${d.message}`
}

/** Sorts diagnostics by file, line, column, then message, so output is stable. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  )
}

/** Raised by a stage that cannot go on; carries every diagnostic found so far. */
export class TangleError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n'))
    this.name = 'TangleError'
  }
}
