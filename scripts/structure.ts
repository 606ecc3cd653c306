// Structure checks over a folder of TypeScript sources: import cycles between its files and over-long functions.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export interface LongFunction {
  /** Path relative to the folder checked. */
  file: string;
  name: string;
  /** 1-based line of the opening brace. */
  line: number;
  /** Lines from the opening to the closing brace, both included. */
  lines: number;
}

/**
 * Every elementary cycle of relative imports and re-exports (type-only ones included) among the .ts files below
 * `dir`, each as file names relative to `dir`, starting at its alphabetically first file.
 */
export function importCycles(dir: string): string[][] {
  const files = sourceFiles(dir);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = relativeSpecifiers(parse(dir, file))
      .map((specifier) => resolveImport(file, specifier, known))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)].sort());
  }
  return elementaryCycles(graph);
}

/** Functions, methods, accessors, constructors and block-bodied arrows below `dir` whose body spans more than `maxLines`. */
export function longFunctions(dir: string, maxLines: number): LongFunction[] {
  const found: LongFunction[] = [];
  for (const file of sourceFiles(dir)) {
    const source = parse(dir, file);
    const visit = (node: ts.Node): void => {
      const body = functionBody(node);
      if (body) {
        const first = source.getLineAndCharacterOfPosition(body.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(body.getEnd()).line;
        const lines = last - first + 1;
        if (lines > maxLines) found.push({ file, name: functionName(node), line: first + 1, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }))
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => name.split(path.sep).join("/"))
    .sort();
}

function parse(dir: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.Latest, true);
}

/** `import … from "./x"`, `import type …`, `export … from "./x"` and `import x = require("./x")`. */
function relativeSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) specifier = statement.moduleSpecifier;
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      specifier = statement.moduleReference.expression;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) specifiers.push(specifier.text);
  }
  return specifiers;
}

function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = base.replace(/\.js$/, "");
  return [`${stem}.ts`, `${stem}/index.ts`].find((candidate) => known.has(candidate));
}

/** Cycles found from each start node through later nodes only, so each cycle is listed once. */
function elementaryCycles(graph: Map<string, string[]>): string[][] {
  const order = [...graph.keys()].sort();
  const cycles: string[][] = [];
  for (const [index, start] of order.entries()) {
    const allowed = new Set(order.slice(index));
    const walk = (node: string, trail: string[]): void => {
      for (const next of graph.get(node) ?? []) {
        if (next === start) cycles.push([...trail]);
        else if (allowed.has(next) && !trail.includes(next)) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

function functionBody(node: ts.Node): ts.Block | undefined {
  const isFunctionLike = ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)
    || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node)
    || ts.isSetAccessorDeclaration(node);
  return isFunctionLike && node.body && ts.isBlock(node.body) ? node.body : undefined;
}

/** `name`, `Class.method`, or the variable or property an anonymous function is assigned to. */
function functionName(node: ts.Node): string {
  const holder = node.parent;
  const own = ts.isConstructorDeclaration(node) ? "constructor" : nameText((node as ts.FunctionLikeDeclaration).name);
  const assignedTo = ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)
    ? nameText(holder.name)
    : undefined;
  const name = own ?? assignedTo ?? "<anonymous>";
  const owningClass = ts.isClassLike(holder) ? holder : ts.isPropertyDeclaration(holder) ? holder.parent : undefined;
  const owner = owningClass && nameText(owningClass.name);
  return owner ? `${owner}.${name}` : name;
}

function nameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}
