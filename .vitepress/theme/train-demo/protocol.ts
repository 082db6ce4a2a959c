/**
 * The messages between the live training demo (TrainTinyNets.vue, on the page) and its Web Worker
 * (train.worker.ts). The worker sends many small messages, one per training step, so that the page
 * draws the curves as they grow; it never waits for the page.
 */
import type { EpochMetrics, TinyNetName } from '../../../generated/src/index.ts'

/** Page → worker: train these networks, one after the other, on freshly generated line images. */
export interface TrainRequest {
  type: 'train'
  networks: TinyNetName[]
  epochs: number
  /** Side of the images in pixels. */
  imageSize: number
  trainSamples: number
  testSamples: number
  batchSize: number
  /** Seeds the data, the initial weights (seed) and the batch order (seed + 1), as compareTinyNets does. */
  seed: number
}

/** Worker → page. */
export type WorkerMessage =
  /** The kernels are installed: describeKernels(), the fallback notices, and whether the page is isolated. */
  | { type: 'kernels'; description: string; notices: string[]; isolated: boolean; threadsAsked: number }
  /** A network starts training; `images` are the test images whose predictions `epoch` messages carry. */
  | { type: 'start'; network: TinyNetName; parameters: number; stepsPerEpoch: number; epochs: number; classNames: string[]; imageSize: number; images: Float32Array; labels: number[] }
  /** One SGD step: its batch's loss and accuracy, and the milliseconds since the previous step ended. */
  | { type: 'step'; network: TinyNetName; epoch: number; step: number; steps: number; loss: number; accuracy: number; ms: number }
  /** An epoch's metrics (test accuracy after recomputing BatchNorm's statistics), and the predictions for the start message's images. */
  | { type: 'epoch'; network: TinyNetName; metrics: EpochMetrics; predicted: number[] }
  | { type: 'done'; seconds: number }
  | { type: 'error'; message: string }
