/**
 * Timing for `npm run bench`: the library and its references take turns, a few repetitions at a
 * time, so that both see the same load on a machine shared with other work. A reference's turn
 * ends only once its threads have stopped spinning (see wait_until_quiet in torch_server.py), so
 * that the library's next turn has every core it asked for.
 */
import type { PythonBench } from './python.ts'
import type { Workload, WorkloadContext } from './workloads.ts'

/** Times of one contender: every repetition, and their median and minimum. */
export interface Timing {
  ms: number[]
  medianMs: number
  bestMs: number
}

/** One row of results. */
export interface BenchResult {
  id: string
  group: string
  title: string
  dtype: string
  flops: number | null
  ours: Timing
  torch: Timing | null
  /** numpy: numpy.matmul beside the GEMM rows, the seeds' numpy TinyResNet step beside the TinyResNet rows. */
  numpy: Timing | null
  /** Why a reference is missing, when it is. */
  note?: string
}

/** The median and minimum of `ms`, with `ms` kept. */
export function summarise(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  const medianMs = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { ms, medianMs, bestMs: sorted[0]! }
}

/** Runs `run` `reps` times; the milliseconds of each (what `run` returns, when it times itself). */
function timeLocal(run: () => number | void, reps: number): number[] {
  const ms: number[] = []
  for (let r = 0; r < reps; r++) {
    const start = performance.now()
    const own = run()
    ms.push(typeof own === 'number' ? own : performance.now() - start)
  }
  return ms
}

/** A short pause between contenders, so that one's spinning threads have gone quiet. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

/**
 * Measures one workload: warm-up runs (the engine compiles hot WebAssembly a second time, with
 * its optimising compiler, after the first calls), then `rounds` rounds of: our repetitions and
 * PyTorch's (one turn each, or, for a workload marked oneAtATime, alternating one by one), with
 * numpy's or the seed's repetitions after the turns, spread evenly between them. A host shared
 * with other work slows down for seconds at a time; spread out so, every contender's repetitions
 * span the same stretch of time, and a slow spell cannot fall on one of them alone.
 */
export async function measure(workload: Workload, context: WorkloadContext, options: { rounds: number; quick: boolean; torch: PythonBench | null; numpy: PythonBench | null; seedReps: number }): Promise<BenchResult> {
  const run = workload.timeRemote ? () => {} : workload.setup(context)
  const reps = workload.reps[options.quick ? 1 : 0]
  const rounds = Math.min(options.rounds, workload.rounds ?? options.rounds)
  const ours: number[] = []
  const torch: number[] = []
  const numpy: number[] = []
  const notes: string[] = []
  /** Times a reference `count` times; its first call in the run warms it up first, and notes a failure. */
  const reference = async (python: PythonBench | null, request: Record<string, unknown> | undefined, count: number, first: boolean, into: number[], name: string): Promise<void> => {
    if (python === null || request === undefined) return
    await settle()
    try {
      into.push(...(await python.time(request, count, first ? 1 : 0)))
    } catch (error) {
      if (first) notes.push(`${name}: ${(error as Error).message}`)
    }
  }
  try {
    const time = workload.timeRemote ? (count: number) => workload.timeRemote!(count) : async (count: number) => timeLocal(run, count)
    await time(Math.min(2, reps))
    const numpyReps = workload.numpy?.op === 'seed_step' ? options.seedReps : reps
    for (let round = 0; round < rounds; round++) {
      // the library and PyTorch take turns: all of a round's repetitions each, or one at a time
      const turns = workload.oneAtATime ? reps : 1
      /** numpy's repetitions due before turn `turn`: numpyReps spread evenly over the turns. */
      const numpyDue = (turn: number): number => Math.floor((turn * numpyReps) / turns)
      for (let turn = 0; turn < turns; turn++) {
        ours.push(...(await time(reps / turns)))
        await reference(options.torch, workload.torch, reps / turns, round === 0 && turn === 0, torch, 'PyTorch')
        const due = numpyDue(turn + 1) - numpyDue(turn)
        if (due > 0) await reference(options.numpy, workload.numpy, due, round === 0 && numpyDue(turn) === 0, numpy, 'numpy')
      }
      await settle()
    }
  } finally {
    workload.teardown?.(context)
  }
  return {
    id: workload.id, group: workload.group, title: workload.title, dtype: workload.dtype, flops: workload.flops,
    ours: summarise(ours),
    torch: torch.length > 0 ? summarise(torch) : null,
    numpy: numpy.length > 0 ? summarise(numpy) : null,
    ...(notes.length === 0 ? {} : { note: notes.join('; ') }),
  }
}
