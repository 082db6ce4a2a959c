import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * `npm run test:e2e`: builds the book, serves it, and drives Chromium through every page and the
 * live training demo.
 * Set BOOK_E2E_SKIP_BUILD=1 to test the site already in .vitepress/dist.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['tooling/book/e2e/**/*.e2e.ts'],
    // builds the site once, for every file
    globalSetup: ['tooling/book/e2e/build-site.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
})
