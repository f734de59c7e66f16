/**
 * Static reading of a handler file with luaparse (Lua 5.3 grammar): which functions the table the
 * file returns defines, which ctx capabilities the code calls with which literal arguments, and,
 * from one parse, its scopes (lua-scopes.ts) and what it does with input, ctx and modules
 * (lua-code-facts.ts).
 * `ihub validate`, the catalog and the version gate all read Lua through this module, so they
 * see the same calls.
 *
 * Handlers receive ctx as their first parameter under any name, so the names tracked are `ctx`
 * plus the first parameter of every function in the returned table. A helper that receives ctx
 * under another name is not followed: that is a known blind spot, not an error. Any other
 * `x.device.http` is not taken for a ctx call: validate reports what it finds as errors, so the
 * reading must not invent calls.
 */
import luaparse from "luaparse";
import type { Position } from "../validate/source-position.js";
import { collectCodeFacts, type LuaCodeFacts } from "./lua-code-facts.js";
import { type LuaNode as Node, positionOf as pos, stringValue } from "./lua-node.js";
import { resolveScopes, type Scopes } from "./lua-scopes.js";

export type LuaPath = { exact: string } | { prefix: string; shown: string };

/** Marks a part of a path only known at run time. */
export const DYNAMIC_PART = "{…}";

export type LuaCtxCall = {
  /** The capability after the ctx name, e.g. `device.http`, `integration.cacheGet`, `emit`. */
  capability: string;
  position: Position;
  /** First argument: its value when it is a string literal, null when it is anything else, undefined when absent. */
  firstArg: string | null | undefined;
  /** device.http only: the literal method (GET when not given) and path of the request table. */
  method?: string | null;
  path?: LuaPath | null;
};

export type HandlerAnalysis = {
  /** Functions defined by the returned table, by name; null when the table cannot be read statically. */
  exported: Map<string, Position> | null;
  /** Every key of the returned table, functions or not; null when the table cannot be read statically or gets keys that cannot be named. */
  tableKeys: Set<string> | null;
  /** Where the file's final `return` is (or the file's start), for findings about the table. */
  returnPosition: Position;
  calls: LuaCtxCall[];
  /** Exported name -> the function's node, where the value is a function the file defines. */
  functions: Map<string, Node>;
  scopes: Scopes;
  facts: LuaCodeFacts;
};

/** `a.b.c` or `a["b"].c` -> ["a", "b", "c"]; null for anything dynamic. */
function memberChain(n: Node): string[] | null {
  if (n.type === "Identifier") return [String(n.name)];
  if (n.type === "MemberExpression" && n.indexer === ".") {
    const base = memberChain(n.base as Node);
    return base ? [...base, String((n.identifier as Node).name)] : null;
  }
  if (n.type === "IndexExpression") {
    const base = memberChain(n.base as Node);
    const key = stringValue(n.index as Node);
    return base && key !== null ? [...base, key] : null;
  }
  return null;
}

function tableField(table: Node | undefined, name: string): Node | undefined {
  if (table?.type !== "TableConstructorExpression") return undefined;
  for (const f of table.fields as Node[]) {
    if (f.type === "TableKeyString" && (f.key as Node).name === name) return f.value as Node;
    if (f.type === "TableKey" && stringValue(f.key as Node) === name) return f.value as Node;
  }
  return undefined;
}

/** Literal text of a string or a concatenation of strings, with run-time parts as DYNAMIC_PART. */
function shownText(n: Node): string {
  if (n.type === "BinaryExpression" && n.operator === "..") return shownText(n.left as Node) + shownText(n.right as Node);
  return stringValue(n) ?? DYNAMIC_PART;
}

function literalPath(n: Node | undefined): LuaPath | null {
  if (!n) return null;
  const exact = stringValue(n);
  if (exact !== null) return { exact };
  let left: Node = n;
  while (left.type === "BinaryExpression" && left.operator === "..") left = left.left as Node;
  const prefix = left === n ? null : stringValue(left);
  return prefix !== null && prefix !== "" ? { prefix, shown: shownText(n) } : null;
}

type TableEntry = { name: string; value: Node | undefined; at: Node };

function tableEntries(table: Node): TableEntry[] {
  const out: TableEntry[] = [];
  for (const f of table.fields as Node[]) {
    if (f.type === "TableKeyString") out.push({ name: String((f.key as Node).name), value: f.value as Node, at: f });
    else if (f.type === "TableKey") {
      const key = stringValue(f.key as Node);
      if (key !== null) out.push({ name: key, value: f.value as Node, at: f });
    }
  }
  return out;
}

/** Entries of the module table `M` built by `local M = {...}`, `function M.f()`, `M.f = ...` at the top level. */
function moduleEntries(body: Node[], name: string): TableEntry[] | null {
  let found = false;
  const out: TableEntry[] = [];
  for (const s of body) {
    if (s.type === "LocalStatement" || s.type === "AssignmentStatement") {
      const vars = s.variables as Node[];
      const inits = s.init as Node[];
      vars.forEach((v, i) => {
        const init = inits[i];
        if (v.type === "Identifier" && v.name === name) {
          if (init?.type === "TableConstructorExpression") {
            found = true;
            out.push(...tableEntries(init));
          }
          return;
        }
        const chain = memberChain(v);
        if (chain?.length === 2 && chain[0] === name) out.push({ name: chain[1]!, value: init, at: v });
      });
    } else if (s.type === "FunctionDeclaration" && s.identifier) {
      const chain = memberChain(s.identifier as Node);
      if (chain?.length === 2 && chain[0] === name) out.push({ name: chain[1]!, value: s, at: s });
      // `function M:f()` is a MemberExpression with indexer ":".
      const id = s.identifier as Node;
      if (id.type === "MemberExpression" && id.indexer === ":" && (id.base as Node).type === "Identifier" && (id.base as Node).name === name) {
        out.push({ name: String((id.identifier as Node).name), value: s, at: s });
      }
    }
  }
  return found ? out : null;
}

