/**
 * `npm run tangle [-- --check | --watch | --no-typecheck]`: chapters → generated/.
 * Diagnostics go to stderr as `chapters/FILE.md:LINE:COL: error: message`; exit code 1 on any.
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { watch } from 'chokidar'
import type { AnalysedBlock } from '../tangle/analyse.ts'
import { BookChecker, formatDiagnostic, tangle, type TangleRun } from '../tangle/index.ts'

const program = new Command()
  .name('tangle')
  .description('Write the library, tests and examples in generated/ from the chapters.')
  .option('--check', 'write nothing; exit 1 if generated/ differs from what tangling would write')
  .option('--watch', 're-tangle whenever a chapter changes; keeps running after errors')
  .option('--no-typecheck', 'skip the type-check and book-order pass (faster; CI always checks)')
  .option('--root <dir>', 'project root', '.')
  .parse()

const options = program.opts<{ check?: boolean; watch?: boolean; typecheck: boolean; root: string }>()
const root = resolve(options.root)

function report(run: TangleRun, ms: number): boolean {
  for (const d of run.diagnostics) console.error(formatDiagnostic(d))
  const blocks = run.book.chapters.reduce((n, c) => n + c.blocks.length, 0)
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const what = `${plural(run.book.chapters.length, 'chapter')}, ${plural(blocks, 'block')}`
  if (run.diagnostics.length) {
    console.error(`tangle: ${run.diagnostics.length} error${run.diagnostics.length === 1 ? '' : 's'} in ${what}; generated/ left unchanged (${ms} ms)`)
    return false
  }
  if (run.stale) {
    if (run.stale.length === 0) {
      console.log(`tangle --check: generated/ is up to date with ${what} (${ms} ms)`)
      return true
    }
    for (const line of run.stale) console.error(line)
    console.error(`tangle --check: ${run.stale.length} file${run.stale.length === 1 ? '' : 's'} differ from the chapters; run \`npm run tangle\``)
    return false
  }
  const w = run.written!
  const parts = [`${w.written.length} written`, `${w.unchanged.length} unchanged`]
  if (w.removed.length) parts.push(`${w.removed.length} removed`)
  const stages = Object.entries(run.timings).map(([k, v]) => `${k} ${v}`).join(', ')
  console.log(`tangle: ${what} → ${run.tree.size} files (${parts.join(', ')}) in ${ms} ms [${stages}]`)
  return true
}

function runOnce(checker?: BookChecker, analysisCache?: Map<string, AnalysedBlock>): boolean {
  const start = performance.now()
  const run = tangle({ root, check: options.check, typecheck: options.typecheck, checker, analysisCache })
  return report(run, Math.round(performance.now() - start))
}

if (options.watch) {
  const checker = options.typecheck ? new BookChecker(root) : undefined
  const analysisCache = new Map<string, AnalysedBlock>()
  runOnce(checker, analysisCache)
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(resolve(root, 'chapters'), { ignoreInitial: true, ignored: (p, stats) => Boolean(stats?.isFile() && !p.endsWith('.md')) })
  watcher.on('all', (_event, path) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      console.log(`\nchanged: ${path.slice(root.length + 1)}`)
      try {
        runOnce(checker, analysisCache)
      } catch (error) {
        console.error(`tangle: ${(error as Error).stack ?? String(error)}`)
      }
    }, 30)
  })
  watcher.on('ready', () => console.log('watching chapters/ (Ctrl-C to stop)'))
} else {
  process.exitCode = runOnce() ? 0 : 1
}
