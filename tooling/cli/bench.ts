/**
 * `npm run bench`: times the library's WebAssembly kernels (GEMM, Conv2D, BatchNorm, a TinyResNet
 * training step, a ResNet-18 forward pass) beside PyTorch and the seeds' numpy code, in one run,
 * and prints a table. A benchmark, not a test: it asserts nothing.
 *
 *     npm run bench                      every workload, on all cores
 *     npm run bench -- --threads 1       one thread for the library, PyTorch and numpy alike
 *     npm run bench -- --quick           fewer repetitions, one round
 *     npm run bench -- --json out.json   also write every timing as JSON
 *     npm run bench -- --only conv       only the workloads whose id contains "conv"
 *     npm run bench -- --no-python       without PyTorch and numpy
 *     npm run bench -- --browser         also time the float32 TinyResNet step in headless Chromium
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { Command } from 'commander'
import { describeKernels, fastKernels } from '../../generated/src/index.ts'
import { useFastKernelsInNode } from '../../generated/src/node/index.ts'
import { startBrowserBench } from '../bench/browser.ts'
import { measure, summarise, type BenchResult, type Timing } from '../bench/measure.ts'
import { PythonBench } from '../bench/python.ts'
import { formatTable } from '../bench/table.ts'
import { workloads } from '../bench/workloads.ts'

const program = new Command()
  .name('npm run bench --')
  .description('Time the library beside PyTorch and the seeds\' numpy code, and print a table.')
  .option('--threads <n>', 'threads for the library, PyTorch and numpy', String(availableParallelism()))
  .option('--quick', 'fewer repetitions and one round')
  .option('--rounds <n>', 'rounds of turns between the library and the references', '3')
  .option('--json <path>', 'also write the results, every repetition included, as JSON')
  .option('--only <text>', 'only workloads whose id contains this text')
  .option('--no-python', 'do not start Python: no PyTorch, no numpy')
  .option('--browser', 'also time the float32 TinyResNet training step in headless Chromium (a Web Worker, same threads)')
  .parse()

const options = program.opts<{ threads: string; quick?: boolean; rounds: string; json?: string; only?: string; python: boolean; browser?: boolean }>()
const threads = Math.max(1, Number.parseInt(options.threads, 10) || 1)
const rounds = options.quick ? 1 : Math.max(1, Number.parseInt(options.rounds, 10) || 1)

const fast = await useFastKernelsInNode({ threads })
// PyTorch: Debian's python3-torch, in /usr/bin/python3; numpy: the first python3 on the PATH, whose numpy may have a faster BLAS
const torchServer = options.python ? await PythonBench.start(threads, 'torch', ['/usr/bin/python3', 'python3']) : 'not asked for (--no-python)'
const numpyServer = options.python ? await PythonBench.start(threads, 'numpy', ['python3', '/usr/bin/python3']) : 'not asked for (--no-python)'
const torch = typeof torchServer === 'string' ? null : torchServer
const numpy = typeof numpyServer === 'string' ? null : numpyServer
// Chromium only when a selected workload needs it: the Chromium row's id starts with tinyresnet-step-f32
const wantsBrowser = options.browser === true && (options.only === undefined || 'tinyresnet-step-f32-chromium'.includes(options.only))
const browserBench = wantsBrowser ? await startBrowserBench(threads) : options.browser ? 'no selected workload runs there' : 'not asked for (--browser)'
const browser = typeof browserBench === 'string' ? null : browserBench
/** "numpy 102 ms at the median, 131 at most" for a reference's waits for its threads to go quiet. */
function quietLine(name: string, waits: number[]): string {
  if (waits.length === 0) return ''
  const { medianMs } = summarise(waits)
  return `${name} ${medianMs.toFixed(0)} ms at the median, ${Math.max(...waits).toFixed(0)} at most`
}
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const lines = [
  `library: ${describeKernels()}, Node ${process.version}`,
  torch === null ? `PyTorch: none (${torchServer})` : `PyTorch: ${torch.info.torch} (${torch.info.python}, ${plural(torch.info.torchThreads ?? 0, 'thread')}, BLAS_INFO=${torch.info.torchBlas}${torch.info.torchBlas === 'generic' ? ': torch.mm runs on the system libblas' : ''}; convolutions run on its oneDNN)`,
  numpy === null ? `numpy: none (${numpyServer})` : `numpy: ${numpy.info.numpy} (${numpy.info.python}, BLAS ${numpy.info.blas}, ${plural(threads, 'thread')}): numpy.matmul beside GEMM, the seeds' numpy TinyResNet (float64) beside TinyResNet`,
  browser === null
    ? `Chromium: none (${browserBench})`
    : `Chromium: ${browser.info.version} (headless), ${browser.info.kernels} in a Web Worker, crossOriginIsolated ${browser.info.isolated}${browser.info.notices.length > 0 ? ` (${browser.info.notices.join('; ')})` : ''}`,
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${plural(availableParallelism(), 'core')}, load average ${loadavg()[0]!.toFixed(1)} at the start`,
  `medians of ${plural(rounds, 'round')} in which the library and the references take turns (in the training steps' rows, PyTorch and the library one step at a time, with the seeds' numpy steps spread among them); timings on a shared machine are noisy: compare the ratios`,
]
console.log(lines.join('\n') + '\n')

const selected = workloads(() => fastKernels()?.fma ?? false, browser ?? undefined).filter((w) => options.only === undefined || w.id.includes(options.only))
const results: BenchResult[] = []
for (const workload of selected) {
  const result = await measure(workload, { fast }, { rounds, quick: options.quick ?? false, torch, numpy, seedReps: options.quick ? 1 : 3 })
  results.push(result)
  // progress, with the best repetition beside each median
  const timing = (name: string, t: Timing | null): string => (t === null ? '' : `${name}${t.medianMs.toFixed(2)} ms (best ${t.bestMs.toFixed(2)})`)
  const timings = [timing('', result.ours), timing('PyTorch ', result.torch), timing('numpy ', result.numpy)].filter((t) => t !== '')
  process.stderr.write(`  ${workload.id}: ${timings.join(', ')}${result.note ? ` (${result.note})` : ''}\n`)
}
console.log(formatTable(results))
for (const r of results.filter((r) => r.note)) console.log(`note: ${r.id}: ${r.note}`)
const quiet = [torch === null ? '' : quietLine('PyTorch', torch.quietWaits), numpy === null ? '' : quietLine('numpy', numpy.quietWaits)].filter((line) => line !== '')
if (quiet.length > 0) console.log(`after each turn, the library waited for the references' threads to stop spinning: ${quiet.join('; ')}`)

if (options.json) {
  const report = {
    date: new Date().toISOString(),
    threads,
    kernels: describeKernels(),
    node: process.version,
    chromium: browser?.info ?? null,
    cpu: cpus()[0]?.model ?? null,
    loadAverage: loadavg(),
    pytorch: torch?.info ?? null,
    numpy: numpy?.info ?? null,
    rounds,
    quick: options.quick ?? false,
    results,
  }
  writeFileSync(options.json, JSON.stringify(report, null, 2) + '\n')
  console.log(`\nwrote ${options.json}`)
}
torch?.close()
numpy?.close()
await browser?.close()
fast?.close()
