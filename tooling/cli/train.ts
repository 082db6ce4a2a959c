/**
 * `npm run train`: trains TinyResNet and/or TinyPlainNet and writes metrics, plots and weights.
 *
 *     npm run train -- --help
 *     npm run train -- --model both --epochs 5 --batch-size 32 --lr 0.01 --seed 42 --data synthetic --out runs/lines
 *
 * The program is library code, tangled from chapters/13-training.md into generated/src/node/train-cli.ts.
 */
import { runTrainCli } from '../../generated/src/node/index.ts'

process.exitCode = runTrainCli(process.argv.slice(2))
