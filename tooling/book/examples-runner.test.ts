import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { GenMapping, addMapping, toEncodedMap } from '@jridgewell/gen-mapping'
import { afterAll, describe, expect, it } from 'vitest'
import { parseChapter, type Chapter } from '../tangle/parse.ts'
import { diffOutputs, runChapter, runExamples, writeOutputs } from './examples-runner.ts'
import { loadOutputs } from './outputs.ts'

const FIGURE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><clipPath id="c"/><rect clip-path="url(#c)"/></svg>'

const CHAPTER = `---
title: Demo
part: Tests
chapter: 1
---

# Demo

\`\`\`ts example
const greeting = 'hello'
console.log(greeting, { a: 1 })
\`\`\`

Some prose.

\`\`\`ts example slow
console.log('the slow block ran')
\`\`\`

\`\`\`ts example
show({ svg: '${FIGURE}', width: 10, height: 10 })
process.stdout.write(greeting + ' again\\n')
\`\`\`
`

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

/**
 * A project as `npm run tangle` leaves it: the chapter, a library with `show`, and the examples
 * module with its markers and a source map back to the chapter.
 */
function makeProject(chapterText = CHAPTER): { root: string; chapter: Chapter } {
  const root = mkdtempSync(join(tmpdir(), 'book-examples-'))
  roots.push(root)
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  write('chapters/01-demo.md', chapterText)
  write('generated/src/show.ts', 'export function show(figure: { svg: string }): void {\n  ;(globalThis as any).__bookShow?.(figure)\n}\n')
  const chapter = parseChapter('chapters/01-demo.md', chapterText, [], 1)
  const lines = ["import { show } from '../src/show'", '']
  const map = new GenMapping({ file: '01-demo.ts' })
  for (const block of chapter.blocks.filter((b) => b.kind === 'example')) {
    lines.push(`// @example ${block.index} chapters/01-demo.md:${block.fenceLine}${block.slow ? ' slow' : ''}`)
    block.code
      .replace(/\n$/, '')
      .split('\n')
      .forEach((text, k) => {
        lines.push(text)
        addMapping(map, { generated: { line: lines.length, column: 0 }, source: '../../chapters/01-demo.md', original: { line: block.codeLine + k, column: 0 } })
      })
    lines.push('')
  }
  lines.push('//# sourceMappingURL=01-demo.ts.map')
  write('generated/examples/01-demo.ts', lines.join('\n') + '\n')
  write('generated/examples/01-demo.ts.map', JSON.stringify(toEncodedMap(map)))
  return { root, chapter }
}

describe('runChapter', () => {
  it('gives each block what it printed and showed, and skips slow blocks unless asked', async () => {
    const { root, chapter } = makeProject()
    const run = await runChapter(root, chapter)
    expect(run.failure).toBeUndefined()
    expect([run.ran, run.skipped, run.figures]).toEqual([2, 1, 1])
    const outputs = JSON.parse(run.files.get('examples.json')!)
    expect(outputs.examples.map((e: { index: number; stdout: string; figures: string[] }) => [e.index, e.stdout, e.figures])).toEqual([
      [0, "hello { a: 1 }\n", []],
      [2, 'hello again\n', ['2-1.svg']],
    ])
    expect(run.files.get('2-1.svg')).toBe(FIGURE.replace('id="c"', 'id="01-demo-2-1-c"').replace('url(#c)', 'url(#01-demo-2-1-c)') + '\n')
    expect(readdirSync(join(root, 'generated/examples')).filter((f) => f.startsWith('.')), 'the prepared module is removed').toEqual([])

    const slow = await runChapter(root, chapter, { slow: true })
    const slowOutputs = JSON.parse(slow.files.get('examples.json')!)
    expect(slowOutputs.examples[1]).toMatchObject({ index: 1, slow: true, stdout: 'the slow block ran\n' })
  })

  it('keeps a slow block\'s earlier output when it is not run', async () => {
    const { root, chapter } = makeProject()
    writeOutputs(root, '01-demo', (await runChapter(root, chapter, { slow: true })).files)
    const again = await runChapter(root, chapter)
    expect(JSON.parse(again.files.get('examples.json')!).examples[1].stdout).toBe('the slow block ran\n')
    expect(diffOutputs(root, '01-demo', again.files)).toEqual([])
  })

  it('names the chapter line of an example that throws', async () => {
    const broken = CHAPTER.replace("console.log('the slow block ran')", "console.log('the slow block ran')\nthrow new Error('boom')")
    const { root, chapter } = makeProject(broken)
    const run = await runChapter(root, chapter, { slow: true })
    const line = broken.split('\n').indexOf("throw new Error('boom')") + 1
    expect(run.failure?.split('\n')[0]).toBe(`chapters/01-demo.md:${line}: example failed: Error: boom`)
    expect(run.files.size).toBe(0)
  })

  it('says to tangle again when the examples module does not match the chapter', async () => {
    const { root } = makeProject()
    const edited = CHAPTER.replace('Some prose.', 'Some prose.\n\nMore prose.')
    const run = await runChapter(root, parseChapter('chapters/01-demo.md', edited, [], 1))
    expect(run.failure).toMatch(/^chapters\/01-demo\.md:\d+: generated\/examples\/01-demo\.ts does not match the chapter: run npm run tangle$/)
  })
})

describe('writing and checking outputs', () => {
  it('writes deterministic outputs whole, and --check finds them up to date', async () => {
    const { root, chapter } = makeProject()
    const first = await runChapter(root, chapter)
    expect(writeOutputs(root, '01-demo', first.files)).toBe(true)
    const second = await runChapter(root, chapter)
    expect([...second.files]).toEqual([...first.files])
    expect(writeOutputs(root, '01-demo', second.files)).toBe(false)
    expect(readdirSync(join(root, 'generated/outputs'))).toEqual(['01-demo'])
    expect(loadOutputs(root, '01-demo')?.figures.get('2-1.svg')).toContain('01-demo-2-1-c')
  })

  it('lists stale, missing and extra files', async () => {
    const { root, chapter } = makeProject()
    const run = await runChapter(root, chapter)
    writeOutputs(root, '01-demo', run.files)
    const dir = join(root, 'generated/outputs/01-demo')
    writeFileSync(join(dir, 'examples.json'), readFileSync(join(dir, 'examples.json'), 'utf8').replace('hello again', 'hi'))
    writeFileSync(join(dir, '9-1.svg'), '<svg/>')
    rmSync(join(dir, '2-1.svg'))
    expect(diffOutputs(root, '01-demo', run.files)).toEqual([
      'missing: generated/outputs/01-demo/2-1.svg',
      'stale: generated/outputs/01-demo/examples.json',
      'extra: generated/outputs/01-demo/9-1.svg',
    ])
  })

  it('runExamples --check fails on stale outputs and writes nothing', async () => {
    const { root } = makeProject()
    const lines: string[] = []
    const check = await runExamples({ root, check: true, log: (l) => lines.push(l) })
    expect(check.ok).toBe(false)
    expect(check.stale).toContain('missing: generated/outputs/01-demo/examples.json')
    expect(existsSync(join(root, 'generated/outputs'))).toBe(false)
    expect(lines[0]).toMatch(/^✓ 01-demo {2}2 examples, 1 figure, 1 slow skipped, 2 stale {2}\d+\.\d s$/)

    const write = await runExamples({ root, log: () => {} })
    expect(write.ok).toBe(true)
    expect((await runExamples({ root, check: true, log: () => {} })).ok).toBe(true)
  })
})
