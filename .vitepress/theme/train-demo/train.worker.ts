/**
 * The live demo's Web Worker: installs the fast WebAssembly kernels on every core the browser
 * reports (on one thread, after a notice, where the page is not cross-origin isolated), then trains
 * TinyResNet and/or TinyPlainNet on the synthetic line images with the library's own `fit`,
 * seeded as `compareTinyNets` (chapter 13) seeds it, and reports every step to the page.
 *
 * `fit` runs synchronously, so the worker is busy until the run ends: the page stops a run by
 * terminating the worker (which ends the kernels' own worker threads with it) and starting a new one.
 */
import { LINE_CLASSES, Rng, createTinyNet, describeKernels, fit, makeLineImages, predictedClasses, takeExamples, useFastKernels } from '../../../generated/src/index.ts'
import type { TrainRequest, WorkerMessage } from './protocol.ts'

/** The parts of a dedicated worker's global scope used here (the project's lib is DOM, not WebWorker). */
const scope = self as unknown as {
  postMessage(message: WorkerMessage): void
  onmessage: ((event: MessageEvent<TrainRequest>) => void) | null
  crossOriginIsolated: boolean
  navigator: { hardwareConcurrency?: number }
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: { message?: string; reason?: unknown }) => void): void
}

const post = (message: WorkerMessage): void => scope.postMessage(message)
const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error))

scope.addEventListener('error', (event) => post({ type: 'error', message: event.message ?? 'error in the training worker' }))
scope.addEventListener('unhandledrejection', (event) => post({ type: 'error', message: describeError(event.reason) }))

/** Test images shown with their predictions: two of each class. */
const SHOWN_PER_CLASS = 2

const kernelsReady = (async () => {
  const threadsAsked = Math.max(1, scope.navigator.hardwareConcurrency ?? 1)
  const notices: string[] = []
  try {
    await useFastKernels({ threads: threadsAsked, notice: (message) => notices.push(message) })
  } catch (error) {
    // the TypeScript kernels stay in use; say why
    notices.push(`fast kernels: ${describeError(error)}; the TypeScript kernels stay in use`)
  }
  post({ type: 'kernels', description: describeKernels(), notices, isolated: scope.crossOriginIsolated, threadsAsked })
})()

function train(request: TrainRequest): void {
  const started = performance.now()
  const { seed, imageSize, epochs, batchSize } = request
  const dataRng = new Rng(seed)
  const lines = { size: imageSize, rng: dataRng, dtype: 'float32' as const }
  const trainSet = makeLineImages(request.trainSamples, lines)
  const testSet = makeLineImages(request.testSamples, lines)
  const shownIndices = LINE_CLASSES.flatMap((_, k) => [...testSet.labels.keys()].filter((i) => testSet.labels[i] === k).slice(0, SHOWN_PER_CLASS))
  const shown = takeExamples(testSet, shownIndices)
  for (const network of request.networks) {
    const model = createTinyNet(network, { numClasses: LINE_CLASSES.length, dtype: 'float32', rng: new Rng(seed) })
    post({
      type: 'start', network, parameters: model.numParameters(), stepsPerEpoch: Math.ceil(request.trainSamples / batchSize), epochs,
      classNames: [...LINE_CLASSES], imageSize, images: Float32Array.from(shown.inputs.data), labels: [...shown.labels],
    })
    let last = performance.now()
    fit(model, trainSet, {
      epochs, batchSize, weightDecay: 1e-4, rng: new Rng(seed + 1), test: testSet, preciseBatchNorm: true,
      onStep: (s) => {
        const now = performance.now()
        post({ type: 'step', network, epoch: s.epoch, step: s.step, steps: s.steps, loss: s.loss, accuracy: s.accuracy, ms: now - last })
        last = now
      },
      onEpoch: (metrics) => {
        // fit has just recomputed BatchNorm's statistics and evaluated: predict in evaluation mode too
        model.eval()
        const predicted = [...predictedClasses(model.forward(shown.inputs))]
        model.train()
        post({ type: 'epoch', network, metrics, predicted })
        last = performance.now()
      },
    })
  }
  post({ type: 'done', seconds: (performance.now() - started) / 1000 })
}

scope.onmessage = async (event) => {
  try {
    await kernelsReady
    if (event.data.type === 'train') train(event.data)
  } catch (error) {
    post({ type: 'error', message: describeError(error) })
  }
}
