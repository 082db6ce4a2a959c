/**
 * Stage 2, analyse: parse one block's code as TypeScript and say what it declares, what it
 * imports, and which names it uses without declaring them (so the assembler can import them).
 *
 * Uses the compiler's parser only (no type checker), so it is fast enough to run on every save.
 */
import { ts } from 'ts-morph'
import type { Diagnostic } from './diagnostics.ts'
import type { CodeBlock } from './parse.ts'

/** A top-level statement of a block, as a range of the block's lines (0-based, inclusive). */
export interface Statement {
  kind: 'import' | 'class' | 'declaration' | 'other'
  /** Declared names (one for most declarations, several for `const a = 1, b = 2`). */
  names: string[]
  exported: boolean
  /** Declares only a type (interface or type alias): imported with `import type`. */
  typeOnly: boolean
  firstLine: number
  lastLine: number
  /** Where the (first) declared name stands, 0-based within the block. */
  nameLine: number
  nameColumn: number
  /** For classes: the lines holding `{` and `}`, and the names of the members. */
  classBody?: ClassBody
  /** The statement's text, for imports (deduplicated by text). */
  text: string
}

export interface ClassBody {
  openLine: number
  closeLine: number
  /** `{` ends its line and `}` starts its own: members can be spliced in by whole lines. */
  spliceable: boolean
  members: ClassMember[]
  heritage: string
}

export interface ClassMember {
  name: string
  /** get and set accessors of one name may come from different blocks. */
  accessor?: 'get' | 'set'
  line: number
  column: number
}

export interface AnalysedBlock {
  block: CodeBlock
  lines: string[]
  statements: Statement[]
  /** Names used in the block and not declared anywhere inside it (candidates for imports). */
  freeNames: Map<string, { line: number; column: number }>
  source: ts.SourceFile
}

/** Parses a block; syntax errors become diagnostics at the chapter line. */
export function analyseBlock(block: CodeBlock, diagnostics: Diagnostic[]): AnalysedBlock | undefined {
  const source = ts.createSourceFile(`${block.slug}-${block.index}.ts`, block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const syntax = (source as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []
  if (syntax.length > 0) {
    const lastLine = Math.max(0, block.code.replace(/\n$/, '').split('\n').length - 1)
    for (const d of syntax) {
      const { line, character } = source.getLineAndCharacterOfPosition(Math.min(d.start, block.code.replace(/\n$/, '').length))
      diagnostics.push({
        file: block.chapterPath,
        line: block.codeLine + Math.min(line, lastLine),
        column: character + 1,
        message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      })
    }
    return undefined
  }
  const lines = block.code.replace(/\n$/, '').split('\n')
  const statements = source.statements.map((s) => describeStatement(s, source))
  return { block, lines, statements, freeNames: freeNames(source), source }
}

function lineOf(source: ts.SourceFile, pos: number): number {
  return source.getLineAndCharacterOfPosition(pos).line
}

function describeStatement(node: ts.Statement, source: ts.SourceFile): Statement {
  const exported = ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  const nameNode = declaredNameNode(node)
  const nameAt = source.getLineAndCharacterOfPosition((nameNode ?? node).getStart(source))
  const base = {
    exported,
    nameLine: nameAt.line,
    nameColumn: nameAt.character,
    typeOnly: false,
    // Leading doc comments belong to the statement; so does the rest of its last line.
    firstLine: lineOf(source, node.getFullStart() + leadingTriviaToComments(node, source)),
    lastLine: lineOf(source, node.getEnd()),
    text: node.getText(source),
  }
  if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
    return { ...base, kind: 'import', names: [] }
  }
  if (ts.isClassDeclaration(node) && node.name) {
    return { ...base, kind: 'class', names: [node.name.text], classBody: describeClassBody(node, source) }
  }
  if (ts.isFunctionDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) {
    return { ...base, kind: 'declaration', names: node.name && ts.isIdentifier(node.name) ? [node.name.text] : [] }
  }
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
    return { ...base, kind: 'declaration', names: [node.name.text], typeOnly: true }
  }
  if (ts.isVariableStatement(node)) {
    const names: string[] = []
    for (const d of node.declarationList.declarations) collectBindingNames(d.name, names)
    return { ...base, kind: 'declaration', names }
  }
  return { ...base, kind: 'other', names: [] }
}

function declaredNameNode(node: ts.Statement): ts.Node | undefined {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations[0]?.name
  return (node as unknown as { name?: ts.Node }).name
}

/** Offset from a node's full start to its first comment or token (blank lines before it are not its own). */
function leadingTriviaToComments(node: ts.Node, source: ts.SourceFile): number {
  const full = node.getFullStart()
  const comments = ts.getLeadingCommentRanges(source.text, full)
  const first = comments?.[0]?.pos ?? node.getStart(source)
  return first - full
}

