import { afterAll, describe, expect, it } from 'vitest'
import { chapter, fence, position, TestProject } from './test-project.ts'

const project = new TestProject()
afterAll(() => project.dispose())

/** Tangles one chapter (no type-check: these are errors found before it) and returns the errors. */
function errorsOf(body: string): { errors: string[]; text: string } {
  const text = chapter(1, body)
  project.chapters({ '01-one.md': text })
  return { errors: project.tangle({ typecheck: false }).errors, text }
}

describe('parse: block attributes', () => {
  it('reports an unclosed fence at its opening line', () => {
    const { errors, text } = errorsOf('Some prose.\n\n```ts file=src/a.ts\nexport const a = 1\n')
    expect(errors).toEqual([`chapters/01-one.md:${position(text, '```ts file')}: error: unclosed code fence \`\`\` ts file=src/a.ts`])
  })

  it('reports an unknown attribute at its column', () => {
    const { errors, text } = errorsOf(fence('ts test colour=red', 'it("x", () => {})'))
    expect(errors).toEqual([
      `chapters/01-one.md:${position(text, 'colour=red')}: error: unknown attribute "colour=red" (known: file=PATH, test, example, nocheck, hidden, slow)`,
    ])
  })

  it('reports an unknown bare word, and highlight braces glued to the language', () => {
    const { errors, text } = errorsOf(fence('ts exmaple', 'const a = 1') + '\n' + fence('ts{1,2}', 'const b = 2'))
    expect(errors).toEqual([
      `chapters/01-one.md:${position(text, 'exmaple')}: error: unknown attribute "exmaple" (known: file=PATH, test, example, nocheck, hidden, slow)`,
      `chapters/01-one.md:${position(text, 'ts{1,2}')}: error: unknown attribute in "ts{1,2}": write the language, then bare words and key=value words`,
    ])
  })

  it.each([
    ['file=../escape.ts', 'file=../escape.ts escapes generated/src: targets are relative paths starting with src/'],
    ['file=src/../../x.ts', 'file=src/../../x.ts escapes generated/src: targets are relative paths starting with src/'],
    ['file=tests/x.ts', 'file=tests/x.ts escapes generated/src: targets are relative paths starting with src/'],
    ['file=/abs/x.ts', 'file=/abs/x.ts must be a relative path inside generated/src, e.g. file=src/layers/conv2d.ts'],
    ['file=src/x.js', 'file=src/x.js must name a .ts file'],
    ['file=src/index.ts', 'file=src/index.ts is written by the tangler (it exports the public API)'],
    ['file=', '"file=" needs a path, e.g. file=src/layers/conv2d.ts'],
  ])('refuses %s', (attribute, message) => {
    const { errors, text } = errorsOf(fence(`ts ${attribute}`, 'export const a = 1'))
    expect(errors).toEqual([`chapters/01-one.md:${position(text, attribute)}: error: ${message}`])
  })

  it('refuses a block that is two kinds at once, and slow on a library block', () => {
    const { errors, text } = errorsOf(fence('ts test example', 'const a = 1') + '\n' + fence('ts file=src/a.ts slow', 'export const a = 1'))
    expect(errors).toEqual([
      `chapters/01-one.md:${position(text, 'example\n')}: error: "example" cannot be combined with "test": a block is one of file=, test, example, nocheck`,
      `chapters/01-one.md:${position(text, 'slow')}: error: "slow" applies only to test and example blocks`,
    ])
  })

  it('ignores fences in other languages and reads flags', () => {
    project.chapters({
      '01-one.md': chapter(1, fence('mermaid', 'flowchart LR\n a --> b') + fence('ts example slow', 'console.log(1)') + fence('ts file=src/a.ts hidden', 'export const a = 1')),
    })
    const run = project.tangle({ typecheck: false })
    expect(run.errors).toEqual([])
    const blocks = run.book.chapters[0]!.blocks
    expect(blocks.map((b) => [b.kind, b.slow, b.hidden, b.target])).toEqual([
      ['example', true, false, undefined],
      ['file', false, true, 'src/a.ts'],
    ])
  })
})

describe('parse: book order', () => {
  it('orders chapters by their number, not by file name', () => {
    project.chapters({
      '10-ten.md': chapter(10, fence('ts file=src/ten.ts', 'export const ten = 10')),
      '9-nine.md': chapter(9, fence('ts file=src/nine.ts', 'export const nine = 9')),
    })
    expect(project.tangle({ typecheck: false }).book.chapters.map((c) => c.slug)).toEqual(['9-nine', '10-ten'])
  })

  it('refuses front matter that contradicts the file number, and code outside numbered chapters', () => {
    project.chapters({
      '02-two.md': chapter(3, 'Text.'),
      'index.md': '# Home\n\n' + fence('ts', 'const a = 1'),
    })
    expect(project.tangle({ typecheck: false }).errors).toEqual([
      'chapters/02-two.md:1:1: error: front matter says chapter 3, but the file name says 2',
      'chapters/index.md:3:1: error: TypeScript blocks belong in numbered chapters (NN-slug.md), not in index.md',
    ])
  })
})
