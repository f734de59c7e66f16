/**
 * The repository's import rules, read from the sources: code outside runtime/ reaches the runtime
 * only through the entries of its `exports` map, never a path into runtime/; product folders
 * never import test support; and no module imports itself through a circle of static imports.
 * Dynamic imports are left out of the circle check: the verb table loads each verb lazily and the
 * verbs import the table's types, which is the lazy loading the CLI's start-up relies on.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./ihub-process.js";

const RUNTIME_PACKAGE = "@ihub/runtime";
const SCANNED = ["runtime", "tooling", "bench", "site"];
const SKIPPED = new Set(["node_modules", "dist", ".astro", "test-fixtures"]);
const CODE = /\.(ts|mts|js|mjs|astro)$/;

/** `eager`: a static import that stays in the compiled JavaScript (not `import type`, not `import()`). */
type Import = { specifier: string; eager: boolean };

function codeFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : codeFiles(rel);
    return CODE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Static imports and re-exports, and dynamic imports of a literal; an .astro file's frontmatter is read as TypeScript. */
function importsOf(file: string): Import[] {
  let text = readFileSync(path.join(REPO_ROOT, file), "utf8");
  if (file.endsWith(".astro")) text = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? (node.importClause?.isTypeOnly ?? false) || onlyTypeSpecifiers(node.importClause?.namedBindings, !node.importClause?.name) : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, eager: !typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, eager: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `import { type A, type B } from` is erased like `import type`; a bare `import "x"` is not. */
function onlyTypeSpecifiers(bindings: ts.NamedImportBindings | undefined, noDefault: boolean): boolean {
  return noDefault && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

const exportsMap = (JSON.parse(readFileSync(path.join(REPO_ROOT, "runtime", "package.json"), "utf8")) as { exports: Record<string, { "ihub-source": string }> }).exports;

/** The repository file an import names (sources, as tests and tsc see them), or undefined for a package outside the repository. */
function resolve(from: string, specifier: string): string | undefined {
  if (specifier === RUNTIME_PACKAGE || specifier.startsWith(`${RUNTIME_PACKAGE}/`)) {
    const entry = exportsMap[`.${specifier.slice(RUNTIME_PACKAGE.length)}`];
    return entry && path.posix.join("runtime", entry["ihub-source"]);
  }
  if (!specifier.startsWith(".")) return undefined;
  return path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, ".ts");
}

const files = SCANNED.flatMap(codeFiles);
const imports = new Map(files.map((file) => [file, importsOf(file)]));
const isTest = (file: string) => /\.test\.ts$/.test(file);
const isProduct = (file: string) => /^(runtime|tooling)\/src\//.test(file) && !isTest(file);

describe("imports", () => {
  it("reach the runtime from outside it only through an entry of its exports map", () => {
    const wrong = files
      .filter((file) => !file.startsWith("runtime/"))
      .flatMap((file) =>
        imports.get(file)!.flatMap(({ specifier }) => {
          const target = resolve(file, specifier);
          const throughPath = specifier.startsWith(".") && target?.startsWith("runtime/");
          const unknownEntry = specifier.startsWith(RUNTIME_PACKAGE) && target === undefined;
          return throughPath || unknownEntry ? [`${file}: ${specifier}`] : [];
        }),
      );
    expect(wrong).toEqual([]);
  });

  it("keep the runtime apart from the tooling, and product code apart from test support", () => {
    const wrong = files.filter(isProduct).flatMap((file) =>
      imports.get(file)!.flatMap(({ specifier }) => {
        const target = resolve(file, specifier) ?? "";
        const upward = file.startsWith("runtime/") && (target.startsWith("tooling/") || specifier.startsWith(RUNTIME_PACKAGE));
        return upward || target.includes("/test-support/") ? [`${file}: ${specifier}`] : [];
      }),
    );
    expect(wrong).toEqual([]);
  });

  it("form no circle of eager imports", () => {
    const graph = new Map(files.map((file) => [file, imports.get(file)!.flatMap((i) => (i.eager ? (resolve(file, i.specifier) ?? []) : []))]));
    expect(circles(graph)).toEqual([]);
  });
});

/** The strongly connected components of more than one module (or a module importing itself), by Tarjan's algorithm. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}
