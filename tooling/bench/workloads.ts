/**
 * What `npm run bench` times: each workload builds its inputs once and returns the function to
 * time, says how many floating-point operations one run does, and names the same work for PyTorch
 * (a request to torch_server.py) where PyTorch can do it. The layers and networks run as a
 * training step runs them, in a residentStep on data already in the kernels' memory, as PyTorch's
 * tensors are in its own.
 */
import {
  BatchNorm2D, Conv2D, Tensor, Rng, gemm, gemmBlocked, resnet18, residentStep,
  lanesOf, emitMicroKernel, WasmModule, tileOf, installFastKernels, type FastKernels, type DType,
} from '../../generated/src/index.ts'
import type { BrowserBench } from './browser.ts'
import { tinyStepModel, tinyTrainingStep } from './tiny-step.ts'

export type WorkloadGroup = 'GEMM' | 'Conv2D' | 'BatchNorm' | 'network' | 'micro-kernel'

export interface Workload {
  /** Short stable id, e.g. gemm-512-nn-f32 (what --only matches, and the JSON key). */
  id: string
  group: WorkloadGroup
  /** What the table shows, e.g. "512×512×512, A·B". */
  title: string
  dtype: DType
  /** Floating-point operations of one run, or null where counting them makes no sense (BatchNorm). */
  flops: number | null
  /**
   * Builds the inputs (and switches kernels if it must); returns the function to time. One that
   * returns a number has timed itself (the part of its work the row is about), in milliseconds.
   */
  setup(context: WorkloadContext): () => number | void
  /** Undoes what setup switched (e.g. puts the fast kernels back). */
  teardown?(context: WorkloadContext): void
  /** The same work for torch_server.py under PyTorch, or none. */
  torch?: Record<string, unknown>
  /** The same work (or, for the TinyResNet rows, the seeds' numpy step) for torch_server.py under numpy, or none. */
  numpy?: Record<string, unknown>
  /** Repetitions per round: [full run, --quick]. */
  reps: [number, number]
  /** Rounds, when fewer than the run's (a slow reference needs only one). */
  rounds?: number
  /**
   * Alternate with PyTorch one repetition at a time instead of in turns of `reps`: for the training
   * steps, whose turns would last seconds, so that both see the same moments of a shared machine's load.
   */
  oneAtATime?: boolean
  /** Times `reps` runs somewhere else (in a browser), in milliseconds each; used instead of setup's function. */
  timeRemote?(reps: number): Promise<number[]>
}

export interface WorkloadContext {
  /** The fast kernels in use (null: the TypeScript kernels). */
  fast: FastKernels | null
}

const rng = new Rng(2024)

/**
 * Times a layer as a training step runs it: in one residentStep, on `inputs` made resident first
 * (where PyTorch's tensors are in its memory too). `prepare` gets the resident inputs, does any
 * untimed work (a backward row's forward pass) and returns the work to time; the milliseconds of
 * that. Without the fast kernels, it runs on the inputs as they are.
 */
function timedInResidentStep(fast: FastKernels | null, inputs: Tensor[], prepare: (resident: Tensor[]) => () => unknown): number {
  return residentStep(() => {
    const timed = prepare(inputs.map((x) => fast?.resident(x) ?? x))
    const start = performance.now()
    timed()
    return performance.now() - start
  })
}

function gemmWorkload(m: number, n: number, k: number, transA: boolean, transB: boolean, dtype: DType, note: string): Workload {
  const ops = `${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`
  return {
    id: `gemm-${m}x${n}x${k}-${transA ? 't' : 'n'}${transB ? 't' : 'n'}-${dtype === 'float32' ? 'f32' : 'f64'}`,
    group: 'GEMM',
    title: `${m}×${n}×${k}, ${ops}${note ? ` (${note})` : ''}`,
    dtype,
    flops: 2 * m * n * k,
    setup: () => {
      const a = Tensor.randn([m * k], rng, { dtype }).data
      const b = Tensor.randn([k * n], rng, { dtype }).data
      const c = Tensor.zeros([m * n], dtype).data
      return () => gemm({ m, n, k, a, b, c, transA, transB })
    },
    torch: { op: 'gemm', m, n, k, transA, transB, dtype },
    numpy: { op: 'numpy_gemm', m, n, k, transA, transB, dtype },
    reps: [10, 4],
  }
}

/** The TypeScript gemm of chapter 4, for comparison. */
function blockedGemmWorkload(size: number, dtype: DType): Workload {
  return {
    id: `gemm-blocked-${size}-${dtype === 'float32' ? 'f32' : 'f64'}`,
    group: 'GEMM',
    title: `${size}³, A·B, TypeScript gemmBlocked`,
    dtype,
    flops: 2 * size ** 3,
    setup: () => {
      const a = Tensor.randn([size * size], rng, { dtype }).data
      const b = Tensor.randn([size * size], rng, { dtype }).data
      const c = Tensor.zeros([size * size], dtype).data
      return () => gemmBlocked({ m: size, n: size, k: size, a, b, c })
    },
    reps: [2, 1],
    rounds: 1,
  }
}

