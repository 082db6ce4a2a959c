/**
 * `npm run examples`: runs every chapter's example blocks in book order and writes what they print
 * and plot to `generated/outputs/`, where the book finds it.
 *
 *     npm run examples                                  all chapters, slow blocks keep their last output
 *     npm run examples -- --slow                        slow blocks too
 *     npm run examples -- --chapter 01-why-depth-is-hard  one chapter (a slug or a number; repeatable)
 *     npm run examples -- --check                       write nothing; exit 1 when generated/outputs is stale
 */
import { resolve } from 'node:path'
import { Command } from 'commander'
import { runExamples } from '../book/examples-runner.ts'

const program = new Command()
  .name('npm run examples --')
  .description('Run the example blocks of the chapters and write their output to generated/outputs/.')
  .option('--check', 'write nothing; exit 1, listing stale outputs, when generated/outputs differs from what a run would write')
  .option('--slow', 'run the examples marked slow as well (otherwise they keep their last output)')
  .option('--chapter <slug>', 'run only this chapter (a slug such as 01-why-depth-is-hard, or its number); repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--root <dir>', 'the project root', '.')
  .parse()

const options = program.opts<{ check?: boolean; slow?: boolean; chapter: string[]; root: string }>()
const started = performance.now()
try {
  const report = await runExamples({ root: resolve(options.root), check: options.check, slow: options.slow, chapters: options.chapter })
  const failed = report.runs.filter((r) => r.failure).length
  for (const line of report.stale) console.log(line)
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`
  if (failed) console.log(`examples: ${failed} of ${report.runs.length} chapters failed (${took})`)
  else if (report.stale.length) console.log(`examples: generated/outputs is stale (${report.stale.length} files): run npm run examples (${took})`)
  else console.log(`examples: ${report.runs.length} chapters ${options.check ? 'up to date' : 'done'} (${took})`)
  process.exitCode = report.ok ? 0 : 1
} catch (error) {
  console.error(`examples: ${(error as Error).message}`)
  process.exitCode = 2
}
