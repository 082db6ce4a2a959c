/**
 * The TinyResNet training step that `npm run bench` times, in Node (workloads.ts) and in Chromium
 * (browser-worker.ts) alike: one SGD step (momentum 0.9) on a batch of 32 1×32×32 images, 4 classes,
 * run as chapter 13's fit runs it: in residentStep, which with the TypeScript kernels just calls it.
 */
import { SGD, Tensor, TinyResNet, Rng, crossEntropy, residentStep, type DType } from '../../generated/src/index.ts'

/** A new TinyResNet, as every tiny-step workload builds it. */
export function tinyStepModel(dtype: DType): TinyResNet {
  return new TinyResNet({ dtype, rng: new Rng(1) })
}

/** Builds the network, the optimiser and a batch; returns one training step to time. */
export function tinyTrainingStep(dtype: DType, rng: Rng): () => void {
  const net = tinyStepModel(dtype)
  const sgd = new SGD(net.parameters(), { lr: 0.01, momentum: 0.9 })
  const x = Tensor.randn([32, 1, 32, 32], rng, { dtype })
  const labels = Array.from({ length: 32 }, (_, i) => i % 4)
  return () =>
    residentStep(() => {
      net.zeroGrad()
      const { grad } = crossEntropy(net.forward(x), labels)
      net.backward(grad)
      sgd.step()
    })
}
