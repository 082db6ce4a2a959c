/**
 * `npm run bench -- --browser`: the float32 TinyResNet training step in headless Chromium. Vite
 * bundles a page and a module Web Worker that imports the library (tooling/bench/browser*.ts), a
 * local server sends them with the cross-origin isolation headers, as the book's servers do, and
 * Debian's Chromium, driven through playwright-core, runs the step in the worker with the fast
 * kernels on the requested threads: the way the book's live demo trains.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../.vitepress/cross-origin-isolation.ts'
import { CHROMIUM, launchChromium } from '../book/e2e/chromium.ts'
import { serveStatic, type StaticServer } from '../book/e2e/static-server.ts'
import type { BenchReply } from './browser-worker.ts'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const OUT = join(ROOT, '.tmp/bench-browser')

/** A page in Chromium, ready to time the step. */
export interface BrowserBench {
  info: {
    /** Chromium's version, e.g. 156.0.8078.79. */
    version: string
    /** describeKernels() in the worker. */
    kernels: string
    /** The page's crossOriginIsolated (SharedArrayBuffer, hence threads). */
    isolated: boolean
    /** The fast kernels' notices (fallbacks), if any. */
    notices: string[]
  }
  /** Runs the step `reps` times in the worker; the milliseconds of each. */
  time(reps: number): Promise<number[]>
  close(): Promise<void>
}

/** The page's `window.bench`, as browser-page.ts defines it. */
interface PageBench {
  init(threads: number): Promise<BenchReply>
  time(reps: number): Promise<number[]>
}

/** Bundles the page, serves it and opens it in Chromium; or says why not (a string). */
export async function startBrowserBench(threads: number): Promise<BrowserBench | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  await build({
    configFile: false,
    root: HERE,
    cacheDir: join(ROOT, '.tmp/bench-browser-cache'),
    publicDir: false,
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true, target: 'esnext', reportCompressedSize: false, rollupOptions: { input: join(HERE, 'browser.html') } },
    worker: { format: 'es' },
  })
  let server: StaticServer | undefined
  let browser: Browser | undefined
  try {
    server = await serveStatic(OUT, { headers: CROSS_ORIGIN_ISOLATION_HEADERS })
    browser = await launchChromium()
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    await page.goto(`${server.url}/browser.html`)
    await page.waitForFunction(() => 'bench' in window)
    const ready = await page.evaluate((n) => (window as unknown as { bench: PageBench }).bench.init(n), threads)
    if (ready.type !== 'ready') throw new Error(`unexpected answer ${JSON.stringify(ready)}`)
    if (problems.length > 0) throw new Error(problems.join('; '))
    const opened = { server, browser }
    return {
      info: { version: browser.version(), kernels: ready.kernels, isolated: ready.isolated, notices: ready.notices },
      time: (reps) => page.evaluate((n) => (window as unknown as { bench: PageBench }).bench.time(n), reps),
      close: async () => {
        await opened.browser.close()
        await opened.server.close()
      },
    }
  } catch (error) {
    await browser?.close()
    await server?.close()
    return `Chromium failed: ${(error as Error).message}`
  }
}