const isFunctionValue = (n: Node | undefined) => n?.type === "FunctionDeclaration" || n?.type === "Identifier" || n?.type === "MemberExpression";

/** Every node in pre-order, with an explicit stack: member and call chains can nest thousands deep. */
function walk(root: unknown, visit: (n: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    if (!node || typeof node !== "object" || typeof (node as Node).type !== "string") continue;
    visit(node as Node);
    const children = Object.entries(node).filter(([key, value]) => key !== "loc" && value && typeof value === "object");
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]![1]);
  }
}

function callArguments(call: Node): Node[] {
  if (call.type === "CallExpression") return call.arguments as Node[];
  return [call.argument as Node];
}

/** Throws luaparse's error on a syntax error; callers check syntax with fengari first. */
export function analyseHandlerFile(text: string): HandlerAnalysis {
  const chunk = luaparse.parse(text, { luaVersion: "5.3", locations: true, comments: false, scope: false }) as unknown as Node;
  const body = chunk.body as Node[];
  const ret = [...body].reverse().find((s) => s.type === "ReturnStatement");
  const returned = (ret?.arguments as Node[] | undefined)?.[0];

  let entries: TableEntry[] | null = null;
  if (returned?.type === "TableConstructorExpression") entries = tableEntries(returned);
  else if (returned?.type === "Identifier") entries = moduleEntries(body, String(returned.name));

  const scopes = resolveScopes(chunk);
  const functions = new Map<string, Node>();
  const ctxNames = new Set(["ctx"]);
  let exported: Map<string, Position> | null = null;
  if (entries) {
    exported = new Map();
    for (const e of entries) {
      if (!isFunctionValue(e.value)) continue;
      exported.set(e.name, pos(e.at));
      const fn = functionNode(e.value, scopes);
      if (fn) functions.set(e.name, fn);
      const params = e.value?.type === "FunctionDeclaration" ? (e.value.parameters as Node[]) : [];
      const colon = e.value?.type === "FunctionDeclaration" && (e.value.identifier as Node | null)?.indexer === ":";
      const first = colon ? "self" : params[0]?.type === "Identifier" ? String(params[0].name) : undefined;
      if (first) ctxNames.add(first);
    }
  }

  const calls: LuaCtxCall[] = [];
  walk(body, (n) => {
    if (n.type !== "CallExpression" && n.type !== "StringCallExpression" && n.type !== "TableCallExpression") return;
    const chain = memberChain(n.base as Node);
    if (!chain || chain.length < 2 || !ctxNames.has(chain[0]!)) return;
    const args = callArguments(n);
    const call: LuaCtxCall = {
      capability: chain.slice(1).join("."),
      position: pos(n),
      firstArg: args[0] === undefined ? undefined : stringValue(args[0]),
    };
    if (call.capability === "device.http") {
      const options = args[1];
      const method = tableField(options, "method");
      call.method = method === undefined ? "GET" : (stringValue(method)?.toUpperCase() ?? null);
      call.path = literalPath(tableField(options, "path"));
    }
    calls.push(call);
  });

  const facts = collectCodeFacts(chunk, scopes, new Set(functions.values()));
  const returnedLocal = returned?.type === "Identifier" ? scopes.bindingOf.get(returned) : undefined;
  const tableKeys = entries && !(returnedLocal && facts.openTables.has(returnedLocal)) ? new Set(entries.map((e) => e.name)) : null;
  return { exported, tableKeys, returnPosition: pos(ret), calls, functions, scopes, facts };
}

/** The function an exported value is: defined in place, or a local function (or `local f = function`) never reassigned. */
function functionNode(value: Node | undefined, scopes: Scopes): Node | undefined {
  if (value?.type === "FunctionDeclaration") return value;
  const b = value?.type === "Identifier" ? scopes.bindingOf.get(value) : undefined;
  return b && !b.reassigned && b.init?.type === "FunctionDeclaration" ? b.init : undefined;
}

/** A `ctx.device.http` call whose alias, method and path (or its prefix) are known before run time. */
export type DeviceHttpCall = { alias: string; method: string; path: LuaPath; position: Position };

export function deviceHttpCalls(calls: readonly LuaCtxCall[]): DeviceHttpCall[] {
  return calls.flatMap((c) =>
    c.capability === "device.http" && typeof c.firstArg === "string" && c.method && c.path ? [{ alias: c.firstArg, method: c.method, path: c.path, position: c.position }] : [],
  );
}

/** The known device HTTP calls of one Lua source; a file that does not parse yields none (`ihub validate` reports it). */
export function deviceHttpCallsIn(source: string): DeviceHttpCall[] {
  try {
    return deviceHttpCalls(analyseHandlerFile(source).calls);
  } catch {
    return [];
  }
}
