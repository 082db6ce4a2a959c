/**
 * A throwaway project for the tangler's tests: a temp folder with `chapters/`, the real
 * `tsconfig.json` and `node_modules` (linked), so chapters written by a test tangle as they would here.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BookChecker, tangle, type TangleRun } from './index.ts'
import { formatDiagnostic } from './diagnostics.ts'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export class TestProject {
  readonly root: string
  private checker?: BookChecker

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'tangle-test-'))
    cpSync(join(PROJECT_ROOT, 'tsconfig.json'), join(this.root, 'tsconfig.json'))
    cpSync(join(PROJECT_ROOT, 'vitest.config.ts'), join(this.root, 'vitest.config.ts'))
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(this.root, 'node_modules'))
    mkdirSync(join(this.root, 'chapters'))
  }

  /** Replaces all chapters with the given ones (file name → Markdown). */
  chapters(files: Record<string, string>): this {
    rmSync(join(this.root, 'chapters'), { recursive: true, force: true })
    mkdirSync(join(this.root, 'chapters'))
    for (const [name, text] of Object.entries(files)) this.write(`chapters/${name}`, text)
    return this
  }

  write(path: string, text: string): this {
    mkdirSync(dirname(join(this.root, path)), { recursive: true })
    writeFileSync(join(this.root, path), text)
    return this
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8')
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path))
  }

  /** Tangles; the checker is kept warm across calls, as watch mode does. */
  tangle(options: { check?: boolean; typecheck?: boolean } = {}): TangleRun & { errors: string[] } {
    if (options.typecheck !== false) this.checker ??= new BookChecker(this.root)
    const run = tangle({ root: this.root, check: options.check, typecheck: options.typecheck, checker: this.checker })
    return { ...run, errors: run.diagnostics.map(formatDiagnostic) }
  }

  /** Every file under generated/ with its content: a snapshot to compare before and after. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {}
    const dir = join(this.root, 'generated')
    const walk = (d: string) => {
      if (!existsSync(d)) return
      for (const name of readdirSync(d)) {
        const p = join(d, name)
        if (statSync(p).isDirectory()) walk(p)
        else out[relative(this.root, p)] = readFileSync(p, 'utf8')
      }
    }
    walk(dir)
    return out
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true })
  }
}

/** A chapter's Markdown: front matter, then the given body. */
export function chapter(number: number, body: string, title = `Chapter ${number}`): string {
  return `---\ntitle: ${title}\npart: Test\nchapter: ${number}\n---\n\n${body.trim()}\n`
}

/** A fenced block. */
export function fence(info: string, code: string): string {
  return '```' + info + '\n' + code.trim() + '\n```\n'
}

/** `line:column` (1-based) of the first occurrence of `needle` in `text`: where a diagnostic must point. */
export function position(text: string, needle: string): string {
  const at = text.indexOf(needle)
  if (at < 0) throw new Error(`"${needle}" is not in the chapter`)
  const before = text.slice(0, at).split('\n')
  return `${before.length}:${before[before.length - 1]!.length + 1}`
}
