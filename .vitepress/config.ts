/**
 * The book's site: VitePress over `chapters/`, with Mermaid diagrams, typeset math, local search,
 * a sidebar computed from the chapters' front matter, and code blocks rendered by
 * `tooling/book/code-blocks-plugin.ts` (destinations, folded tests, executed outputs and plots).
 * Its servers send the cross-origin isolation headers, so that the live demos train on every core
 * (see cross-origin-isolation.ts).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitepress'
import { withMermaid } from 'vitepress-plugin-mermaid'
import { codeBlocksPlugin } from '../tooling/book/code-blocks-plugin.ts'
import { outputsReload } from '../tooling/book/outputs-reload.ts'
import { buildSidebar, readChapters } from '../tooling/book/sidebar.ts'
import { crossOriginIsolation, isolateVitePressPreview } from './cross-origin-isolation.ts'
import { BRANCH, REPO_URL } from './repo.ts'

isolateVitePressPreview()

const root = fileURLToPath(new URL('..', import.meta.url))
const chapters = readChapters(fileURLToPath(new URL('../chapters', import.meta.url)))
const first = [...chapters].sort((a, b) => a.number - b.number)[0]

const config = withMermaid(
  defineConfig({
    srcDir: 'chapters',
    title: 'ResNets from scratch',
    description: 'Deep residual networks explained, derived and built from scratch in literate TypeScript, with every claim tested.',
    lang: 'en',
    cleanUrls: true,
    head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
    markdown: {
      math: true,
      // Outputs are read at render time, so a page must render again when only its outputs changed.
      cache: false,
      config: (md) => {
        md.use(codeBlocksPlugin, { root, repoUrl: REPO_URL, branch: BRANCH })
      },
    },
    themeConfig: {
      logo: '/favicon.svg',
      nav: first ? [{ text: 'Start reading', link: first.link }] : [],
      sidebar: buildSidebar(chapters),
      outline: { level: [2, 3], label: 'On this page' },
      search: { provider: 'local' },
      editLink: { pattern: `${REPO_URL}/edit/${BRANCH}/chapters/:path`, text: 'Edit this chapter' },
      socialLinks: [{ icon: 'github', link: REPO_URL }],
      docFooter: { prev: 'Previous chapter', next: 'Next chapter' },
      footer: { message: 'Every number in this book was printed by the code beside it.' },
    },
    mermaid: {},
    vite: {
      // Pages read generated/outputs while they render: render a page again when its outputs change.
      // The servers send COOP and COEP (for `vitepress preview`, see isolateVitePressPreview above).
      plugins: [outputsReload(root), crossOriginIsolation()],
      // The live demos' workers are ES modules (`new Worker(url, { type: 'module' })`). They import
      // the library, whose plotting module (unused there) pulls in Observable Plot and linkedom: let
      // Rollup drop every package module that the worker does not call (the worker is then six times smaller).
      worker: { format: 'es', rollupOptions: { treeshake: { moduleSideEffects: (id: string) => !id.includes('/node_modules/') } } },
    },
  }),
)

// vitepress-plugin-mermaid asks Vite to pre-bundle `debug`, which is not installed here (mermaid 11 does
// not list it); drop it so that `vitepress dev` does not warn "Failed to resolve dependency: debug".
// mermaid 11 imports the CommonJS `fastdom`, which `vitepress dev` serves unbundled (no default
// export, a blank page) unless Vite pre-bundles it; `vitepress build` is unaffected.
const include = config.vite?.optimizeDeps?.include
// The demos' workers import the library, whose plotting module needs @observablehq/plot and
// linkedom: pre-bundle them up front, since a dependency found only once a worker asks for it makes
// Vite re-optimise and reload the page.
if (include) config.vite!.optimizeDeps!.include = [...include.filter((name) => name !== 'debug'), 'fastdom', 'fastdom/extensions/fastdom-promised.js', '@observablehq/plot', 'linkedom']

export default config
