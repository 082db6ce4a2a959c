/**
 * The live training demo of chapter 13 (`<TrainTinyNets />`) in a real browser, served by the
 * book's own `vitepress preview`:
 *
 * - the server sends COOP and COEP, so the page is cross-origin isolated;
 * - the demo's worker installs the WebAssembly SIMD kernels on every core Chromium reports;
 * - Train runs steps of TinyResNet and its training loss goes down; Stop ends the worker and the
 *   kernels' threads; nothing is logged as an error, on the page or in a worker;
 * - served without the two headers, the demo falls back to one thread and says so.
 *
 * It asserts no timing. A screenshot of the demo goes to .tmp/screenshots/ (or $BOOK_SCREENSHOTS).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../../.vitepress/cross-origin-isolation.ts'
import { launchChromium, recordPageProblems } from './chromium.ts'
import { serveStatic } from './static-server.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const SCREENSHOTS = process.env.BOOK_SCREENSHOTS ?? join(ROOT, '.tmp/screenshots')
const PAGE = '/13-training'
/** Steps to train before judging the loss: a little more than one epoch of 13 (400 images, batches of 32). */
const STEPS = 16

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

let preview: ChildProcess | undefined
let previewUrl = ''
let browser: Browser

beforeAll(async () => {
  const port = await freePort()
  preview = spawn(process.execPath, [join(ROOT, 'node_modules/vitepress/bin/vitepress.js'), 'preview', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  preview.stdout!.on('data', (chunk) => (output += chunk))
  preview.stderr!.on('data', (chunk) => (output += chunk))
  previewUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (preview.exitCode !== null) throw new Error(`vitepress preview exited with code ${preview.exitCode}:\n${output}`)
    const ok = await fetch(previewUrl + PAGE).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) throw new Error(`vitepress preview did not answer within 60 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  browser = await launchChromium()
  mkdirSync(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  preview?.kill()
})

/** Opens the chapter and records console errors (of the page and of every worker), page errors and failed requests. */
async function openChapter(base: string): Promise<{ page: Page; problems: string[]; workers: { started: number; closed: number } }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems = recordPageProblems(page)
  const workers = { started: 0, closed: 0 }
  page.on('worker', (worker) => {
    workers.started += 1
    worker.on('console', (message) => {
      if (message.type() === 'error') problems.push(`worker console error: ${message.text()}`)
    })
    worker.on('close', () => (workers.closed += 1))
  })
  await page.goto(base + PAGE, { waitUntil: 'networkidle' })
  return { page, problems, workers }
}

const attribute = async (page: Page, name: string): Promise<string | null> => page.locator('.train-demo').getAttribute(name)

describe('the live training demo (chapter 13)', () => {
  it('is served by vitepress preview with the cross-origin isolation headers', async () => {
    const response = await fetch(previewUrl + PAGE)
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) expect(response.headers.get(name), name).toBe(value)
  })

  it('trains TinyResNet with the WebAssembly SIMD kernels on every core, the loss goes down, and Stop ends the workers', async () => {
    const { page, problems, workers } = await openChapter(previewUrl)
    try {
      expect(await page.evaluate(() => crossOriginIsolated), 'crossOriginIsolated').toBe(true)
      const cores = await page.evaluate(() => navigator.hardwareConcurrency)
      const demo = page.locator('.train-demo')
      await demo.scrollIntoViewIfNeeded()
      await expect.poll(() => attribute(page, 'data-status'), { timeout: 30_000 }).toBe('ready')
      expect(await demo.locator('.train-demo-kernels').textContent()).toMatch(new RegExp(`WebAssembly SIMD kernels, .+, ${cores} threads?$`))
      expect(await demo.locator('.train-demo-notice').count(), 'fallback notices').toBe(0)
      // the training worker, and one more per extra thread
      expect(workers.started, 'workers started').toBe(cores)

      await demo.locator('button.train-demo-train').click()
      await expect.poll(() => attribute(page, 'data-status')).toBe('training')
      await expect.poll(async () => Number(await attribute(page, 'data-steps')), { timeout: 120_000, interval: 500 }).toBeGreaterThanOrEqual(STEPS)
      const start = Number(await attribute(page, 'data-loss-start'))
      const now = Number(await attribute(page, 'data-loss-now'))
      console.log(`demo: ${await demo.locator('.train-demo-kernels').textContent()}; ${await demo.locator('.train-demo-status').textContent()}`)
      expect(now, `mean loss of the latest 3 steps (${now}) vs the first 3 (${start})`).toBeLessThan(0.7 * start)
      // after the first epoch: test accuracy, and a prediction under every shown image
      expect(await demo.locator('.train-demo-status').textContent()).toMatch(/test accuracy \d+% after epoch 1/)
      expect(await demo.locator('.train-demo-samples figcaption').count()).toBe(8)
      await expect.poll(() => demo.locator('.train-demo-samples figcaption.right, .train-demo-samples figcaption.wrong').count()).toBe(8)
      expect(await demo.locator('.train-demo-charts path.train-demo-line').count()).toBeGreaterThan(0)
      await demo.screenshot({ path: join(SCREENSHOTS, '13-training.train-demo.png') })

      await demo.locator('button.train-demo-stop').click()
      expect(await attribute(page, 'data-status')).toBe('stopped')
      const stoppedAt = await attribute(page, 'data-steps')
      // the stopped worker and its kernel threads end; a new worker and its threads take their place
      await expect.poll(() => workers.closed, { timeout: 10_000 }).toBe(cores)
      await expect.poll(() => demo.locator('button.train-demo-train').isEnabled(), { timeout: 30_000 }).toBe(true)
      expect(await attribute(page, 'data-steps'), 'no steps after Stop').toBe(stoppedAt)
      expect(await demo.locator('.train-demo-error').count()).toBe(0)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('falls back to one thread, and says so, where the server sends no isolation headers', async () => {
    const plain = await serveStatic(join(ROOT, '.vitepress/dist'))
    const { page, problems } = await openChapter(plain.url)
    try {
      expect(await page.evaluate(() => crossOriginIsolated), 'crossOriginIsolated').toBe(false)
      const demo = page.locator('.train-demo')
      await expect.poll(() => attribute(page, 'data-status'), { timeout: 30_000 }).toBe('ready')
      expect(await demo.locator('.train-demo-kernels').textContent()).toMatch(/WebAssembly SIMD kernels, .+, 1 thread$/)
      expect(await demo.locator('.train-demo-notice').textContent()).toContain('cross-origin isolated')
      expect(problems).toEqual([])
    } finally {
      await page.close()
      await plain.close()
    }
  })
})
