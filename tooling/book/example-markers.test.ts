import { describe, expect, it } from 'vitest'
import { findMarkers, prepareExampleModule } from './example-markers.ts'

const MODULE = [
  "import { linePlot } from '../src/plot/charts'",
  '',
  '// @example 3 chapters/01-demo.md:20',
  'const a = 1',
  'console.log(a)',
  '',
  '// @example 5 chapters/01-demo.md:31 slow',
  'const b = `two',
  'lines`',
  '// @example 7 chapters/01-demo.md:40',
  'console.log(a + 1)',
  '//# sourceMappingURL=01-demo.ts.map',
  '',
].join('\n')

describe('findMarkers', () => {
  it('reads index, chapter line, slow flag and module line of every marker', () => {
    expect(findMarkers(MODULE)).toEqual([
      { index: 3, chapterPath: 'chapters/01-demo.md', fenceLine: 20, slow: false, line: 3 },
      { index: 5, chapterPath: 'chapters/01-demo.md', fenceLine: 31, slow: true, line: 7 },
      { index: 7, chapterPath: 'chapters/01-demo.md', fenceLine: 40, slow: false, line: 10 },
    ])
  })

  it('ignores comments that only look like markers', () => {
    expect(findMarkers('  // @example 1 chapters/x.md:3\n// @example x chapters/x.md:3\n')).toEqual([])
  })
})

describe('prepareExampleModule', () => {
  it('keeps every line in place, so source maps stay valid', () => {
    const prepared = prepareExampleModule(MODULE, new Set([5]))
    expect(prepared.split('\n').length).toBe(MODULE.split('\n').length)
  })

  it('replaces each marker by a call naming its block', () => {
    const lines = prepareExampleModule(MODULE).split('\n')
    expect(lines[2]).toBe(';(globalThis as any).__bookExample?.(3)')
    expect(lines[9]).toBe(';(globalThis as any).__bookExample?.(7)')
  })

  it('comments out skipped blocks up to the next marker, template literals included', () => {
    const lines = prepareExampleModule(MODULE, new Set([5])).split('\n')
    expect(lines.slice(6, 11)).toEqual([
      ';(globalThis as any).__bookExample?.(5, true)',
      '// const b = `two',
      '// lines`',
      ';(globalThis as any).__bookExample?.(7)',
      'console.log(a + 1)',
    ])
    expect(lines[11]).toBe('//# sourceMappingURL=01-demo.ts.map')
  })
})
