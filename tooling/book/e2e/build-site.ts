/**
 * Global setup of `npm run test:e2e`: builds the site once (`vitepress build`) for every browser
 * test file. Set BOOK_E2E_SKIP_BUILD=1 to test the site already in .vitepress/dist.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

export default function buildSite(): void {
  if (process.env.BOOK_E2E_SKIP_BUILD) return
  const started = performance.now()
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitepress/bin/vitepress.js'), 'build'], { cwd: ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`vitepress build failed:\n${build.stdout}\n${build.stderr}`)
  console.log(`site built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
