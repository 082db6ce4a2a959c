import { describe, expect, it } from 'vitest'
import { measure, summarise } from './measure.ts'
import type { PythonBench } from './python.ts'
import type { Workload } from './workloads.ts'

/** A stand-in for a Python server that logs each call and answers with `ms` per repetition. */
function fakeReference(name: string, log: string[], ms: number): PythonBench {
  return {
    time: async (_request: Record<string, unknown>, count: number, warmup: number) => {
      log.push(`${name}×${count}${warmup > 0 ? ' (warm-up)' : ''}`)
      return Array.from({ length: count }, () => ms)
    },
  } as unknown as PythonBench
}

/** A workload whose runs only log themselves. */
function loggingWorkload(log: string[], overrides: Partial<Workload>): Workload {
  return {
    id: 'test', group: 'network', title: 'test', dtype: 'float32', flops: null,
    setup: () => () => { log.push('ours') },
    torch: { op: 'tiny_step' }, numpy: { op: 'seed_step' }, reps: [10, 3],
    ...overrides,
  }
}

describe('measure', () => {
  it('spreads the seed\'s numpy steps evenly between the one-at-a-time turns, so that all see the same stretch of time', async () => {
    const log: string[] = []
    const result = await measure(loggingWorkload(log, { oneAtATime: true }), { fast: null },
      { rounds: 1, quick: false, torch: fakeReference('torch', log, 2), numpy: fakeReference('numpy', log, 20), seedReps: 3 })
    const timed = log.slice(2) // the two warm-up runs of ours come first
    expect(log.slice(0, 2)).toEqual(['ours', 'ours'])
    expect(timed.slice(0, 2)).toEqual(['ours', 'torch×1 (warm-up)'])
    expect(timed.filter((entry) => entry.startsWith('numpy'))).toEqual(['numpy×1 (warm-up)', 'numpy×1', 'numpy×1'])
    // numpy after turns 4, 7 and 10 of 10: ⌊3t/10⌋ of its steps are due by turn t
    const turnOf = (index: number): number => timed.slice(0, index).filter((entry) => entry === 'ours').length
    expect(timed.flatMap((entry, index) => (entry.startsWith('numpy') ? [turnOf(index)] : []))).toEqual([4, 7, 10])
    expect(result.ours.ms).toHaveLength(10)
    expect(result.torch?.ms).toHaveLength(10)
    expect(result.numpy?.medianMs).toBe(20)
  })

  it('runs the numpy reference after both turns of a workload timed in blocks', async () => {
    const log: string[] = []
    await measure(loggingWorkload(log, { numpy: { op: 'gemm' }, reps: [4, 2] }), { fast: null },
      { rounds: 2, quick: false, torch: fakeReference('torch', log, 2), numpy: fakeReference('numpy', log, 1), seedReps: 3 })
    const blocks = log.slice(2).join(' ').replace(/(ours ?){4}/g, 'ours×4 ').trim().split(/ (?=[a-z])/)
    expect(blocks).toEqual(['ours×4', 'torch×4 (warm-up)', 'numpy×4 (warm-up)', 'ours×4', 'torch×4', 'numpy×4'])
  })

  it('keeps the time a run reports for itself (the part of its work the row is about)', async () => {
    const result = await measure(loggingWorkload([], { setup: () => () => 0.25, torch: undefined, numpy: undefined, reps: [3, 1] }), { fast: null },
      { rounds: 1, quick: false, torch: null, numpy: null, seedReps: 1 })
    expect(result.ours.ms).toEqual([0.25, 0.25, 0.25])
  })
})

describe('summarise', () => {
  it('gives the median (the mean of the middle two for an even count) and the best', () => {
    expect(summarise([5, 1, 3])).toMatchObject({ medianMs: 3, bestMs: 1 })
    expect(summarise([4, 1, 3, 10])).toMatchObject({ medianMs: 3.5, bestMs: 1 })
  })
})
