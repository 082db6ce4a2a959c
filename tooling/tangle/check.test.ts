import { afterAll, describe, expect, it } from 'vitest'
import { chapter, fence, position, TestProject } from './test-project.ts'

const project = new TestProject()
afterAll(() => project.dispose())

describe('check: TypeScript errors at chapter lines', () => {
  it('reports a syntax error at the chapter line and column', () => {
    const one = chapter(1, 'Prose.\n\n' + fence('ts file=src/a.ts', 'export const a = [1, 2\nexport const b = 3'))
    project.chapters({ '01-one.md': one })
    expect(project.tangle().errors).toEqual([`chapters/01-one.md:${position(one, 'export const b')}: error: TS1005: ',' expected.`])
  })

  it('reports a type error at the chapter line and column', () => {
    const one = chapter(1, fence('ts file=src/a.ts', "export const count: number = 'three'"))
    project.chapters({ '01-one.md': one })
    expect(project.tangle().errors).toEqual([
      `chapters/01-one.md:${position(one, 'count')}: error: TS2322: Type 'string' is not assignable to type 'number'.`,
    ])
  })

  it('type-checks tests, examples and snippets against the library', () => {
    const one = chapter(
      1,
      fence('ts file=src/a.ts', 'export const answer = 42') +
        fence('ts test', 'it("is a number", () => expect(answer.toUpperCase()).toBe(""))') +
        fence('ts example', 'const text: string = answer') +
        fence('ts', 'answer()'),
    )
    project.chapters({ '01-one.md': one })
    expect(project.tangle().errors).toEqual([
      `chapters/01-one.md:${position(one, 'toUpperCase')}: error: TS2339: Property 'toUpperCase' does not exist on type '42'.`,
      `chapters/01-one.md:${position(one, 'text:')}: error: TS2322: Type 'number' is not assignable to type 'string'.`,
      `chapters/01-one.md:${position(one, 'answer()')}: error: TS2349: This expression is not callable. Type 'Number' has no call signatures.`,
    ])
  })

  it('does not check nocheck blocks', () => {
    project.chapters({ '01-one.md': chapter(1, fence('ts nocheck', 'this is not TypeScript')) })
    expect(project.tangle().errors).toEqual([])
  })
})

describe('check: the book reads in order', () => {
  it('refuses a name used in a chapter before the chapter that defines it', () => {
    const one = chapter(1, fence('ts file=src/a.ts', 'export const early = () => late + 1'))
    const two = chapter(2, fence('ts file=src/b.ts', 'export const late = 2'))
    project.chapters({ '01-one.md': one, '02-two.md': two })
    expect(project.tangle().errors).toEqual([
      `chapters/01-one.md:${position(one, 'late +')}: error: "late" is defined in a later chapter (chapters/02-two.md:${position(two, 'export const late').split(':')[0]}); the book must read in order, so chapter 1 cannot use it`,
    ])
  })

  it('refuses a method used before the chapter that adds it to its class', () => {
    const one = chapter(1, fence('ts file=src/v.ts', 'export class V {\n  x = 1\n}') + fence('ts test', 'it("doubles", () => expect(new V().twice()).toBe(2))'))
    const two = chapter(2, fence('ts file=src/v.ts', 'class V {\n  twice() {\n    return 2 * this.x\n  }\n}'))
    project.chapters({ '01-one.md': one, '02-two.md': two })
    expect(project.tangle().errors).toEqual([
      `chapters/01-one.md:${position(one, 'twice()')}: error: "twice" is defined in a later chapter (chapters/02-two.md:${position(two, 'twice()').split(':')[0]}); the book must read in order, so chapter 1 cannot use it`,
    ])
  })

  it('accepts the same uses when the chapters come in order', () => {
    project.chapters({
      '01-one.md': chapter(1, fence('ts file=src/b.ts', 'export const late = 2')),
      '02-two.md': chapter(2, fence('ts file=src/a.ts', 'export const early = () => late + 1')),
    })
    expect(project.tangle().errors).toEqual([])
  })
})

describe('check: incremental, as in watch mode', () => {
  it('finds the error an edit causes in another chapter, with the checker kept warm', () => {
    const one = (type: string) => chapter(1, fence('ts file=src/a.ts', `export function half(x: ${type}) {\n  return x\n}`))
    const two = chapter(2, fence('ts test', 'it("halves", () => expect(half(4)).toBe(4))'))
    project.chapters({ '01-one.md': one('number'), '02-two.md': two })
    expect(project.tangle().errors).toEqual([])
    project.chapters({ '01-one.md': one('string'), '02-two.md': two })
    expect(project.tangle().errors).toEqual([
      `chapters/02-two.md:${position(two, '4))')}: error: TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.`,
    ])
    project.chapters({ '01-one.md': one('number'), '02-two.md': two })
    expect(project.tangle().errors).toEqual([])
  })
})

describe('check: every prefix of the book compiles', () => {
  it('type-checks chapters 1..N alone for every N when the whole book has no forward reference', () => {
    const book = {
      '01-one.md': chapter(1, fence('ts file=src/v.ts', 'export class V {\n  constructor(readonly x: number) {}\n}') + fence('ts test', 'it("holds x", () => expect(new V(2).x).toBe(2))')),
      '02-two.md': chapter(2, fence('ts file=src/v.ts', 'class V {\n  twice(): V {\n    return new V(2 * this.x)\n  }\n}') + fence('ts file=src/w.ts', 'export const w = new V(1).twice()')),
      '03-three.md': chapter(3, fence('ts example', 'console.log(w.twice().x)') + fence('ts test', 'it("doubles twice", () => expect(w.twice().x).toBe(4))')),
    }
    project.chapters(book)
    expect(project.tangle().errors).toEqual([])
    const names = Object.keys(book)
    for (let n = 1; n <= names.length; n++) {
      const prefix = Object.fromEntries(names.slice(0, n).map((name) => [name, book[name as keyof typeof book]]))
      expect(project.chapters(prefix).tangle().errors, `chapters 1..${n}`).toEqual([])
    }
  })
})
