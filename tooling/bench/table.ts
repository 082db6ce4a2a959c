/** The table `npm run bench` prints: Markdown, so that it reads in a terminal and in the book. */
import type { BenchResult } from './measure.ts'

const gflops = (flops: number | null, ms: number): string => (flops === null ? '' : (flops / ms / 1e6).toFixed(1))
const milliseconds = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2))

/** The results as a Markdown table: medians, GFLOP/s from the medians, and the ratios. */
export function formatTable(results: BenchResult[]): string {
  const header = ['group', 'workload', 'dtype', 'ours ms', 'GFLOP/s', 'PyTorch ms', 'GFLOP/s', 'ours ÷ PyTorch', 'numpy ms', 'numpy ÷ ours']
  const rows = results.map((r) => [
    r.group,
    r.title,
    r.dtype,
    milliseconds(r.ours.medianMs),
    gflops(r.flops, r.ours.medianMs),
    r.torch ? milliseconds(r.torch.medianMs) : '',
    r.torch ? gflops(r.flops, r.torch.medianMs) : '',
    r.torch ? (r.ours.medianMs / r.torch.medianMs).toFixed(2) : '',
    r.numpy ? milliseconds(r.numpy.medianMs) : '',
    r.numpy ? (r.numpy.medianMs / r.ours.medianMs).toFixed(2) : '',
  ])
  const numeric = header.map((_, i) => i >= 3)
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}
