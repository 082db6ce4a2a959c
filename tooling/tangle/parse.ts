/**
 * Stage 1, parse: read the chapters, find their fenced TypeScript blocks with markdown-it,
 * and read each block's info string (`ts file=src/x.ts hidden`) into a typed `CodeBlock`.
 *
 * Nothing here knows TypeScript; it only says where each block is and where it goes.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, posix } from 'node:path'
import MarkdownIt from 'markdown-it'
import matter from 'gray-matter'
import type { Diagnostic } from './diagnostics.ts'

/** What a block is for, from its info string. */
export type BlockKind = 'file' | 'test' | 'example' | 'snippet' | 'nocheck'

/** One fenced TypeScript block of a chapter. */
export interface CodeBlock {
  /** The chapter's path relative to the project root, e.g. `chapters/01-why-depth-is-hard.md`. */
  chapterPath: string
  /** The chapter's slug, e.g. `01-why-depth-is-hard`. */
  slug: string
  /** The chapter number (book order). */
  chapter: number
  /** Position of the block within its chapter's TypeScript blocks, from 0. */
  index: number
  kind: BlockKind
  /** For `file=` blocks: the target relative to `generated/`, normalised, e.g. `src/layers/conv2d.ts`. */
  target?: string
  /** Tangled and checked, not rendered. */
  hidden: boolean
  /** Takes more than a few seconds: skipped unless asked for. */
  slow: boolean
  /** The info string as written after the fence, trimmed. */
  info: string
  /** 1-based line of the opening fence. */
  fenceLine: number
  /** 1-based line of the block's first line of code. */
  codeLine: number
  /** The code, each line as in the chapter (container prefixes removed by markdown-it). */
  code: string
}

/** A chapter and what its front matter says. */
export interface Chapter {
  path: string
  slug: string
  number: number
  title: string
  part: string
  frontMatter: Record<string, unknown>
  blocks: CodeBlock[]
}

export interface ParsedBook {
  chapters: Chapter[]
  diagnostics: Diagnostic[]
}

/** The languages whose fences are TypeScript blocks. */
const TS_LANGUAGES = new Set(['ts', 'typescript'])
const KIND_FLAGS = new Set(['test', 'example', 'nocheck'])
const MODIFIER_FLAGS = new Set(['hidden', 'slow'])
/** Files the tangler writes itself; a block may not target them. */
const RESERVED_TARGETS = new Set(['src/index.ts', 'src/node/index.ts'])
const CHAPTER_FILE = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/

const markdown = new MarkdownIt()

/** Reads every chapter under `chaptersDir` (`chapters/` below `root`) in book order. */
export function parseBook(root: string, chaptersDir = 'chapters'): ParsedBook {
  const dir = join(root, chaptersDir)
  const diagnostics: Diagnostic[] = []
  const chapters: Chapter[] = []
  const numbers = new Map<number, string>()
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.md')) continue
    const path = posix.join(chaptersDir, name)
    const source = readFileSync(join(dir, name), 'utf8')
    const match = CHAPTER_FILE.exec(name)
    const chapter = parseChapter(path, source, diagnostics, match ? Number(match[1]) : undefined)
    if (!match) {
      // Unnumbered pages (the front page, a glossary) may not carry code: book order needs a number.
      for (const b of chapter.blocks) {
        diagnostics.push(at(path, b.fenceLine, 1, `TypeScript blocks belong in numbered chapters (NN-slug.md), not in ${name}`))
      }
      continue
    }
    const previous = numbers.get(chapter.number)
    if (previous !== undefined) {
      diagnostics.push(at(path, 1, 1, `chapter number ${chapter.number} is already used by ${previous}`))
    }
    numbers.set(chapter.number, path)
    chapters.push(chapter)
  }
  chapters.sort((a, b) => a.number - b.number)
  return { chapters, diagnostics }
}

/**
 * Parses one chapter's text. `number` comes from the file name; front matter may repeat it
 * (`chapter: 4`) and must then agree.
 */
export function parseChapter(path: string, source: string, diagnostics: Diagnostic[], number?: number): Chapter {
  const name = posix.basename(path, '.md')
  const { body, data } = readFrontMatter(path, source, diagnostics)
  const chapterNumber = number ?? Number.NaN
  if (number !== undefined && data.chapter !== undefined && Number(data.chapter) !== number) {
    diagnostics.push(at(path, 1, 1, `front matter says chapter ${String(data.chapter)}, but the file name says ${number}`))
  }
  const lines = body.split('\n')
  const tokens = markdown.parse(body, {})
  const blocks: CodeBlock[] = []
  for (const token of tokens) {
    if (token.type !== 'fence' || !token.map) continue
    const [start, end] = token.map
    const fenceText = lines[start] ?? ''
    const fenceColumn = fenceText.indexOf(token.markup) + 1
    if (!isClosed(lines, token.markup, start, end)) {
      diagnostics.push(at(path, start + 1, fenceColumn, `unclosed code fence ${token.markup}${token.info ? ' ' + token.info.trim() : ''}`))
      continue
    }
    const info = token.info.trim()
    const words = splitWords(fenceText, token.markup, info)
    if (words.length === 0) continue
    const language = words[0]!
    if (!TS_LANGUAGES.has(language.text)) {
      if (/^(ts|typescript)\W/.test(language.text)) {
        diagnostics.push(at(path, start + 1, language.column, `unknown attribute in "${language.text}": write the language, then bare words and key=value words`))
      }
      continue
    }
    const block = readAttributes(path, start + 1, words.slice(1), diagnostics)
    if (!block) continue
    blocks.push({
      chapterPath: path,
      slug: name,
      chapter: chapterNumber,
      index: blocks.length,
      info,
      fenceLine: start + 1,
      codeLine: start + 2,
      code: token.content,
      ...block,
    })
  }
  const title = typeof data.title === 'string' ? data.title : firstHeading(tokens) ?? name
  const part = data.part === undefined ? '' : String(data.part)
  return { path, slug: name, number: chapterNumber, title, part, frontMatter: data, blocks }
}

