import { describe, expect, it } from 'vitest'
import { codeHash, formatOutputs, prefixSvgIds } from './outputs.ts'

describe('outputs', () => {
  it('prefixes ids and every reference to them', () => {
    const svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"><use href="#clip1"/><a href="#other"/></g></svg>'
    expect(prefixSvgIds(svg, 'p-')).toBe(
      '<svg><clipPath id="p-clip1"><rect/></clipPath><g clip-path="url(#p-clip1)"><use href="#p-clip1"/><a href="#other"/></g></svg>',
    )
  })

  it('leaves SVGs without ids alone', () => {
    expect(prefixSvgIds('<svg><rect/></svg>', 'p-')).toBe('<svg><rect/></svg>')
  })

  it('serialises the same outputs to the same bytes', () => {
    const outputs = { note: 'n', chapter: 'chapters/01-x.md', examples: [{ index: 1, codeHash: codeHash('x'), slow: false, stdout: 'hi\n', figures: [] }] }
    expect(formatOutputs(outputs)).toBe(formatOutputs(structuredClone(outputs)))
    expect(formatOutputs(outputs).endsWith('}\n')).toBe(true)
    expect(codeHash('x')).toMatch(/^[0-9a-f]{16}$/)
  })
})