/** A convolution's forward (backward: false) or backward (dx and dW) pass, without bias. */
function convWorkload(shape: [number, number, number, number], cout: number, k: number, stride: number, pad: number, backward: boolean, note: string): Workload {
  const [N, C, H, W] = shape
  const dtype: DType = 'float32'
  const hout = Math.floor((H + 2 * pad - k) / stride) + 1
  const wout = Math.floor((W + 2 * pad - k) / stride) + 1
  const macs = N * cout * hout * wout * C * k * k
  return {
    id: `conv-${N}x${C}x${H}-${cout}-k${k}s${stride}-${backward ? 'bwd' : 'fwd'}`,
    group: 'Conv2D',
    title: `${backward ? 'backward (dx, dW)' : 'forward'}: ${C}→${cout}, ${k}×${k}/${stride}, ${N}×${C}×${H}×${W}${note ? ` (${note})` : ''}`,
    dtype,
    flops: (backward ? 4 : 2) * macs,
    setup: ({ fast }) => {
      const conv = new Conv2D(C, cout, k, { stride, padding: pad, bias: false, dtype, rng })
      const x = Tensor.randn(shape, rng, { dtype })
      const dy = Tensor.randn(conv.forward(x).shape, rng, { dtype })
      // a layer inside a training step: inputs already in the heap, the forward pass's staging kept for the backward pass
      return () => timedInResidentStep(fast, [x, dy], ([x, dy]) => {
        if (!backward) return () => conv.forward(x!)
        conv.forward(x!)
        return () => conv.backward(dy!)
      })
    },
    torch: { op: backward ? 'conv_bwd' : 'conv_fwd', shape, cout, k, stride, pad, dtype },
    reps: [10, 4],
  }
}

function batchNormWorkload(shape: [number, number, number, number]): Workload {
  const dtype: DType = 'float32'
  return {
    id: `bn-${shape.join('x')}`,
    group: 'BatchNorm',
    title: `forward + backward, training, ${shape.join('×')}`,
    dtype,
    flops: null,
    setup: ({ fast }) => {
      const bn = new BatchNorm2D(shape[1], { dtype })
      const x = Tensor.randn(shape, rng, { dtype })
      const dy = Tensor.randn(shape, rng, { dtype })
      return () => timedInResidentStep(fast, [x, dy], ([x, dy]) => () => {
        bn.forward(x!)
        bn.backward(dy!)
      })
    },
    torch: { op: 'bn', shape, dtype },
    reps: [10, 4],
  }
}

/** One SGD step (momentum 0.9) of TinyResNet on a batch of 32 1×32×32 images, 4 classes (see tiny-step.ts). */
function tinyStepWorkload(dtype: DType, kernels: 'fast' | 'typescript'): Workload {
  const macs = tinyStepModel(dtype).cost(32, 32).macs * 32
  return {
    id: `tinyresnet-step-${dtype === 'float32' ? 'f32' : 'f64'}${kernels === 'typescript' ? '-typescript' : ''}`,
    group: 'network',
    title: `TinyResNet training step, batch 32${kernels === 'typescript' ? ', TypeScript kernels' : ''}`,
    dtype,
    flops: tinyStepFlops(macs),
    setup: () => {
      if (kernels === 'typescript') installFastKernels(null)
      return tinyTrainingStep(dtype, rng)
    },
    teardown: (context) => installFastKernels(context.fast),
    torch: kernels === 'fast' ? { op: 'tiny_step', dtype } : undefined,
    numpy: kernels === 'fast' ? { op: 'seed_step' } : undefined,
    reps: kernels === 'fast' ? (dtype === 'float32' ? [10, 3] : [4, 2]) : [1, 1],
    rounds: kernels === 'fast' ? undefined : 1,
    oneAtATime: true,
  }
}

/** Floating-point operations of a training step: the forward pass, and a backward pass of about twice its work. */
const tinyStepFlops = (forwardMacs: number): number => 3 * 2 * forwardMacs

/**
 * The float32 TinyResNet step of tinyStepWorkload, run in headless Chromium (`--browser`): timed
 * in a Web Worker of a cross-origin isolated page, with the fast kernels on the same threads.
 */
export function browserTinyStepWorkload(browser: BrowserBench): Workload {
  return {
    id: 'tinyresnet-step-f32-chromium',
    group: 'network',
    title: `TinyResNet training step, batch 32, in Chromium ${browser.info.version.split('.')[0]}`,
    dtype: 'float32',
    flops: tinyStepFlops(tinyStepModel('float32').cost(32, 32).macs * 32),
    setup: () => () => {
      throw new Error('the Chromium row is timed in the browser (timeRemote)')
    },
    timeRemote: (reps) => browser.time(reps),
    torch: { op: 'tiny_step', dtype: 'float32' },
    reps: [10, 3],
    oneAtATime: true,
  }
}

