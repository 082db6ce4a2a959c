/**
 * The child process that runs one chapter's examples (started by `examples-runner.ts` under tsx):
 *
 *     node --import tsx tooling/book/example-host.ts generated/examples/.01-why-depth-is-hard.run-PID.ts
 *
 * It imports the prepared module (see `example-markers.ts`), so all of a chapter's examples share one
 * module scope. Whatever the examples print, and every figure they `show`, goes to the block whose
 * marker ran last. The result goes back to the runner as one IPC message.
 */
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { BLOCK_HOOK } from './example-markers.ts'

/** What one block printed and showed. */
export interface HostBlock {
  index: number
  /** The block was commented out (a slow block, not asked for). */
  skipped: boolean
  stdout: string
  /** SVG markup of each figure shown, in order. */
  figures: string[]
}

/** The message the host sends when the module has run (or failed). */
export interface HostResult {
  blocks: HostBlock[]
  /** Output printed before the first block (while the library loaded). */
  preamble: string
  error?: {
    /** `String(error)`, e.g. `Error: boom`. */
    message: string
    /** The stack as Node printed it, with the prepared module's lines. */
    stack: string
    /** The block that was running. */
    block?: number
  }
}

const blocks: HostBlock[] = []
let current: HostBlock | undefined
let preamble = ''

function capture(text: string): void {
  if (current) current.stdout += text
  else preamble += text
}

/** Everything an example prints, through `console` or `process.stdout`, is captured without colours. */
function captureOutput(): void {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      capture(String(chunk))
      callback()
    },
  })
  globalThis.console = new Console({ stdout: sink, stderr: sink, colorMode: false })
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    capture(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const callback = rest.find((r): r is () => void => typeof r === 'function')
    callback?.()
    return true
  }) as typeof process.stdout.write
}

function installHooks(): void {
  const g = globalThis as Record<string, unknown>
  g[BLOCK_HOOK] = (index: number, skipped = false) => {
    current = { index, skipped, stdout: '', figures: [] }
    blocks.push(current)
  }
  g.__bookShow = (figure: { svg?: unknown }) => {
    if (typeof figure?.svg !== 'string' || !figure.svg.startsWith('<svg')) {
      throw new TypeError('show(figure): expected a Figure, an object whose svg is SVG markup')
    }
    if (!current) throw new Error('show(figure) was called outside an example block')
    current.figures.push(figure.svg)
  }
}

function describeError(error: unknown): NonNullable<HostResult['error']> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`
  const stack = error instanceof Error && error.stack ? error.stack : message
  return { message, stack, block: current?.index }
}

let finished = false

function finish(error?: unknown): void {
  if (finished) return
  finished = true
  const result: HostResult = { blocks, preamble, ...(error === undefined ? {} : { error: describeError(error) }) }
  process.send!(result, () => process.exit(0))
}

async function main(): Promise<void> {
  const file = process.argv[2]
  if (!file || !process.send) {
    process.stderr.write('example-host: run by the examples runner with an IPC channel and a module path\n')
    process.exit(2)
  }
  process.on('uncaughtException', (error) => finish(error))
  process.on('unhandledRejection', (error) => finish(error))
  installHooks()
  captureOutput()
  try {
    await import(pathToFileURL(file).href)
  } catch (error) {
    finish(error)
    return
  }
  finish()
}

await main()
