/**
 * Stage "sidebar": the book's table of contents, computed from each chapter's front matter
 * (`title`, `part`, `chapter`) when VitePress loads its config. Chapters are grouped by part, parts
 * ordered by their first chapter, chapters by number, each labelled "N. Title".
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'

/** What the sidebar needs to know about one chapter. */
export interface ChapterEntry {
  /** File name, e.g. `01-why-depth-is-hard.md`. */
  file: string
  /** Site link, e.g. `/01-why-depth-is-hard`. */
  link: string
  number: number
  title: string
  part: string
}

/** A sidebar group as VitePress's default theme takes it. */
export interface SidebarGroup {
  text: string
  collapsed?: boolean
  items: { text: string; link: string }[]
}

const CHAPTER_FILE = /^(\d+)-[a-z0-9-]+\.md$/

/** Reads the numbered chapters (`NN-slug.md`) of a folder; other pages (index.md) are not chapters. */
export function readChapters(chaptersDir: string): ChapterEntry[] {
  return readdirSync(chaptersDir)
    .filter((file) => CHAPTER_FILE.test(file))
    .map((file) => chapterEntry(file, readFileSync(join(chaptersDir, file), 'utf8')))
}

/** One chapter's entry from its file name and text; front matter wins over the file name's number. */
export function chapterEntry(file: string, source: string): ChapterEntry {
  const { data, content } = matter(source)
  const fromName = Number(CHAPTER_FILE.exec(file)?.[1] ?? Number.NaN)
  const number = data.chapter === undefined ? fromName : Number(data.chapter)
  const heading = /^#\s+(.+)$/m.exec(content)?.[1]?.trim()
  const title = typeof data.title === 'string' ? data.title : heading ?? file.replace(/\.md$/, '')
  const part = data.part === undefined ? 'Chapters' : String(data.part)
  return { file, link: `/${file.replace(/\.md$/, '')}`, number, title, part }
}

/** Groups chapters by part (in the order of each part's first chapter) and orders them by number. */
export function buildSidebar(chapters: readonly ChapterEntry[]): SidebarGroup[] {
  const sorted = [...chapters].sort((a, b) => a.number - b.number || a.file.localeCompare(b.file))
  const groups = new Map<string, SidebarGroup>()
  for (const chapter of sorted) {
    let group = groups.get(chapter.part)
    if (!group) {
      group = { text: chapter.part, items: [] }
      groups.set(chapter.part, group)
    }
    group.items.push({ text: `${chapter.number}. ${chapter.title}`, link: chapter.link })
  }
  return [...groups.values()]
}
