/**
 * The book in a real browser. Serves the built site (build-site.ts builds it) on 127.0.0.1 with the
 * cross-origin isolation headers the book's servers send, and drives Debian's Chromium through
 * every page of the sidebar:
 *
 * - no console errors, no page errors, no failed or 4xx/5xx requests (a missing favicon counts);
 * - every Mermaid block became an SVG, every formula was typeset (no raw `$$` or `\command` left);
 * - every example block shows its output, and every figure is visible and fits the page;
 * - tests are folded; local search finds a chapter by a word; next and previous links work.
 *
 * Full-page screenshots (light and dark) go to .tmp/screenshots/ (or $BOOK_SCREENSHOTS).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../../.vitepress/cross-origin-isolation.ts'
import { parseChapter } from '../../tangle/parse.ts'
import { buildSidebar, readChapters } from '../sidebar.ts'
import { launchChromium, recordPageProblems } from './chromium.ts'
import { serveStatic, type StaticServer } from './static-server.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const DIST = join(ROOT, '.vitepress/dist')
const SCREENSHOTS = process.env.BOOK_SCREENSHOTS ?? join(ROOT, '.tmp/screenshots')

/** A page of the book and what its Markdown source says it must show. */
interface PageSpec {
  link: string
  name: string
  mermaid: number
  math: number
  examples: number
  tests: number
}

const chapters = readChapters(join(ROOT, 'chapters'))
const links = buildSidebar(chapters).flatMap((group) => group.items.map((item) => item.link))
const pages: PageSpec[] = [{ link: '/', name: 'index', mermaid: 0, math: 0, examples: 0, tests: 0 }, ...links.map(specFor)]

function specFor(link: string): PageSpec {
  const slug = link.slice(1)
  const source = readFileSync(join(ROOT, 'chapters', `${slug}.md`), 'utf8')
  const chapter = parseChapter(`chapters/${slug}.md`, source, [], Number(slug.split('-')[0]))
  const visible = chapter.blocks.filter((b) => !b.hidden)
  const prose = source.replace(/^(`{3,}|~{3,})[^]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '')
  return {
    link,
    name: slug,
    mermaid: (source.match(/^\s*```mermaid\s*$/gm) ?? []).length,
    math: (prose.match(/\$\$[^]+?\$\$|\$[^$\n]+\$/g) ?? []).length,
    examples: visible.filter((b) => b.kind === 'example').length,
    tests: visible.filter((b) => b.kind === 'test').length,
  }
}

let server: StaticServer
let browser: Browser

beforeAll(async () => {
  // the site is built by build-site.ts; served, like the book's own servers, cross-origin isolated
  server = await serveStatic(DIST, { headers: CROSS_ORIGIN_ISOLATION_HEADERS })
  browser = await launchChromium()
  mkdirSync(SCREENSHOTS, { recursive: true })
  console.log(`screenshots: ${SCREENSHOTS}`)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Opens a page and records every console error, page error and failed request while it loads. */
async function open(link: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme })
  const problems = recordPageProblems(page)
  await page.goto(server.url + link, { waitUntil: 'networkidle' })
  return { page, problems }
}

