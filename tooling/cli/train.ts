/**
 * `npm run train`: trains TinyResNet and/or TinyPlainNet and writes metrics, plots and weights.
 *
 *     npm run train -- --help
 *     npm run train -- --model both --epochs 5 --batch-size 32 --lr 0.01 --seed 42 --data synthetic --out runs/lines
 *
 * The program is library code, tangled from chapters/13-training.md into generated/src/node/train-cli.ts.
 * It runs on chapter 18's WebAssembly kernels, on every core; RESNET_KERNELS=typescript keeps the
 * TypeScript kernels of chapters 4–6 (the results agree to float32 rounding; they are ~15× slower).
 */
import { describeKernels } from '../../generated/src/index.ts'
import { runTrainCli, useFastKernelsInNode } from '../../generated/src/node/index.ts'

const kernels = process.env.RESNET_KERNELS ?? 'fast'
if (kernels !== 'fast' && kernels !== 'typescript') {
  console.error(`npm run train: RESNET_KERNELS must be "fast" or "typescript", got "${kernels}"`)
  process.exit(2)
}
const wantsHelp = process.argv.includes('--help') || process.argv.includes('-h')
const fast = kernels === 'fast' && !wantsHelp ? await useFastKernelsInNode() : null
if (!wantsHelp) console.log(`kernels: ${describeKernels()}`)
process.exitCode = runTrainCli(process.argv.slice(2))
fast?.close()