function resnet18Workload(): Workload {
  const dtype: DType = 'float32'
  let macs = 0
  return {
    id: 'resnet18-forward-f32',
    group: 'network',
    title: 'ResNet-18 forward, 1×3×224×224, evaluation mode',
    dtype,
    get flops() {
      return macs === 0 ? null : 2 * macs
    },
    setup: () => {
      const net = resnet18({ dtype, rng: new Rng(3) }).eval()
      macs = net.cost(224, 224).macs
      const x = Tensor.randn([1, 3, 224, 224], rng, { dtype })
      // outputs left in the heap, as a step's are: the next layer reads each where it was written
      return () => void residentStep(() => net.forward(x))
    },
    torch: { op: 'resnet18_fwd', dtype },
    reps: [5, 2],
  }
}

/**
 * The micro-kernel alone, on panels that stay in the L1 cache: the ceiling the larger kernels
 * approach. One call computes a 4×8 (float32) or 4×4 (float64) tile over kc = 256 steps.
 */
function microKernelWorkload(dtype: DType, fma: () => boolean, unroll = 1): Workload {
  const kc = 256
  const calls = 4000
  const { mr, nr } = tileOf(dtype)
  return {
    id: `micro-kernel-${dtype === 'float32' ? 'f32' : 'f64'}${unroll === 1 ? '' : `-unroll${unroll}`}`,
    group: 'micro-kernel',
    title: `${mr}×${nr} tile, kc = ${kc}, panels in L1, ${calls} calls${unroll === 1 ? '' : `, k loop unrolled ×${unroll}`}`,
    dtype,
    flops: 2 * mr * nr * kc * calls,
    setup: () => {
      const module = new WasmModule({ initial: 2, maximum: 2, shared: false })
      module.add(emitMicroKernel(lanesOf(dtype, fma()), false, 'micro', unroll))
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 })
      const instance = new WebAssembly.Instance(new WebAssembly.Module(module.toBytes()), { env: { memory } })
      const micro = instance.exports.micro as (...args: number[]) => void
      new Float32Array(memory.buffer).fill(0.5)
      const bytes = dtype === 'float32' ? 4 : 8
      // A panel at 0, B panel after it, C tile after that
      const b = kc * mr * bytes
      const c = b + kc * nr * bytes
      return () => {
        for (let i = 0; i < calls; i++) micro(kc, 0, b, 0, 0, c, nr * bytes, 0)
      }
    },
    reps: [10, 4],
  }
}

/**
 * Every workload, in table order. `fma` says whether the installed kernels use relaxed SIMD; with
 * `browser`, the float32 TinyResNet step is also timed in Chromium, in the row after Node's.
 */
export function workloads(fma: () => boolean, browser?: BrowserBench): Workload[] {
  return [
    microKernelWorkload('float32', fma),
    microKernelWorkload('float32', fma, 4),
    microKernelWorkload('float64', fma),
    gemmWorkload(512, 512, 512, false, false, 'float32', ''),
    gemmWorkload(512, 512, 512, false, false, 'float64', ''),
    blockedGemmWorkload(512, 'float32'),
    blockedGemmWorkload(512, 'float64'),
    // im2col shapes of ResNet-18's layer2 (128→128, 3×3, 28×28): forward W·cols, dx Wᵀ·dY, dW dY·colsᵀ
    gemmWorkload(128, 784, 1152, false, false, 'float32', 'conv forward'),
    gemmWorkload(1152, 784, 128, true, false, 'float32', 'conv dx'),
    gemmWorkload(128, 1152, 784, false, true, 'float32', 'conv dW'),
    gemmWorkload(1152, 784, 128, true, false, 'float64', 'conv dx'),
    gemmWorkload(128, 1152, 784, false, true, 'float64', 'conv dW'),
    convWorkload([32, 16, 32, 32], 16, 3, 1, 1, false, 'TinyResNet layer1'),
    convWorkload([32, 16, 32, 32], 16, 3, 1, 1, true, 'TinyResNet layer1'),
    convWorkload([32, 16, 32, 32], 32, 3, 2, 1, false, 'TinyResNet layer2.0'),
    convWorkload([32, 16, 32, 32], 32, 3, 2, 1, true, 'TinyResNet layer2.0'),
    convWorkload([32, 32, 16, 16], 32, 3, 1, 1, false, 'TinyResNet layer2'),
    convWorkload([32, 32, 16, 16], 32, 3, 1, 1, true, 'TinyResNet layer2'),
    convWorkload([1, 64, 56, 56], 64, 3, 1, 1, false, 'ResNet-18 layer1'),
    convWorkload([1, 64, 56, 56], 64, 3, 1, 1, true, 'ResNet-18 layer1'),
    batchNormWorkload([32, 16, 32, 32]),
    tinyStepWorkload('float32', 'fast'),
    ...(browser ? [browserTinyStepWorkload(browser)] : []),
    tinyStepWorkload('float64', 'fast'),
    tinyStepWorkload('float32', 'typescript'),
    resnet18Workload(),
  ]
}
