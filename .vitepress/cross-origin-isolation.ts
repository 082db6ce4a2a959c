/**
 * Cross-origin isolation for the book's own servers. The live demos train with the WebAssembly
 * kernels on several threads, which share one memory: a SharedArrayBuffer, which a browser gives
 * only to a page served with these two headers (`crossOriginIsolated` is then true). Without them
 * the demos still run, on one thread, and say so.
 *
 * - `vitepress dev` (`npm run book`): VitePress answers page requests with its own middleware,
 *   which Vite's `server.headers` does not reach, so a plugin sets the headers on every response.
 * - `vite preview`: the same plugin's preview hook.
 * - `vitepress preview`: VitePress serves the built site with its own server (polka and sirv),
 *   which reads no header settings at all; `isolateVitePressPreview` adds the headers to every HTTP
 *   server that process creates.
 *
 * Everything the site loads is same-origin (fonts, scripts, Mermaid, the search index; formulas are
 * typeset at build time), so `require-corp` blocks nothing.
 */
import http from 'node:http'
import type { UserConfig } from 'vitepress'

/** A Vite plugin of the Vite that VitePress bundles (its own version, not the project's). */
type VitePressVitePlugin = Extract<NonNullable<NonNullable<UserConfig['vite']>['plugins']>[number], { name: string }>

/** COOP and COEP: the pair that makes a page cross-origin isolated. */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

function setIsolationHeaders(response: http.ServerResponse): void {
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) response.setHeader(name, value)
}

/** A Vite plugin that sends COOP and COEP with every response of the dev and preview servers. */
export function crossOriginIsolation(): VitePressVitePlugin {
  const middleware = (_request: http.IncomingMessage, response: http.ServerResponse, next: () => void): void => {
    setIsolationHeaders(response)
    next()
  }
  return {
    name: 'book:cross-origin-isolation',
    // Added here, not in a returned function, so that it runs before every middleware of Vite and VitePress.
    configureServer(server) {
      server.middlewares.use(middleware)
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware)
    },
  }
}

/**
 * When this process is `vitepress preview` (or `vitepress serve`), makes every HTTP server it
 * creates send COOP and COEP. The config file is loaded before VitePress starts its server, in the
 * same process, and VitePress calls `http.createServer` through the module object patched here.
 */
export function isolateVitePressPreview(argv: readonly string[] = process.argv): void {
  const command = argv.slice(2).find((arg) => ['dev', 'build', 'preview', 'serve', 'init'].includes(arg))
  if (command !== 'preview' && command !== 'serve') return
  const create = http.createServer as (...args: unknown[]) => http.Server
  if ((create as { isolating?: boolean }).isolating) return
  const isolating = (...args: unknown[]): http.Server => {
    const server = create(...args)
    server.prependListener('request', (_request: http.IncomingMessage, response: http.ServerResponse) => setIsolationHeaders(response))
    return server
  }
  isolating.isolating = true
  ;(http as { createServer: unknown }).createServer = isolating
}
