import { afterAll, describe, expect, it } from 'vitest'
import { chapter, fence, position, TestProject } from './test-project.ts'

const project = new TestProject()
afterAll(() => project.dispose())

const good = {
  '01-one.md': chapter(1, fence('ts file=src/a.ts', 'export const a = 1') + fence('ts test', 'it("a is 1", () => expect(a).toBe(1))')),
  '02-two.md': chapter(2, fence('ts file=src/b.ts', 'export const b = a + 1') + fence('ts example', 'console.log(b)')),
}

describe('write: all or nothing', () => {
  it('changes nothing under generated/ when any chapter has an error', () => {
    project.chapters(good)
    expect(project.tangle().errors).toEqual([])
    const before = project.snapshot()
    project.chapters({ ...good, '02-two.md': chapter(2, fence('ts file=src/b.ts', 'export const b: string = a')) })
    expect(project.tangle().errors).toHaveLength(1)
    expect(project.snapshot()).toEqual(before)
    project.chapters({ ...good, '03-three.md': chapter(3, fence('ts file=src/c.ts', 'export const c = 1') + fence('ts bogus', '')) })
    expect(project.tangle().errors).toHaveLength(1)
    expect(project.snapshot()).toEqual(before)
  })

  it('writes a manifest, and removes a file it wrote once no block targets it', () => {
    project.chapters(good)
    project.tangle()
    expect(JSON.parse(project.read('generated/.tangle-manifest.json')).files).toContain('src/b.ts')
    project.chapters({ '01-one.md': good['01-one.md'] })
    const run = project.tangle()
    expect(run.written?.removed).toEqual(['examples/02-two.ts', 'examples/02-two.ts.map', 'src/b.ts', 'src/b.ts.map'])
    expect(project.exists('generated/src/b.ts')).toBe(false)
    expect(project.exists('generated/examples')).toBe(false)
  })

  it('never overwrites or removes a file it did not write', () => {
    project.chapters(good)
    project.tangle()
    project.write('generated/src/mine.ts', '// written by hand\n')
    project.write('generated/outputs/01-one.json', '{}\n')
    const two = chapter(2, fence('ts file=src/mine.ts', 'export const mine = 1'))
    project.chapters({ '01-one.md': good['01-one.md'], '02-two.md': two })
    expect(project.tangle().errors).toEqual([
      `chapters/02-two.md:${position(two, '```ts')}: error: generated/src/mine.ts exists and was not written by the tangler; it will not overwrite it (move the file away or choose another target)`,
    ])
    expect(project.read('generated/src/mine.ts')).toBe('// written by hand\n')
    project.chapters(good)
    expect(project.tangle().errors).toEqual([])
    expect(project.read('generated/src/mine.ts')).toBe('// written by hand\n')
    expect(project.read('generated/outputs/01-one.json')).toBe('{}\n')
  })
})

describe('write: deterministic, and --check', () => {
  it('writes the same bytes every time, from a clean tree or not', () => {
    project.chapters(good)
    project.tangle()
    const first = project.snapshot()
    const again = project.tangle()
    expect(again.written?.written).toEqual([])
    expect(project.snapshot()).toEqual(first)
    const fresh = new TestProject()
    try {
      fresh.chapters(good).tangle()
      const normalise = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([p]) => !p.includes('mine.ts') && !p.includes('outputs')))
      expect(normalise(fresh.snapshot())).toEqual(normalise(first))
    } finally {
      fresh.dispose()
    }
  })

  it('--check passes on a tangled tree and lists what differs when a chapter changed', () => {
    project.chapters(good)
    project.tangle()
    expect(project.tangle({ check: true }).stale).toEqual([])
    project.chapters({ ...good, '02-two.md': good['02-two.md'].replace('a + 1', 'a + 2') })
    expect(project.tangle({ check: true }).stale).toEqual(['differs: generated/src/b.ts'])
    project.write('generated/src/b.ts', '// edited by hand\n')
    project.chapters({ '01-one.md': good['01-one.md'] })
    expect(project.tangle({ check: true }).stale).toEqual([
      'differs: generated/src/index.ts',
      'stale: generated/examples/02-two.ts',
      'stale: generated/examples/02-two.ts.map',
      'stale: generated/src/b.ts',
      'stale: generated/src/b.ts.map',
      'differs: generated/.tangle-manifest.json',
    ])
  })
})
