import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chapter, fence, position, PROJECT_ROOT, TestProject } from '../tangle/test-project.ts'

const project = new TestProject()
afterAll(() => project.dispose())
const tsx = join(PROJECT_ROOT, 'node_modules/.bin/tsx')
const cli = join(PROJECT_ROOT, 'tooling/cli/tangle.ts')

function runCli(...args: string[]) {
  return spawnSync(tsx, [cli, '--root', project.root, ...args], { encoding: 'utf8' })
}

describe('npm run tangle', () => {
  it('prints every diagnostic as FILE:LINE:COL: error: message and exits 1', () => {
    const one = chapter(1, fence('ts file=src/a.ts', "export const a: number = 'x'") + fence('ts test colour=red', ''))
    const two = chapter(2, fence('ts file=../b.ts', ''))
    project.chapters({ '01-one.md': one, '02-two.md': two })
    const run = runCli()
    expect(run.status).toBe(1)
    expect(run.stderr.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      `chapters/01-one.md:${position(one, 'colour=red')}: error: unknown attribute "colour=red" (known: file=PATH, test, example, nocheck, hidden, slow)`,
      `chapters/02-two.md:${position(two, 'file=')}: error: file=../b.ts escapes generated/src: targets are relative paths starting with src/`,
    ])
    expect(run.stderr).toMatch(/tangle: 2 errors in 2 chapters, 1 block; generated\/ left unchanged/)
    expect(project.exists('generated')).toBe(false)
  })

  it('writes generated/, and --check then exits 0; after an edit it exits 1 naming the file', () => {
    project.chapters({ '01-one.md': chapter(1, fence('ts file=src/a.ts', 'export const a = 1')) })
    expect(runCli().status).toBe(0)
    const check = runCli('--check')
    expect(check.status, check.stderr).toBe(0)
    project.chapters({ '01-one.md': chapter(1, fence('ts file=src/a.ts', 'export const a = 2')) })
    const stale = runCli('--check')
    expect(stale.status).toBe(1)
    expect(stale.stderr).toContain('differs: generated/src/a.ts')
  })

  it('--watch re-tangles on save, reports errors, and keeps running after them', async () => {
    project.chapters({ '01-one.md': chapter(1, fence('ts file=src/a.ts', 'export const a = 1')) })
    const child = spawn(tsx, [cli, '--root', project.root, '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const waitFor = async (pattern: RegExp, from: number) => {
      for (let i = 0; i < 300 && !pattern.test(output.slice(from)); i++) await new Promise((r) => setTimeout(r, 50))
      expect(output.slice(from)).toMatch(pattern)
    }
    try {
      await waitFor(/watching chapters/, 0)
      let mark = output.length
      project.write('chapters/01-one.md', chapter(1, fence('ts file=src/a.ts', "export const a: number = 'oops'")))
      await waitFor(/error: TS2322/, mark)
      mark = output.length
      project.write('chapters/01-one.md', chapter(1, fence('ts file=src/a.ts', 'export const a = 3')))
      await waitFor(/tangle: 1 chapter, 1 block → \d+ files \(\d+ written/, mark)
      expect(project.read('generated/src/a.ts')).toContain('export const a = 3')
    } finally {
      child.kill()
    }
  })
})