function describeClassBody(node: ts.ClassDeclaration, source: ts.SourceFile): ClassBody {
  const text = source.text
  // members.pos is just after the class's `{`; the class ends just after its `}`.
  const openBrace = text.lastIndexOf('{', node.members.pos)
  const closeBrace = node.getEnd() - 1
  const openLine = lineOf(source, openBrace)
  const closeLine = lineOf(source, closeBrace)
  const afterOpen = text.slice(openBrace + 1, text.indexOf('\n', openBrace) === -1 ? text.length : text.indexOf('\n', openBrace))
  const beforeClose = text.slice(text.lastIndexOf('\n', closeBrace) + 1, closeBrace)
  const spliceable = openLine < closeLine && afterOpen.trim() === '' && beforeClose.trim() === ''
  const members: ClassMember[] = []
  for (const m of node.members) {
    const name = memberName(m, source)
    if (name === undefined) continue
    const at = source.getLineAndCharacterOfPosition(m.getStart(source))
    const accessor = ts.isGetAccessorDeclaration(m) ? 'get' : ts.isSetAccessorDeclaration(m) ? 'set' : undefined
    members.push({ name, accessor, line: at.line, column: at.character })
  }
  const heritage = (node.heritageClauses ?? []).map((h) => h.getText(source)).join(' ')
  return { openLine, closeLine, spliceable, members, heritage }
}

function memberName(m: ts.ClassElement, source: ts.SourceFile): string | undefined {
  if (ts.isConstructorDeclaration(m)) return m.body ? 'constructor' : undefined
  if (ts.isClassStaticBlockDeclaration(m)) return undefined
  if (ts.isIndexSignatureDeclaration(m)) return '[index]'
  // Overload signatures (no body) share a name with their implementation.
  if ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) && !m.body) return undefined
  const isStatic = ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.StaticKeyword)
  return m.name ? (isStatic ? 'static ' : '') + m.name.getText(source) : undefined
}

function collectBindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text)
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) collectBindingNames(e.name, out)
}

/** Node kinds whose `name` child declares rather than uses a name. */
const DECLARING_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.EnumMember,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.TypeParameter,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.NamespaceExport,
  ts.SyntaxKind.LabeledStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.NamedTupleMember,
])

/** Is this identifier a use of a name that scope lookup must resolve (not a declaration or a property key)? */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false
  if (ts.isQualifiedName(parent) && parent.right === id) return false
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return ts.isExportSpecifier(parent) && (parent.propertyName ?? parent.name) === id
  if (ts.isMetaProperty(parent)) return false
  if (ts.isImportTypeNode(parent)) return false
  if (ts.isJsxAttribute(parent)) return false
  if (DECLARING_KINDS.has(parent.kind) && (parent as unknown as { name?: ts.Node }).name === id) return false
  return true
}

/** The names a scope node declares directly (parameters, locals, hoisted functions, type parameters). */
function declaredIn(scope: ts.Node): Set<string> {
  const names = new Set<string>()
  const addBinding = (n: ts.BindingName) => {
    const out: string[] = []
    collectBindingNames(n, out)
    for (const x of out) names.add(x)
  }
  const addStatements = (statements: readonly ts.Statement[]) => {
    for (const s of statements) {
      if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) addBinding(d.name)
      else if (
        (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) &&
        s.name &&
        ts.isIdentifier(s.name)
      ) {
        names.add(s.name.text)
      } else if (ts.isImportDeclaration(s) && s.importClause) {
        const c = s.importClause
        if (c.name) names.add(c.name.text)
        if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.add(c.namedBindings.name.text)
        if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) names.add(e.name.text)
      } else if (ts.isImportEqualsDeclaration(s)) names.add(s.name.text)
    }
  }
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) addStatements(scope.statements)
  else if (ts.isCaseBlock(scope)) for (const c of scope.clauses) addStatements(c.statements)
  if (ts.isFunctionLike(scope)) {
    for (const p of scope.parameters) addBinding(p.name)
    for (const t of scope.typeParameters ?? []) names.add(t.name.text)
    if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name) names.add(scope.name.text)
  }
  if ((ts.isClassLike(scope) || ts.isInterfaceDeclaration(scope) || ts.isTypeAliasDeclaration(scope)) && scope.typeParameters) {
    for (const t of scope.typeParameters) names.add(t.name.text)
  }
  if (ts.isClassExpression(scope) && scope.name) names.add(scope.name.text)
  if (ts.isCatchClause(scope) && scope.variableDeclaration) addBinding(scope.variableDeclaration.name)
  if ((ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    for (const d of scope.initializer.declarations) addBinding(d.name)
  }
  if (ts.isMappedTypeNode(scope)) names.add(scope.typeParameter.name.text)
  if (ts.isConditionalTypeNode(scope)) {
    scope.extendsType.forEachChild(function visit(n): void {
      if (ts.isInferTypeNode(n)) names.add(n.typeParameter.name.text)
      n.forEachChild(visit)
    })
  }
  return names
}

/** Every name the block uses that no scope inside the block declares, with its first position. */
function freeNames(source: ts.SourceFile): Map<string, { line: number; column: number }> {
  const scopes = new Map<ts.Node, Set<string>>()
  const declares = (scope: ts.Node, name: string) => {
    let names = scopes.get(scope)
    if (!names) scopes.set(scope, (names = declaredIn(scope)))
    return names.has(name)
  }
  const free = new Map<string, { line: number; column: number }>()
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isReference(node) && !free.has(node.text)) {
      let scope: ts.Node | undefined = node.parent
      let found = false
      for (; scope; scope = scope.parent) if (declares(scope, node.text)) { found = true; break }
      if (!found) {
        const at = source.getLineAndCharacterOfPosition(node.getStart(source))
        free.set(node.text, { line: at.line, column: at.character })
      }
    }
    // `x` in `{ x }` is both a key and a use: the identifier is the name of a shorthand assignment.
    node.forEachChild(visit)
  }
  visit(source)
  return free
}
