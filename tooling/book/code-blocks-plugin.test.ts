import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMarkdownRenderer, type MarkdownRenderer } from 'vitepress'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeBlocksPlugin } from './code-blocks-plugin.ts'
import { codeHash, formatOutputs } from './outputs.ts'

const REPO = 'https://example.org/book'

const EXAMPLE_CODE = "console.log('<b> & {{ x }}')\n"

const CHAPTER = `---
title: Demo
part: Tests
chapter: 1
---

# Demo

\`\`\`ts file=src/layers/conv2d.ts
export const conv = 1
\`\`\`

\`\`\`ts test
it('works', () => expect(conv).toBe(1))
\`\`\`

\`\`\`ts file=src/layers/conv2d.ts hidden
export const secret = 2
\`\`\`

\`\`\`ts example
${EXAMPLE_CODE}\`\`\`

\`\`\`ts example slow
console.log('not run yet')
\`\`\`

\`\`\`ts nocheck
const wrong: number = 'x'
\`\`\`

\`\`\`ts
const snippet = conv
\`\`\`

\`\`\`sh
npm test
\`\`\`
`

let root: string
let md: MarkdownRenderer
let html: string

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'book-plugin-'))
  const dir = join(root, 'generated/outputs/01-demo')
  mkdirSync(dir, { recursive: true })
  const outputs = {
    note: 'test',
    chapter: 'chapters/01-demo.md',
    examples: [{ index: 3, codeHash: codeHash(EXAMPLE_CODE), slow: false, stdout: '<b> & {{ x }}\n', figures: ['3-1.svg'] }],
  }
  writeFileSync(join(dir, 'examples.json'), formatOutputs(outputs))
  writeFileSync(join(dir, '3-1.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><text>figure text</text></svg>\n')
  md = await createMarkdownRenderer(root, { config: (m) => m.use(codeBlocksPlugin, { root, repoUrl: REPO }) })
  html = md.render(CHAPTER, { relativePath: '01-demo.md', path: join(root, 'chapters/01-demo.md') })
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

/** The HTML of the block that contains `marker`, from its wrapper to the next block. */
function blockAround(marker: string): string {
  const at = html.indexOf(marker)
  expect(at, `"${marker}" is rendered`).toBeGreaterThanOrEqual(0)
  const start = Math.max(html.lastIndexOf('<div class="book-block ', at), html.lastIndexOf('<details class="book-block ', at))
  const ends = [html.indexOf('<div class="book-block ', at), html.indexOf('<details class="book-block ', at)].filter((i) => i > 0)
  return html.slice(start, ends.length ? Math.min(...ends) : undefined)
}

describe('codeBlocksPlugin', () => {
  it('heads a file= block with its destination, linked to the generated file', () => {
    const block = blockAround('export')
    expect(block).toContain(`href="${REPO}/blob/main/generated/src/layers/conv2d.ts"`)
    expect(block).toContain('→ src/layers/conv2d.ts')
  })

  it('gives the highlighter the bare language, never our attributes', () => {
    expect(html).not.toContain('file=')
    expect(html).not.toMatch(/language-ts[^"]*(example|test|slow|nocheck)/)
    expect((html.match(/class="language-ts/g) ?? []).length).toBe(6)
  })

  it('folds test blocks away under a Test summary', () => {
    expect(html).toMatch(/<details class="book-block book-test"><summary><span class="book-badge">Test<\/span><a class="book-target" href="[^"]+\/generated\/tests\/01-demo\.test\.ts"/)
    expect(html).not.toMatch(/<details[^>]* open/)
  })

  it('does not show hidden blocks', () => {
    expect(html).not.toContain('secret')
  })

  it('shows an example\'s output, escaped and out of Vue\'s reach, with its figures', () => {
    const block = blockAround('Example')
    expect(block).toContain('<div class="book-output" v-pre><pre class="book-stdout" aria-label="Output">&lt;b&gt; &amp; {{ x }}</pre>')
    expect(block).toContain('<figure class="book-figure"><svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><text>figure text</text></svg></figure>')
    expect(block).not.toContain('book-output-stale')
  })

  it('says how to run an example that has no output yet', () => {
    expect(html).toContain('<span class="book-badge book-badge-slow">slow</span>')
    expect(html).toContain('Not run yet: <code>npm run examples -- --slow</code>')
  })

  it('marks nocheck blocks, and leaves snippets and other languages as VitePress draws them', () => {
    expect(blockAround('wrong')).toContain('not checked')
    expect(html).toMatch(/<\/div>\n<div class="language-ts vp-adaptive-theme"><button title="Copy Code" class="copy"><\/button><span class="lang">ts<\/span><pre[^>]*><code><span class="line"><span[^>]*>const<\/span>/)
    expect(html).toContain('<div class="language-sh vp-adaptive-theme">')
  })

  it('marks an output stale when the example\'s code has changed since it ran', () => {
    const edited = CHAPTER.replace(EXAMPLE_CODE, "console.log('changed')\n")
    const page = md.render(edited, { relativePath: '01-demo.md' })
    expect(page).toContain('book-output-stale')
  })
})