/** Front matter is replaced by blank lines so that line numbers in the body stay the file's. */
function readFrontMatter(path: string, source: string, diagnostics: Diagnostic[]): { body: string; data: Record<string, unknown> } {
  if (!source.startsWith('---')) return { body: source, data: {} }
  try {
    const parsed = matter(source)
    const headerLines = source.slice(0, source.length - parsed.content.length).split('\n').length - 1
    return { body: '\n'.repeat(headerLines) + parsed.content, data: parsed.data as Record<string, unknown> }
  } catch (error) {
    const mark = (error as { mark?: { line?: number; column?: number } }).mark
    diagnostics.push(at(path, (mark?.line ?? 0) + 1, (mark?.column ?? 0) + 1, `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`))
    return { body: source, data: {} }
  }
}

/** markdown-it runs an unclosed fence to the end of its container; a closed one ends on a fence line. */
function isClosed(lines: string[], markup: string, start: number, end: number): boolean {
  if (end - 1 <= start) return false
  const last = (lines[end - 1] ?? '').replace(/^[\s>]*/, '')
  const closing = /^(`{3,}|~{3,})\s*$/.exec(last)
  return closing !== null && closing[1]![0] === markup[0] && closing[1]!.length >= markup.length
}

interface Word {
  text: string
  /** 1-based column on the fence line. */
  column: number
}

/** Splits the info string into words, remembering where each stands on the fence line. */
function splitWords(fenceText: string, markup: string, info: string): Word[] {
  const infoStart = fenceText.indexOf(markup) + markup.length
  const offset = fenceText.indexOf(info, infoStart)
  const words: Word[] = []
  for (const m of info.matchAll(/\S+/g)) {
    words.push({ text: m[0], column: offset + (m.index ?? 0) + 1 })
  }
  return words
}

type Attributes = Pick<CodeBlock, 'kind' | 'target' | 'hidden' | 'slow'>

function readAttributes(path: string, line: number, words: Word[], diagnostics: Diagnostic[]): Attributes | undefined {
  let kind: BlockKind = 'snippet'
  let kindWord: Word | undefined
  let target: string | undefined
  const seen = new Set<string>()
  const flags = new Set<string>()
  let ok = true
  const fail = (word: Word, message: string) => {
    diagnostics.push(at(path, line, word.column, message))
    ok = false
  }
  for (const word of words) {
    const eq = word.text.indexOf('=')
    const key = eq >= 0 ? word.text.slice(0, eq) : word.text
    if (seen.has(key)) {
      fail(word, `attribute "${key}" is given twice`)
      continue
    }
    seen.add(key)
    if (eq >= 0 && key !== 'file') {
      fail(word, `unknown attribute "${word.text}" (known: file=PATH, test, example, nocheck, hidden, slow)`)
    } else if (key === 'file') {
      const value = eq >= 0 ? word.text.slice(eq + 1) : ''
      const problem = checkTarget(value)
      if (problem) fail(word, problem)
      else target = posix.normalize(value)
      if (kindWord) fail(word, `"${word.text}" cannot be combined with "${kindWord.text}": a block is one of file=, test, example, nocheck`)
      kind = 'file'
      kindWord = word
    } else if (KIND_FLAGS.has(key)) {
      if (kindWord) fail(word, `"${word.text}" cannot be combined with "${kindWord.text}": a block is one of file=, test, example, nocheck`)
      kind = key as BlockKind
      kindWord = word
    } else if (MODIFIER_FLAGS.has(key)) {
      flags.add(key)
    } else {
      fail(word, `unknown attribute "${word.text}" (known: file=PATH, test, example, nocheck, hidden, slow)`)
    }
  }
  const slowWord = words.find((w) => w.text === 'slow')
  if (slowWord && kind !== 'test' && kind !== 'example') fail(slowWord, '"slow" applies only to test and example blocks')
  const hiddenWord = words.find((w) => w.text === 'hidden')
  if (hiddenWord && kind === 'nocheck') fail(hiddenWord, '"hidden" with "nocheck" would neither show nor check the block')
  if (!ok) return undefined
  return { kind, target, hidden: flags.has('hidden'), slow: flags.has('slow') }
}

/** Why a `file=` value is not allowed, or undefined when it is. */
export function checkTarget(value: string): string | undefined {
  if (value === '') return '"file=" needs a path, e.g. file=src/layers/conv2d.ts'
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || value.includes('\\')) {
    return `file=${value} must be a relative path inside generated/src, e.g. file=src/layers/conv2d.ts`
  }
  if (!value.endsWith('.ts') || value.endsWith('.d.ts')) return `file=${value} must name a .ts file`
  const normal = posix.normalize(value)
  if (value.split('/').includes('..') || !normal.startsWith('src/')) {
    return `file=${value} escapes generated/src: targets are relative paths starting with src/`
  }
  if (RESERVED_TARGETS.has(normal)) return `file=${value} is written by the tangler (it exports the public API)`
  return undefined
}

function firstHeading(tokens: ReturnType<typeof markdown.parse>): string | undefined {
  const i = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1')
  return i >= 0 ? tokens[i + 1]?.content : undefined
}

function at(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, message }
}
