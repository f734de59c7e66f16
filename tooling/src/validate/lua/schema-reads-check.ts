/**
 * The fields code reads from a handler's `input` and from `ctx.config`, against the schema each
 * is validated with (inputSchema, configSchema): a field the schema does not declare (an error
 * where the schema is closed by `additionalProperties: false`), a declared property no code reads,
 * and a nil test that disagrees with `required` (a required field tested for nil, an optional one
 * used where nil raises an error with no test anywhere). Reads the analysis cannot follow (the
 * value escapes into another function or table) count as reads of everything below them.
 */
import path from "node:path";
import { toPointer } from "@ihub/runtime/json";
import { type Access, ITEM, type Use } from "../../analysis/lua-code-facts.js";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { LuaNode } from "../../analysis/lua-node.js";
import type { FindingCode } from "../codes.js";
import type { CheckContext } from "../integration-context.js";
import type { Position } from "../source-position.js";
import { closestName, didYouMean } from "./closest-name.js";
import { falsyValuesAllowed, properties, propertyPointer, type SchemaNode, step } from "./schema-navigation.js";

type Read = { file: string; path: readonly string[]; use: Use; position: Position };

type ReadScope = {
  /** How the code names the value: `input` or `ctx.config`. */
  label: string;
  /** How the finding names the schema, e.g. `handlers.greet.inputSchema`. */
  schemaName: string;
  root: SchemaNode;
  reads: Read[];
  /** configSchema defaults are filled in at install, so an optional config field with a default is always there. */
  defaultsApply: boolean;
  codes: { closed: FindingCode; open: FindingCode; unread: FindingCode; guard: FindingCode };
};

const shown = (p: readonly string[]) => p.map((k) => (k === ITEM ? "[…]" : k)).join(".");

/** The paths code reads under one root, as a tree of path prefixes, marked where a value escapes. */
class ReadTree {
  private readonly children = new Map<string, ReadTree>();
  private escaped = false;

  constructor(reads: readonly Read[] = []) {
    for (const r of reads) this.add(r.path, r.use === "escape");
  }

  private add(path: readonly string[], escape: boolean): void {
    let node: ReadTree = this;
    for (const k of path) {
      let child = node.children.get(k);
      if (!child) node.children.set(k, (child = new ReadTree()));
      node = child;
    }
    if (escape) node.escaped = true;
  }

  /** The subtrees a step to `key` reaches: the key itself and a computed key, which may be any. */
  private next(key: string): ReadTree[] {
    return [this.children.get(key), key === ITEM ? undefined : this.children.get(ITEM)].filter((t): t is ReadTree => t !== undefined);
  }

  /** Whether code reads `p` or a field below it, or hands on a value above it. */
  reads(p: readonly string[]): boolean {
    let level: ReadTree[] = [this];
    for (const key of p) {
      if (level.some((t) => t.escaped)) return true;
      level = level.flatMap((t) => t.next(key));
    }
    return level.length > 0;
  }

  /** Whether code hands on `p` or a value above it, so every field below it may be read out of sight. */
  escapes(p: readonly string[]): boolean {
    let level: ReadTree[] = [this];
    for (const key of p) {
      if (level.some((t) => t.escaped)) return true;
      level = level.flatMap((t) => t.next(key));
    }
    return level.some((t) => t.escaped);
  }
}

function checkUndeclared(ctx: CheckContext, scope: ReadScope): void {
  const seen = new Set<string>();
  for (const read of scope.reads) {
    let node = scope.root;
    for (let i = 0; i < read.path.length; i++) {
      const s = step(node, read.path[i]!);
      if (s.kind === "unchecked") break;
      if (s.kind === "declared") {
        node = s.node;
        continue;
      }
      const at = read.path.slice(0, i + 1);
      const key = `${read.file}\0${at.join("\0")}`;
      if (seen.has(key)) break;
      seen.add(key);
      const near = closestName(read.path[i]!, s.names);
      const pointer = near === undefined ? s.pointer : propertyPointer(node.pointer, near);
      ctx.report(s.closed ? scope.codes.closed : scope.codes.open, `${scope.label}.${shown(at)} is not declared by ${scope.schemaName}${s.closed ? ", which allows no other properties" : ""}${didYouMean(near)}`, {
        file: read.file,
        position: read.position,
        pointer,
      });
      break;
    }
  }
}

