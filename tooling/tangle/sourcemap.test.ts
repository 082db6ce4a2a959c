import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chapter, fence, position, PROJECT_ROOT, TestProject } from './test-project.ts'

const project = new TestProject()
afterAll(() => project.dispose())

describe('source maps: failures point at chapter lines', () => {
  it('maps a failing assertion and an error thrown in library code to their chapter lines', () => {
    const one = chapter(
      1,
      'The library:\n\n' +
        fence('ts file=src/checks.ts', "export function positive(x: number): number {\n  if (x <= 0) throw new Error(`expected a positive number, got ${x}`)\n  return x\n}") +
        '\nThe claims:\n\n' +
        fence('ts test', "it('adds up', () => {\n  expect(1 + 1).toBe(3)\n})\n\nit('accepts only positive numbers', () => {\n  positive(-1)\n})"),
    )
    project.chapters({ '01-one.md': one })
    expect(project.tangle().errors).toEqual([])
    const vitest = join(PROJECT_ROOT, 'node_modules/.bin/vitest')
    const run = spawnSync(vitest, ['run', '--reporter=verbose'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    const output = run.stdout + run.stderr
    expect(run.status).toBe(1)
    // The assertion's line, the throw inside the library, and the test line that called it.
    expect(output).toContain(`chapters/01-one.md:${position(one, 'toBe(3)')}`)
    expect(output).toContain(`chapters/01-one.md:${position(one, 'new Error').split(':')[0]}:`)
    expect(output).toContain(`chapters/01-one.md:${position(one, 'positive(-1)').split(':')[0]}:`)
    expect(output).not.toMatch(/generated\/tests\/01-one\.test\.ts:\d+/)
  })
})
