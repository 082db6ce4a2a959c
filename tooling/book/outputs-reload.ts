/**
 * A Vite plugin for `vitepress dev`: when `npm run examples` rewrites a chapter's outputs, the
 * chapter's page is rendered again and the browser reloads, as if the chapter itself had changed.
 */
import { join, relative, sep } from 'node:path'
import type { UserConfig } from 'vitepress'
import { OUTPUTS_DIR } from './outputs.ts'

/** A Vite plugin of the Vite that VitePress bundles (its own version, not the project's). */
type VitePressVitePlugin = Extract<NonNullable<NonNullable<UserConfig['vite']>['plugins']>[number], { name: string }>

/** Reloads a chapter's page when its `generated/outputs/<slug>/` changes. */
export function outputsReload(root: string, chaptersDir = 'chapters'): VitePressVitePlugin {
  return {
    name: 'book-outputs-reload',
    apply: 'serve',
    configureServer(server) {
      const outputs = join(root, OUTPUTS_DIR)
      server.watcher.add(outputs)
      let timer: ReturnType<typeof setTimeout> | undefined
      const changed = new Set<string>()
      server.watcher.on('all', (_event, file) => {
        if (!file.startsWith(outputs + sep)) return
        const slug = relative(outputs, file).split(sep)[0]!
        if (slug.startsWith('.')) return
        changed.add(slug)
        clearTimeout(timer)
        timer = setTimeout(() => {
          for (const name of changed) {
            const page = join(root, chaptersDir, `${name}.md`)
            for (const module of server.moduleGraph.getModulesByFile(page) ?? []) server.moduleGraph.invalidateModule(module)
          }
          changed.clear()
          server.ws.send({ type: 'full-reload' })
        }, 200)
      })
    },
  }
}
