/**
 * Stage 6, check: type-check every generated module together (ts-morph over the compiler), and
 * check that the book reads in order: no chapter uses a name that only a later chapter defines.
 * Every problem is reported at its chapter line through the modules' line origins.
 */
import { join } from 'node:path'
import { Project, ts } from 'ts-morph'
import type { Diagnostic } from './diagnostics.ts'
import type { RenderedModule } from './render.ts'

/** Keeps one ts-morph project alive so that a re-check (watch mode) reuses unchanged files. */
export class BookChecker {
  private readonly project: Project
  private readonly current = new Map<string, string>()

  constructor(private readonly root: string, private readonly generatedDir = 'generated') {
    this.project = new Project({
      tsConfigFilePath: join(root, 'tsconfig.json'),
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
    })
  }

  /** Type errors and forward references in the given modules, at their chapter lines. */
  check(modules: RenderedModule[]): Diagnostic[] {
    const byFile = new Map<string, RenderedModule>()
    for (const m of modules) {
      const file = join(this.root, this.generatedDir, m.path)
      byFile.set(file, m)
      if (this.current.get(file) !== m.text) {
        this.project.createSourceFile(file, m.text, { overwrite: true })
        this.current.set(file, m.text)
      }
    }
    for (const file of [...this.current.keys()]) {
      if (byFile.has(file)) continue
      const sf = this.project.getSourceFile(file)
      if (sf) this.project.removeSourceFile(sf)
      this.current.delete(file)
    }
    const program = this.project.getProgram().compilerObject
    const diagnostics: Diagnostic[] = []
    for (const [file, module] of byFile) {
      const sf = program.getSourceFile(file)
      if (!sf) continue
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        diagnostics.push(locate(module, sf, d.start ?? 0, `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ')}`, this.generatedDir))
      }
    }
    diagnostics.push(...forwardReferences(program, byFile))
    return diagnostics
  }
}

function locate(module: RenderedModule, sf: ts.SourceFile, position: number, message: string, generatedDir: string): Diagnostic {
  const { line, character } = sf.getLineAndCharacterOfPosition(position)
  const origin = module.lines[line]?.origin
  if (origin) return { file: origin.file, line: origin.line, column: character + 1, message }
  return { file: `${generatedDir}/${module.path}`, line: line + 1, column: character + 1, message }
}

/** Names used in chapter k whose declaration comes from a chapter after k. */
function forwardReferences(program: ts.Program, byFile: Map<string, RenderedModule>): Diagnostic[] {
  const checker = program.getTypeChecker()
  const diagnostics: Diagnostic[] = []
  for (const [file, module] of byFile) {
    const sf = program.getSourceFile(file)
    if (!sf) continue
    const reported = new Set<string>()
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf))
        const use = module.lines[line]?.origin
        if (use && !reported.has(node.text)) {
          const later = laterDeclaration(checker, node, use.chapter, byFile)
          if (later) {
            reported.add(node.text)
            diagnostics.push({
              file: use.file,
              line: use.line,
              column: character + 1,
              message: `"${node.text}" is defined in a later chapter (${later.file}:${later.line}); the book must read in order, so chapter ${use.chapter} cannot use it`,
            })
          }
        }
      }
      node.forEachChild(visit)
    }
    visit(sf)
  }
  return diagnostics
}

function laterDeclaration(checker: ts.TypeChecker, id: ts.Identifier, chapter: number, byFile: Map<string, RenderedModule>) {
  let symbol = checker.getSymbolAtLocation(id)
  if (!symbol) return undefined
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  for (const declaration of symbol.declarations ?? []) {
    const sf = declaration.getSourceFile()
    const module = byFile.get(sf.fileName)
    if (!module) continue
    const line = sf.getLineAndCharacterOfPosition(declaration.getStart(sf)).line
    const origin = module.lines[line]?.origin
    if (origin && origin.chapter > chapter) return origin
  }
  return undefined
}
