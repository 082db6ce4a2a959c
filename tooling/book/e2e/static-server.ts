/**
 * A tiny static file server for the built site, on 127.0.0.1 and a free port. It serves VitePress's
 * clean URLs (`/01-why-depth-is-hard` → `01-why-depth-is-hard.html`) and answers 404 for anything
 * missing, so the browser test sees every broken link and missing asset.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/** A running server: its base URL and a way to stop it. */
export interface StaticServer {
  url: string
  close(): Promise<void>
}

/** Options of serveStatic. */
export interface StaticServerOptions {
  /** Headers sent with every response (e.g. the cross-origin isolation pair). */
  headers?: Readonly<Record<string, string>>
}

/** Serves `dir` on 127.0.0.1 at a free port. */
export async function serveStatic(dir: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value)
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = resolveFile(dir, path)
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end(`not found: ${path}`)
      return
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function resolveFile(dir: string, path: string): string | undefined {
  const safe = normalize(path).replace(/^(\.\.[/\\])+/, '')
  for (const candidate of [safe, `${safe}.html`, join(safe, 'index.html')]) {
    const file = join(dir, candidate)
    if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) return file
  }
  return undefined
}
