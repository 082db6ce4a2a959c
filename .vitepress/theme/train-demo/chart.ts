/**
 * The few pieces of plotting the live demo needs, as plain functions of numbers: scales, ticks and
 * SVG path data. The component draws its curves as inline SVG, redrawn after every step, which is
 * lighter than building a figure with the book's plot module (made for figures rendered once).
 */

/** A map from data values to pixels. */
export type Scale = (value: number) => number

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0)
  return (value) => r0 + (value - d0) * k
}

/** Maps [d0, d1] (both > 0) onto [r0, r1] on a logarithmic scale. */
export function logScale([d0, d1]: readonly [number, number], range: readonly [number, number]): Scale {
  const linear = linearScale([Math.log10(d0), Math.log10(d1)], range)
  return (value) => linear(Math.log10(Math.max(value, d0 / 10)))
}

/** Ticks 1, 3, 10, 30 … times powers of ten that fall within [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = []
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 3]) {
      const t = Number((m * 10 ** p).toPrecision(1)) // 0.3, not 0.30000000000000004
      if (t >= lo && t <= hi) ticks.push(t)
    }
  }
  return ticks
}

/** A log-scale domain around `values` (all > 0) that always includes [0.03, 3]: the losses of a run. */
export function lossDomain(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0)
  const lo = Math.min(0.03, ...finite.map((v) => v / 1.3))
  const hi = Math.max(3, ...finite.map((v) => v * 1.3))
  return [lo, hi]
}

/** SVG path data through the points (x, y), skipping non-finite ys. */
export function linePath(points: readonly (readonly [number, number])[], x: Scale, y: Scale): string {
  let path = ''
  let pen = false
  for (const [px, py] of points) {
    if (!Number.isFinite(py)) {
      pen = false
      continue
    }
    path += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`
    pen = true
  }
  return path
}

/** The mean of each value and the `window` − 1 before it (fewer at the start). */
export function trailingMean(values: readonly number[], window: number): number[] {
  const out: number[] = []
  let sum = 0
  values.forEach((v, i) => {
    sum += v
    if (i >= window) sum -= values[i - window]!
    out.push(sum / Math.min(i + 1, window))
  })
  return out
}

/** The median of the last `count` values, or NaN when there are none. */
export function recentMedian(values: readonly number[], count: number): number {
  const recent = [...values.slice(-count)].sort((a, b) => a - b)
  if (recent.length === 0) return NaN
  const middle = recent.length >> 1
  return recent.length % 2 === 1 ? recent[middle]! : (recent[middle - 1]! + recent[middle]!) / 2
}

/** The mean of the values, or NaN when there are none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length
}
