/**
 * Stage 7, write: put the generated tree on disk, all or nothing.
 *
 * The tangler keeps a manifest of the files it wrote (`generated/.tangle-manifest.json`). It
 * writes changed files into a temporary tree first and then renames each into place, removes
 * files it wrote before that no block targets now, and never touches a file it did not write.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const MANIFEST = '.tangle-manifest.json'

/** The files a tangle produces: path relative to `generated/` → content. */
export type Tree = Map<string, string>

export interface WriteResult {
  written: string[]
  unchanged: string[]
  removed: string[]
}

/** The paths the tangler wrote last time (relative to `generated/`). */
export function readManifest(generatedRoot: string): Set<string> {
  const path = join(generatedRoot, MANIFEST)
  if (!existsSync(path)) return new Set()
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { files?: string[] }
  return new Set(parsed.files ?? [])
}

/** Paths the tree would write over that exist on disk and were not written by the tangler. */
export function foreignTargets(generatedRoot: string, tree: Tree): string[] {
  const manifest = readManifest(generatedRoot)
  return [...tree.keys()].filter((p) => !manifest.has(p) && existsSync(join(generatedRoot, p))).sort()
}

/** What differs between the tree and the disk: `--check` lists these. */
export function differences(generatedRoot: string, tree: Tree): string[] {
  const out: string[] = []
  for (const [path, content] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = join(generatedRoot, path)
    if (!existsSync(file)) out.push(`missing: generated/${path}`)
    else if (readFileSync(file, 'utf8') !== content) out.push(`differs: generated/${path}`)
  }
  for (const path of [...readManifest(generatedRoot)].sort()) {
    if (!tree.has(path) && existsSync(join(generatedRoot, path))) out.push(`stale: generated/${path}`)
  }
  const manifestFile = join(generatedRoot, MANIFEST)
  const manifest = manifestText(tree)
  if (!existsSync(manifestFile) || readFileSync(manifestFile, 'utf8') !== manifest) out.push(`differs: generated/${MANIFEST}`)
  return out
}

function manifestText(tree: Tree): string {
  const files = [...tree.keys()].sort()
  return JSON.stringify({ note: 'Files written by `npm run tangle`; it removes only these.', files }, null, 2) + '\n'
}

/** Writes the tree: changed files through a temporary tree and renames, then stale files removed. */
export function writeTree(generatedRoot: string, tree: Tree): WriteResult {
  mkdirSync(generatedRoot, { recursive: true })
  const before = readManifest(generatedRoot)
  const changed: string[] = []
  const unchanged: string[] = []
  for (const [path, content] of tree) {
    const file = join(generatedRoot, path)
    if (existsSync(file) && readFileSync(file, 'utf8') === content) unchanged.push(path)
    else changed.push(path)
  }
  const staging = join(generatedRoot, `.tangle-tmp-${process.pid}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  try {
    for (const path of changed) {
      const file = join(staging, path)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, tree.get(path)!)
    }
    writeFileSync(join(staging, MANIFEST), manifestText(tree))
    for (const path of changed) {
      const target = join(generatedRoot, path)
      mkdirSync(dirname(target), { recursive: true })
      renameSync(join(staging, path), target)
    }
    renameSync(join(staging, MANIFEST), join(generatedRoot, MANIFEST))
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
  const removed: string[] = []
  for (const path of [...before].sort()) {
    if (tree.has(path)) continue
    const file = join(generatedRoot, path)
    if (existsSync(file)) {
      rmSync(file)
      removed.push(path)
      removeEmptyParents(generatedRoot, dirname(file))
    }
  }
  return { written: changed.sort(), unchanged: unchanged.sort(), removed }
}

function removeEmptyParents(stop: string, dir: string): void {
  while (dir.startsWith(stop) && dir !== stop && existsSync(dir) && readdirSync(dir).length === 0) {
    rmdirSync(dir)
    dir = dirname(dir)
  }
}