describe.each(pages)('page $link', (spec) => {
  it('loads without console errors or failed requests, and renders what its source promises', async () => {
    const { page, problems } = await open(spec.link)
    try {
      if (spec.mermaid > 0) {
        await page.waitForFunction((n) => document.querySelectorAll('.vp-doc .mermaid svg').length >= n, spec.mermaid, { timeout: 30_000 })
      }
      const mermaidSvgs = await page.locator('.vp-doc .mermaid svg').count()
      expect(mermaidSvgs, 'Mermaid blocks rendered as SVG').toBe(spec.mermaid)
      const clippedLabels = await page.evaluate(() =>
        [...document.querySelectorAll('.vp-doc .mermaid foreignObject')]
          .filter((label) => (label.firstElementChild?.scrollHeight ?? 0) > Number(label.getAttribute('height')) + 1)
          .map((label) => label.textContent),
      )
      expect(clippedLabels, 'Mermaid labels taller than their boxes').toEqual([])

      const math = await page.locator('.vp-doc mjx-container').count()
      expect(math, 'typeset formulas').toBeGreaterThanOrEqual(spec.math)
      const rawMath = await page.evaluate(() => {
        const doc = document.querySelector('.vp-doc')
        if (!doc) return []
        const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT)
        const found: string[] = []
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest('pre, code, mjx-container, .mermaid, svg')) continue
          if (/\$\$|\\(frac|cdot|sum|partial|mathbf|text|big|left|right)\b/.test(node.textContent ?? '')) found.push(node.textContent!.trim().slice(0, 80))
        }
        return found
      })
      expect(rawMath, 'untypeset TeX left in the text').toEqual([])

      expect(await page.locator('.vp-doc .book-example').count(), 'example blocks').toBe(spec.examples)
      const missing = await page.locator('.vp-doc .book-output-missing').count()
      expect(missing, 'example blocks without output: run npm run examples').toBe(0)
      // Outputs inside a folded container (an exercise's solution) count once it is unfolded.
      await page.evaluate(() => {
        for (const output of document.querySelectorAll('.vp-doc .book-output')) {
          for (let d = output.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true
        }
      })
      for (const output of await page.locator('.vp-doc .book-output').all()) {
        await output.scrollIntoViewIfNeeded()
        expect(await output.isVisible(), 'example output visible').toBe(true)
      }
      const contentBox = await page.locator('.vp-doc').boundingBox()
      for (const figure of await page.locator('.vp-doc .book-figure > svg').all()) {
        await figure.scrollIntoViewIfNeeded()
        const box = await figure.boundingBox()
        expect(box && box.width > 50 && box.height > 50, 'figure has a visible size').toBe(true)
        expect(box!.x + box!.width, 'figure fits the text column').toBeLessThanOrEqual(contentBox!.x + contentBox!.width + 1)
      }

      const tests = page.locator('.vp-doc details.book-test')
      expect(await tests.count(), 'test blocks').toBe(spec.tests)
      if (spec.tests > 0) {
        expect(await tests.first().getAttribute('open'), 'tests start folded').toBeNull()
        // Click the "Test" badge: the middle of the summary may be the link to the generated file.
        await tests.first().locator('summary .book-badge').first().click()
        expect(await tests.first().getAttribute('open'), 'a click unfolds a test').not.toBeNull()
        await tests.first().locator('summary .book-badge').first().click()
      }

      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(SCREENSHOTS, `${spec.name}.png`), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('renders in dark mode without errors', async () => {
    const { page, problems } = await open(spec.link, 'dark')
    try {
      expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
      if (spec.mermaid > 0) {
        await page.waitForFunction((n) => document.querySelectorAll('.vp-doc .mermaid svg').length >= n, spec.mermaid, { timeout: 30_000 })
      }
      // Figures draw text in currentColor: in dark mode that must be the page's light text colour.
      const figureText = await page.evaluate(() => {
        const svg = document.querySelector('.vp-doc .book-figure > svg')
        return svg ? getComputedStyle(svg).color : undefined
      })
      if (figureText) {
        const [r, g, b] = (figureText.match(/\d+/g) ?? []).map(Number)
        expect(r! + g! + b!, `figure text colour ${figureText} is light`).toBeGreaterThan(3 * 160)
      }
      await page.screenshot({ path: join(SCREENSHOTS, `${spec.name}.dark.png`), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})

describe('navigation', () => {
  it('finds a chapter by a word with the local search', async () => {
    const { page, problems } = await open('/')
    try {
      await page.locator('.VPNavBarSearch button').first().click()
      const input = page.locator('#localsearch-input')
      await input.waitFor()
      await input.fill('linkedom')
      const result = page.locator('#localsearch-list a.result').first()
      await result.waitFor({ timeout: 10_000 })
      expect(await result.getAttribute('href')).toContain('/00-how-to-read-this-book')
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('goes to the next chapter and back with the pager links', async () => {
    expect(links.length, 'at least two chapters').toBeGreaterThanOrEqual(2)
    const { page, problems } = await open(links[0]!)
    try {
      await page.locator('.pager-link.next').click()
      await page.waitForURL((url) => url.pathname === links[1])
      await expect.poll(() => page.locator('.vp-doc h1').first().textContent()).toContain(chapters.find((c) => c.link === links[1])!.title)
      await page.locator('.pager-link.prev').click()
      await page.waitForURL((url) => url.pathname === links[0])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('links each chapter to its source with "Edit this chapter"', async () => {
    const { page } = await open(links[0]!)
    try {
      const href = await page.locator('.edit-link a, a.edit-link-button').first().getAttribute('href')
      expect(href).toMatch(new RegExp(`/edit/.+/chapters/${links[0]!.slice(1)}\\.md$`))
    } finally {
      await page.close()
    }
  })
})
