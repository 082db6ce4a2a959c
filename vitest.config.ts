import { defineConfig } from 'vitest/config'

/**
 * `npm test`: the tests tangled from the chapters and the tooling's own tests.
 * Generated files carry source maps to their chapters, so failures point at `chapters/NN-slug.md:LINE`.
 */
export default defineConfig({
  test: {
    include: ['generated/tests/**/*.test.ts', 'tooling/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tooling/book/e2e/**'],
    testTimeout: 60_000,
  },
})