function checkGuards(ctx: CheckContext, scope: ReadScope): void {
  const byPath = new Map<string, Read[]>();
  for (const r of scope.reads) {
    if (r.path.length === 0 || r.path.includes(ITEM)) continue;
    const key = r.path.join("\0");
    const list = byPath.get(key);
    if (list) list.push(r);
    else byPath.set(key, [r]);
  }
  for (const reads of byPath.values()) {
    const p = reads[0]!.path;
    let node = scope.root;
    let required = false;
    let ok = true;
    for (const k of p) {
      const s = step(node, k);
      if (s.kind !== "declared") {
        ok = false;
        break;
      }
      node = s.node;
      required = s.required;
    }
    if (!ok) continue;
    const guard = reads.find((r) => r.use === "guard");
    const unsafe = reads.find((r) => r.use === "unsafe");
    if (required && guard && !falsyValuesAllowed(node.schema)) {
      ctx.report(scope.codes.guard, `${scope.label}.${shown(p)} is required by ${scope.schemaName}, yet tested for nil here: the test never fails (make the property optional, or drop the test)`, {
        file: guard.file,
        position: guard.position,
        pointer: node.pointer,
      });
    } else if (!required && unsafe && !guard && !(scope.defaultsApply && "default" in node.schema)) {
      ctx.report(scope.codes.guard, `${scope.label}.${shown(p)} is optional in ${scope.schemaName}, yet used here where nil raises an error, with no nil test anywhere (test it, give a default, or make it required)`, {
        file: unsafe.file,
        position: unsafe.position,
        pointer: node.pointer,
      });
    }
  }
}

function checkUnread(ctx: CheckContext, scope: ReadScope, tree: ReadTree, at: SchemaNode, p: string[]): void {
  for (const [key, sub] of Object.entries(properties(at.schema))) {
    const q = [...p, key];
    const node = { schema: typeof sub === "object" && sub !== null ? (sub as Record<string, unknown>) : {}, pointer: propertyPointer(at.pointer, key) };
    if (!tree.reads(q)) {
      ctx.reportAt(scope.codes.unread, `${scope.schemaName} declares ${shown(q)}, but no code reads ${scope.label}.${shown(q)}`, node.pointer, true);
    } else if (!tree.escapes(q)) {
      checkUnread(ctx, scope, tree, node, q);
    }
  }
}

function checkScope(ctx: CheckContext, scope: ReadScope): void {
  checkUndeclared(ctx, scope);
  checkGuards(ctx, scope);
  const tree = new ReadTree(scope.reads);
  if (!tree.escapes([])) checkUnread(ctx, scope, tree, scope.root, []);
}

const asSchema = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** A function that takes its arguments as `...` may read the input under any name. */
const takesVarargs = (fn: LuaNode) => (fn.parameters as LuaNode[]).some((p) => p.type === "VarargLiteral");

export function checkInputReads(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  for (const [name, handler] of Object.entries(ctx.manifest.handlers)) {
    const schema = asSchema(handler.inputSchema);
    const file = path.posix.normalize(handler.file);
    const fn = analyses.get(file)?.functions.get(handler.function);
    if (!schema || !fn || takesVarargs(fn)) continue;
    const reads = analyses
      .get(file)!
      .facts.accesses.filter((a): a is Access & { root: { kind: "input" } } => a.root.kind === "input" && a.root.fn === fn)
      .map((a) => ({ file, path: a.path, use: a.use, position: a.position }));
    checkScope(ctx, {
      label: "input",
      schemaName: `handlers.${name}.inputSchema`,
      root: { schema, pointer: toPointer(["handlers", name, "inputSchema"]) },
      reads,
      defaultsApply: false,
      codes: { closed: "IH100", open: "IH101", unread: "IH102", guard: "IH103" },
    });
  }
}

export function checkConfigReads(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>, complete: boolean): void {
  const schema = asSchema(ctx.manifest.configSchema);
  if (!schema) return;
  const reads: Read[] = [];
  // A Lua file the analysis could not read may read any config property: as if ctx escaped there.
  if (!complete) reads.push({ file: "", path: [], use: "escape", position: { line: 1, column: 1 } });
  for (const [file, analysis] of analyses) {
    for (const a of analysis.facts.accesses) {
      if (a.root.kind !== "ctx") continue;
      // ctx handed somewhere the analysis cannot follow may have its config read there.
      if (a.path.length === 0) reads.push({ file, path: [], use: "escape", position: a.position });
      else if (a.path[0] === "config") reads.push({ file, path: a.path.slice(1), use: a.use, position: a.position });
    }
  }
  checkScope(ctx, {
    label: "ctx.config",
    schemaName: "configSchema",
    root: { schema, pointer: "/configSchema" },
    reads,
    defaultsApply: true,
    codes: { closed: "IH104", open: "IH105", unread: "IH106", guard: "IH107" },
  });
}
