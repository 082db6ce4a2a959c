/**
 * Stage "render": a markdown-it plugin that shows each TypeScript block of a chapter as what it is.
 *
 * - `file=src/x.ts`: a header `→ src/x.ts` linking to the generated file in the repository;
 * - `test`: folded away under a "Test" summary;
 * - `example`: followed by what it printed and the figures it showed, from `generated/outputs/`;
 * - `nocheck`: marked as not checked; `hidden`: not shown at all; a snippet: shown as it is.
 *
 * The info string is read by the tangler's own parser (`tooling/tangle/parse.ts`), and reduced to the
 * bare language before VitePress's highlighter sees it.
 */
import { posix } from 'node:path'
import type { MarkdownRenderer } from 'vitepress'
import { parseChapter, type Chapter, type CodeBlock } from '../tangle/parse.ts'
import { codeHash, loadOutputs, type LoadedOutputs } from './outputs.ts'

/** Options of `codeBlocksPlugin`. */
export interface CodeBlocksOptions {
  /** The project root: `generated/outputs/` is read below it. */
  root: string
  /** The repository's web address, e.g. `https://github.com/owner/repo`; file links point into it. */
  repoUrl: string
  /** The branch that links point at (default `main`). */
  branch?: string
  /** The folder of the chapters relative to the root (default `chapters`). */
  chaptersDir?: string
}

/** What the plugin keeps in markdown-it's `env` while one page renders. */
interface PageState {
  source: string
  chapter?: Chapter
  outputs?: LoadedOutputs | null
}

type Env = Record<string, unknown> & { relativePath?: string; content?: string; __bookPage?: PageState }

const TS_LANGUAGES = new Set(['ts', 'typescript'])

/** Installs the plugin: `md.use(codeBlocksPlugin, { root, repoUrl })`. */
export function codeBlocksPlugin(md: MarkdownRenderer, options: CodeBlocksOptions): void {
  const render = md.render.bind(md)
  md.render = (src: string, env: Env = {}) => {
    env.__bookPage = { source: src }
    try {
      return render(src, env)
    } finally {
      delete env.__bookPage
    }
  }

  const fence = md.renderer.rules.fence!
  md.renderer.rules.fence = (tokens, idx, mdOptions, pageEnv, self) => {
    const env = (pageEnv ?? {}) as Env
    const token = tokens[idx]!
    const language = token.info.trim().split(/\s+/)[0] ?? ''
    if (!TS_LANGUAGES.has(language)) return fence(tokens, idx, mdOptions, env, self)
    const block = findBlock(env, token.map?.[0], options)
    token.info = language
    if (block?.hidden) return ''
    const code = fence(tokens, idx, mdOptions, env, self)
    if (!block) return code
    return renderBlock(block, code, env, options)
  }
}

/** The parsed block whose fence is on line `mapLine` (0-based, in the body without front matter). */
function findBlock(env: Env, mapLine: number | undefined, options: CodeBlocksOptions): CodeBlock | undefined {
  const page = env.__bookPage
  if (!page || mapLine === undefined) return undefined
  if (!page.chapter) {
    const relativePath = env.relativePath ?? 'page.md'
    const path = posix.join(options.chaptersDir ?? 'chapters', relativePath)
    const number = /^(\d+)-/.exec(posix.basename(relativePath))
    page.chapter = parseChapter(path, page.source, [], number ? Number(number[1]) : undefined)
  }
  const content = typeof env.content === 'string' ? env.content : page.source
  const headerLines = page.source.split('\n').length - content.split('\n').length
  const fenceLine = mapLine + 1 + headerLines
  return page.chapter.blocks.find((b) => b.fenceLine === fenceLine)
}

/** Wraps the highlighted code of a block in what the book shows around it. */
export function renderBlock(block: CodeBlock, code: string, env: Env, options: CodeBlocksOptions): string {
  const base = `${options.repoUrl}/blob/${options.branch ?? 'main'}/generated`
  switch (block.kind) {
    case 'file':
      return (
        `<div class="book-block book-file"><div class="book-block-head">` +
        `<a class="book-target" href="${escapeHtml(`${base}/${block.target}`)}" target="_blank" rel="noreferrer" title="This block is appended to generated/${escapeHtml(block.target ?? '')}">→ ${escapeHtml(block.target ?? '')}</a>` +
        `</div>${code}</div>\n`
      )
    case 'test':
      return (
        `<details class="book-block book-test"><summary><span class="book-badge">Test</span>` +
        `<a class="book-target" href="${escapeHtml(`${base}/tests/${block.slug}.test.ts`)}" target="_blank" rel="noreferrer">→ tests/${escapeHtml(block.slug)}.test.ts</a>` +
        `${block.slow ? '<span class="book-badge book-badge-slow">slow</span>' : ''}</summary>${code}</details>\n`
      )
    case 'example':
      return (
        `<div class="book-block book-example"><div class="book-block-head"><span class="book-badge">Example</span>` +
        `${block.slow ? '<span class="book-badge book-badge-slow">slow</span>' : ''}</div>${code}${renderOutput(block, env, options)}</div>\n`
      )
    case 'nocheck':
      return (
        `<div class="book-block book-nocheck"><div class="book-block-head">` +
        `<span class="book-badge book-badge-warn" title="Shown only: the tangler does not check this fragment">not checked</span></div>${code}</div>\n`
      )
    case 'snippet':
      return code
  }
}

/** What an example printed and showed, or a note saying how to get it. */
function renderOutput(block: CodeBlock, env: Env, options: CodeBlocksOptions): string {
  const page = env.__bookPage
  let outputs: LoadedOutputs | undefined
  if (page) {
    if (page.outputs === undefined) page.outputs = loadOutputs(options.root, block.slug) ?? null
    outputs = page.outputs ?? undefined
  } else {
    outputs = loadOutputs(options.root, block.slug)
  }
  const output = outputs?.outputs.examples.find((e) => e.index === block.index)
  if (!outputs || !output) {
    const command = block.slow ? 'npm run examples -- --slow' : 'npm run examples'
    return `<div class="book-output book-output-missing">Not run yet: <code>${command}</code> runs this example and shows its output here.</div>`
  }
  const stale = output.codeHash !== codeHash(block.code)
  const label = stale
    ? '<div class="book-output-label book-output-stale">Output of an earlier version of this code: run <code>npm run examples</code></div>'
    : ''
  const text = output.stdout === '' ? '' : `<pre class="book-stdout" aria-label="Output">${escapeHtml(output.stdout.replace(/\n$/, ''))}</pre>`
  const figures = output.figures
    .map((name) => outputs!.figures.get(name))
    .filter((svg): svg is string => svg !== undefined)
    .map((svg) => `<figure class="book-figure">${svg.trim()}</figure>`)
    .join('')
  if (text === '' && figures === '' && !stale) return ''
  return `<div class="book-output" v-pre>${label}${text}${figures}</div>`
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
