/**
 * The Web Worker that times the TinyResNet step in Chromium for `npm run bench -- --browser`.
 * Vite bundles it (browser.ts); the page (browser-page.ts) starts it and relays the bench's
 * requests: `init` installs the fast kernels on `threads` threads and builds the step, `time` runs
 * it `reps` times and answers with the milliseconds of each.
 */
import { Rng, describeKernels, useFastKernels } from '../../generated/src/index.ts'
import { tinyTrainingStep } from './tiny-step.ts'

/** What the page asks the worker. */
export type BenchRequest = { type: 'init'; threads: number } | { type: 'time'; reps: number }

/** What the worker answers. */
export type BenchReply =
  | { type: 'ready'; kernels: string; notices: string[]; isolated: boolean }
  | { type: 'times'; ms: number[] }
  | { type: 'error'; message: string }

/** The parts of a dedicated worker's global scope used here (tsconfig's lib is DOM, not WebWorker). */
const scope = self as unknown as { postMessage(reply: BenchReply): void; onmessage: ((event: MessageEvent<BenchRequest>) => void) | null; crossOriginIsolated: boolean }

let step: (() => void) | undefined

scope.onmessage = async (event) => {
  const request = event.data
  try {
    if (request.type === 'init') {
      const notices: string[] = []
      await useFastKernels({ threads: request.threads, notice: (message) => notices.push(message) })
      step = tinyTrainingStep('float32', new Rng(2024))
      scope.postMessage({ type: 'ready', kernels: describeKernels(), notices, isolated: scope.crossOriginIsolated })
    } else {
      if (step === undefined) throw new Error('bench worker: time before init')
      const ms: number[] = []
      for (let r = 0; r < request.reps; r++) {
        const start = performance.now()
        step()
        ms.push(performance.now() - start)
      }
      scope.postMessage({ type: 'times', ms })
    }
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
}
