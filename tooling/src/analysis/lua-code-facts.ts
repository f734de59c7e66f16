/**
 * What a handler file's code does with the values it is given, as far as it can be followed
 * statically: which fields of a handler's `input`, of ctx and of a required module it reads and
 * how (tested for nil, or used where nil fails), the tables rpc handlers return and containers
 * are given, and where input is concatenated into a request path. The checks in
 * tooling/src/validate/lua/ compare these facts with the manifest.
 *
 * A value is followed through locals that hold it and are never assigned again (`local f =
 * input.filter`, `local x = input.a or {}`), through `for _, v in ipairs(t)` and into local
 * functions whose parameter is named `ctx`. Where it goes further (passed to another function,
 * stored in a table, iterated with pairs), it "escapes": its fields may be read out of sight,
 * which the checks take into account so they never report a read they cannot see as missing.
 */
import type { Position } from "../validate/source-position.js";
import { type LuaNode, positionOf, stringValue } from "./lua-node.js";
import type { Binding, Scopes } from "./lua-scopes.js";

/** How a value is used where it is read. */
export type Use =
  /** Tested for nil: a condition, `not x`, `x == nil`, `x or default`, `x and ...`, `type(x)`. */
  | "guard"
  /** Used where nil raises an error: indexed, called, an operand of arithmetic, `..`, `#` or `<`. */
  | "unsafe"
  /** Passed somewhere its fields may be read out of sight. */
  | "escape"
  | "read";

/** Where a followed value comes from. Path segments are field names; ITEM stands for any element or computed key. */
export type Root = { kind: "input"; fn: LuaNode } | { kind: "ctx" } | { kind: "module"; name: string };
export const ITEM = "[]";

export type Access = { root: Root; path: readonly string[]; use: Use; position: Position };

/** A table built by a constructor (and, for a local, the fields assigned to it later). */
export type TableShape = {
  fields: Map<string, { position: Position; shape: TableShape | null }>;
  /** Keys are added that cannot be named statically (computed keys, positional values, an escaping local). */
  open: boolean;
  position: Position;
};

export type ReturnedValue = { fn: LuaNode; shape: TableShape | null; position: Position };
export type ContainerWrite = { container: string; shape: TableShape | null; position: Position };
export type PathConcat = { fn: LuaNode; path: readonly string[]; position: Position };

export type LuaCodeFacts = {
  accesses: Access[];
  /** `require("name")` with a literal name. */
  requires: { name: string; position: Position }[];
  /** Every `return` of a handler function (not of functions nested in it), by handler function. */
  returns: ReturnedValue[];
  containerWrites: ContainerWrite[];
  /** Input (or a value held from it) as an operand of `..` inside the `path` of a ctx.device.http request. */
  pathConcats: PathConcat[];
  /** Code can reach globals by computed names (`_ENV`, `_G[k]`, `_G` passed on, `load`): undefined globals cannot be judged. */
  dynamicGlobals: boolean;
  /** `_G.name` reads and writes, besides plain global names. */
  globalFieldReads: { name: string; node: LuaNode }[];
  globalFieldWrites: { name: string; node: LuaNode }[];
  /** `string.format`-style reads of a field of a global, and assignments to one. */
  globalMemberReads: { global: string; name: string; node: LuaNode }[];
  globalMemberWrites: { global: string; name: string }[];
  /** Locals holding a table that gets keys the analysis cannot name (computed keys, or the table handed to other code). */
  openTables: Set<Binding>;
};

type Origin = { root: Root; path: string[] };

const MAX_PATH = 32;

const ARITHMETIC = new Set(["+", "-", "*", "/", "//", "%", "^", "..", "<", "<=", ">", ">=", "&", "|", "~", "<<", ">>"]);

/**
 * `handlerFns`: the function nodes the returned table exports as handlers. Their first parameter
 * is ctx and their second the input, whatever their names; a parameter named `ctx` anywhere is ctx.
 */
export function collectCodeFacts(chunk: LuaNode, scopes: Scopes, handlerFns: ReadonlySet<LuaNode>): LuaCodeFacts {
  const facts: LuaCodeFacts = { accesses: [], requires: [], returns: [], containerWrites: [], pathConcats: [], dynamicGlobals: scopes.usesEnv, globalFieldReads: [], globalFieldWrites: [], globalMemberReads: [], globalMemberWrites: [], openTables: new Set() };
  const origins = new Map<Binding, Origin>();
  const fieldWrites = new Map<Binding, { key: string | null; position: Position; value: LuaNode }[]>();
  const escaped = new Set<Binding>();
  const pendingReturns: { fn: LuaNode; node: LuaNode | undefined; position: Position }[] = [];
  const pendingWrites: { container: string; node: LuaNode | undefined; position: Position }[] = [];
  const fnStack: LuaNode[] = [];

  const bindingOf = (n: LuaNode | undefined) => (n?.type === "Identifier" ? scopes.bindingOf.get(n) : undefined);
  const isGlobal = (n: LuaNode, name: string) => n.type === "Identifier" && n.name === name && !scopes.bindingOf.has(n);

  for (const b of scopes.bindings) {
    if (b.kind !== "param" || !b.fn) continue;
    if (b.name === "ctx" || (handlerFns.has(b.fn) && b.paramIndex === 0)) origins.set(b, { root: { kind: "ctx" }, path: [] });
    else if (handlerFns.has(b.fn) && b.paramIndex === 1) origins.set(b, { root: { kind: "input", fn: b.fn }, path: [] });
  }

  const peeked = new Map<LuaNode, Origin | undefined>();
  /** The origin of an expression, without recording anything; memoised, since every level of a chain asks for its base. */
  function peek(n: LuaNode | undefined): Origin | undefined {
    if (!n) return undefined;
    if (peeked.has(n)) return peeked.get(n);
    // A chain `a.b.c...` may be thousands of fields long: its bases are resolved from the inside out, without recursion.
    const chain: LuaNode[] = [];
    let inner = n;
    while ((inner.type === "MemberExpression" || inner.type === "IndexExpression") && !peeked.has(inner)) {
      chain.push(inner);
      inner = inner.base as LuaNode;
    }
    if (!peeked.has(inner)) peeked.set(inner, bounded(origin(inner)));
    for (let i = chain.length - 1; i >= 0; i--) peeked.set(chain[i]!, bounded(origin(chain[i]!)));
    return peeked.get(n);
  }

  // Deeper than any schema a manifest states: not followed further.
  const bounded = (o: Origin | undefined) => (o && o.path.length <= MAX_PATH ? o : undefined);

  function origin(n: LuaNode): Origin | undefined {
    switch (n.type) {
      case "Identifier": {
        const b = scopes.bindingOf.get(n);
        return b ? origins.get(b) : undefined;
      }
      case "MemberExpression": {
        if (n.indexer !== ".") return undefined;
        const o = peek(n.base as LuaNode);
        return o && { root: o.root, path: [...o.path, String((n.identifier as LuaNode).name)] };
      }
      case "IndexExpression": {
        const o = peek(n.base as LuaNode);
        return o && { root: o.root, path: [...o.path, stringValue(n.index as LuaNode) ?? ITEM] };
      }
      case "LogicalExpression":
        return peek((n.operator === "or" ? n.left : n.right) as LuaNode);
      case "CallExpression":
      case "StringCallExpression": {
        const args = n.type === "CallExpression" ? (n.arguments as LuaNode[]) : [n.argument as LuaNode];
        const name = stringValue(args[0]);
        return isGlobal(n.base as LuaNode, "require") && name !== null ? { root: { kind: "module", name }, path: [] } : undefined;
      }
      default:
        return undefined;
    }
  }

  const record = (o: Origin | undefined, use: Use, node: LuaNode) => {
    if (o && (o.path.length > 0 || use === "escape")) facts.accesses.push({ root: o.root, path: o.path, use, position: positionOf(node) });
  };

  /** The function a call reaches when it is a local function (or `pcall(localFunction, ...)`), and the offset of its arguments. */
  function calledLocal(call: LuaNode, args: LuaNode[]): { fn: LuaNode; offset: number } | undefined {
    let callee = call.base as LuaNode;
    let offset = 0;
    if (isGlobal(callee, "pcall") && args[0]) {
      callee = args[0];
      offset = 1;
    }
    const b = bindingOf(callee);
    const init = b && !b.reassigned ? b.init : undefined;
    return init?.type === "FunctionDeclaration" ? { fn: init, offset } : undefined;
  }

  function call(n: LuaNode): void {
    const args = n.type === "CallExpression" ? (n.arguments as LuaNode[]) : n.type === "TableCallExpression" ? [n.arguments as LuaNode] : [n.argument as LuaNode];
    const base = n.base as LuaNode;
    ex(base, "unsafe");
    const callee = peek(base);
    if (isGlobal(base, "require")) {
      const name = stringValue(args[0]);
      if (name !== null) facts.requires.push({ name, position: positionOf(n) });
    }
    if (callee?.root.kind === "ctx") ctxCall(callee.path.join("."), args, n);
    const local = calledLocal(n, args);
    const argUse = (i: number): Use => {
      if (isGlobal(base, "type") || isGlobal(base, "assert")) return i === 0 ? "guard" : "read";
      if (isGlobal(base, "tostring") || isGlobal(base, "tonumber")) return "read";
      if (isGlobal(base, "ipairs")) return "unsafe";
      if (local) {
        const p = (local.fn.parameters as LuaNode[])[i - local.offset];
        const b = bindingOf(p);
        // ctx handed to a local function that takes it as ctx: followed there.
        if (b && peek(args[i])?.root.kind === "ctx" && peek(args[i])?.path.length === 0 && origins.get(b)?.root.kind === "ctx") return "read";
      }
      return "escape";
    };
    args.forEach((a, i) => ex(a, argUse(i)));
  }

  function ctxCall(capability: string, args: LuaNode[], n: LuaNode): void {
    if (capability === "integration.containersSet") {
      const container = stringValue(args[0]);
      if (container !== null) pendingWrites.push({ container, node: args[2], position: positionOf(args[2] ?? n) });
    }
    if (capability === "device.http" && args[1]?.type === "TableConstructorExpression") {
      for (const f of args[1].fields as LuaNode[]) {
        if (f.type === "TableKeyString" && (f.key as LuaNode).name === "path") findInputConcats(f.value as LuaNode, false);
      }
    }
  }

  function findInputConcats(n: LuaNode | undefined, inConcat: boolean): void {
    if (!n) return;
    if (n.type === "BinaryExpression" && n.operator === "..") {
      findInputConcats(n.left as LuaNode, true);
      findInputConcats(n.right as LuaNode, true);
      return;
    }
    const o = peek(n);
    if (inConcat && o?.root.kind === "input") {
      facts.pathConcats.push({ fn: o.root.fn, path: o.path, position: positionOf(n) });
      return;
    }
    if (n.type === "CallExpression") {
      // tostring(input.id) is still the input's text; any other call's arguments are checked on their own.
      const keep = inConcat && isGlobal(n.base as LuaNode, "tostring");
      for (const a of n.arguments as LuaNode[]) findInputConcats(a, keep);
    }
  }

  function ex(n: LuaNode | null | undefined, use: Use): void {
    if (!n) return;
    switch (n.type) {
      case "Identifier": {
        const b = scopes.bindingOf.get(n);
        if (!b) {
          if (n.name === "_G" && use !== "unsafe") facts.dynamicGlobals = true;
          if (n.name === "load") facts.dynamicGlobals = true;
          return;
        }
        if (use === "escape") escaped.add(b);
        const o = origins.get(b);
        if (o) record(o, use, n);
        return;
      }
      case "MemberExpression":
      case "IndexExpression": {
        // A chain `a.b[c].d...` may be thousands long: its links are visited in a loop, innermost
        // first; every link but the outermost is indexed further, so it is used "unsafe".
        const chain: LuaNode[] = [];
        let inner: LuaNode = n;
        while (inner.type === "MemberExpression" || inner.type === "IndexExpression") {
          chain.push(inner);
          inner = inner.base as LuaNode;
        }
        ex(inner, "unsafe");
        for (let i = chain.length - 1; i >= 0; i--) link(chain[i]!, i === 0 ? use : "unsafe");
        return;
      }
      case "CallExpression":
      case "StringCallExpression":
      case "TableCallExpression":
        return call(n);
      case "FunctionDeclaration":
        return func(n);
      case "TableConstructorExpression":
        for (const f of n.fields as LuaNode[]) {
          if (f.type === "TableKey") ex(f.key as LuaNode, "read");
          ex(f.value as LuaNode, "escape");
        }
        return;
      case "LogicalExpression":
        ex(n.left as LuaNode, "guard");
        return ex(n.right as LuaNode, use);
      case "BinaryExpression": {
        const op = String(n.operator);
        if (op === "==" || op === "~=") {
          const nilTest = (n.left as LuaNode).type === "NilLiteral" || (n.right as LuaNode).type === "NilLiteral";
          ex(n.left as LuaNode, nilTest ? "guard" : "read");
          return ex(n.right as LuaNode, nilTest ? "guard" : "read");
        }
        const operandUse: Use = ARITHMETIC.has(op) ? "unsafe" : "read";
        ex(n.left as LuaNode, operandUse);
        return ex(n.right as LuaNode, operandUse);
      }
      case "UnaryExpression":
        return ex(n.argument as LuaNode, n.operator === "not" ? "guard" : "unsafe");
      default:
        return;
    }
  }

  /** One `.name`, `:name` or `[key]` of a chain whose base has been visited. */
  function link(n: LuaNode, use: Use): void {
    const base = n.base as LuaNode;
    if (n.type === "IndexExpression") {
      const key = stringValue(n.index as LuaNode);
      if (isGlobal(base, "_G")) {
        if (key === null) facts.dynamicGlobals = true;
        else facts.globalFieldReads.push({ name: key, node: n.index as LuaNode });
        return ex(n.index as LuaNode, "read");
      }
      ex(n.index as LuaNode, "unsafe");
      const o = peek(base);
      if (o) record({ root: o.root, path: [...o.path, key ?? ITEM] }, use, n);
      return;
    }
    const name = String((n.identifier as LuaNode).name);
    if (isGlobal(base, "_G")) {
      facts.globalFieldReads.push({ name, node: n.identifier as LuaNode });
      return;
    }
    if (n.indexer === "." && base.type === "Identifier" && !scopes.bindingOf.has(base)) facts.globalMemberReads.push({ global: String(base.name), name, node: n.identifier as LuaNode });
    const o = peek(base);
    // `s:upper()`: a method of the value, not one of its fields; modules are the exception.
    if (n.indexer === ":") {
      if (o?.root.kind === "module") record({ root: o.root, path: [...o.path, name] }, "unsafe", n.identifier as LuaNode);
      return;
    }
    if (o) record({ root: o.root, path: [...o.path, name] }, use, n.identifier as LuaNode);
  }

  function func(f: LuaNode): void {
    fnStack.push(f);
    block(f.body as LuaNode[]);
    fnStack.pop();
  }

  function block(body: LuaNode[]): void {
    for (const s of body) statement(s);
  }

  function declareLocal(v: LuaNode, init: LuaNode | undefined): void {
    const b = bindingOf(v);
    if (!b) return;
    const o = peek(init);
    if (o && !b.reassigned) origins.set(b, o);
    ex(init, o && !b.reassigned ? "read" : "escape");
  }

  function statement(s: LuaNode): void {
    switch (s.type) {
      case "LocalStatement": {
        const vars = s.variables as LuaNode[];
        const inits = s.init as LuaNode[];
        inits.forEach((init, i) => {
          const v = vars[i];
          if (v && bindingOf(v)?.init === init) declareLocal(v, init);
          else ex(init, "escape");
        });
        return;
      }
      case "AssignmentStatement": {
        const vars = s.variables as LuaNode[];
        (s.init as LuaNode[]).forEach((init, i) => {
          const target = vars[i];
          const holder = target && (target.type === "MemberExpression" || target.type === "IndexExpression") ? bindingOf(target.base as LuaNode) : undefined;
          if (holder && target) {
            const key = target.type === "MemberExpression" ? String((target.identifier as LuaNode).name) : stringValue(target.index as LuaNode);
            const list = fieldWrites.get(holder) ?? [];
            list.push({ key, position: positionOf(target.type === "MemberExpression" ? (target.identifier as LuaNode) : target), value: init });
            fieldWrites.set(holder, list);
          }
          ex(init, "escape");
        });
        for (const v of vars) {
          if (v.type === "MemberExpression" && isGlobal(v.base as LuaNode, "_G")) facts.globalFieldWrites.push({ name: String((v.identifier as LuaNode).name), node: v.identifier as LuaNode });
          else if (v.type === "IndexExpression" && isGlobal(v.base as LuaNode, "_G")) {
            const key = stringValue(v.index as LuaNode);
            if (key === null) facts.dynamicGlobals = true;
            else facts.globalFieldWrites.push({ name: key, node: v.index as LuaNode });
          } else if (v.type === "MemberExpression") {
            const base = v.base as LuaNode;
            if (base.type === "Identifier" && !scopes.bindingOf.has(base)) facts.globalMemberWrites.push({ global: String(base.name), name: String((v.identifier as LuaNode).name) });
            ex(base, "unsafe");
          }
          else if (v.type === "IndexExpression") {
            ex(v.base as LuaNode, "unsafe");
            ex(v.index as LuaNode, "read");
          }
        }
        return;
      }
      case "CallStatement":
        return ex(s.expression as LuaNode, "read");
      case "FunctionDeclaration": {
        const id = s.identifier as LuaNode | null;
        if (id && id.type !== "Identifier") ex(id.base as LuaNode, "unsafe");
        return func(s);
      }
      case "ReturnStatement": {
        const fn = fnStack.at(-1);
        const args = s.arguments as LuaNode[];
        if (fn && handlerFns.has(fn)) pendingReturns.push({ fn, node: args[0], position: positionOf(args[0] ?? s) });
        // A local returned by a handler or by the file is checked as a table, not handed on.
        args.forEach((a, i) => ex(a, i === 0 && (!fn || handlerFns.has(fn)) && a.type === "Identifier" ? "read" : "escape"));
        return;
      }
      case "IfStatement":
        for (const c of s.clauses as LuaNode[]) {
          ex(c.condition as LuaNode | undefined, "guard");
          block(c.body as LuaNode[]);
        }
        return;
      case "WhileStatement":
        ex(s.condition as LuaNode, "guard");
        return block(s.body as LuaNode[]);
      case "DoStatement":
        return block(s.body as LuaNode[]);
      case "RepeatStatement":
        block(s.body as LuaNode[]);
        return ex(s.condition as LuaNode, "guard");
      case "ForNumericStatement":
        ex(s.start as LuaNode, "unsafe");
        ex(s.end as LuaNode, "unsafe");
        ex(s.step as LuaNode | null, "unsafe");
        return block(s.body as LuaNode[]);
      case "ForGenericStatement": {
        const iterators = s.iterators as LuaNode[];
        const first = iterators[0];
        const vars = s.variables as LuaNode[];
        if (iterators.length === 1 && first?.type === "CallExpression" && isGlobal(first.base as LuaNode, "ipairs")) {
          const list = peek((first.arguments as LuaNode[])[0]);
          const item = bindingOf(vars[1]);
          if (list && item && !item.reassigned) origins.set(item, { root: list.root, path: [...list.path, ITEM] });
        }
        for (const i of iterators) ex(i, "read");
        return block(s.body as LuaNode[]);
      }
      default:
        return;
    }
  }

  function shapeOf(n: LuaNode | undefined, depth = 0): TableShape | null {
    if (!n || depth > 20) return null;
    if (n.type === "TableConstructorExpression") {
      const shape: TableShape = { fields: new Map(), open: false, position: positionOf(n) };
      for (const f of n.fields as LuaNode[]) {
        const key = f.type === "TableKeyString" ? String((f.key as LuaNode).name) : f.type === "TableKey" ? stringValue(f.key as LuaNode) : null;
        if (key === null) shape.open = true;
        else shape.fields.set(key, { position: positionOf(f), shape: shapeOf(f.value as LuaNode, depth + 1) });
      }
      return shape;
    }
    const b = bindingOf(n);
    if (!b || b.reassigned || b.kind !== "local") return null;
    const base = shapeOf(b.init, depth + 1);
    if (!base) return null;
    if (escaped.has(b)) base.open = true;
    for (const w of fieldWrites.get(b) ?? []) {
      if (w.key === null) base.open = true;
      else if (!base.fields.has(w.key)) base.fields.set(w.key, { position: w.position, shape: shapeOf(w.value, depth + 1) });
    }
    return base;
  }

  block(chunk.body as LuaNode[]);
  for (const b of escaped) facts.openTables.add(b);
  for (const [b, writes] of fieldWrites) if (writes.some((w) => w.key === null)) facts.openTables.add(b);
  facts.returns = pendingReturns.filter((r) => r.node && r.node.type !== "NilLiteral").map((r) => ({ fn: r.fn, shape: shapeOf(r.node), position: r.position }));
  facts.containerWrites = pendingWrites.map((w) => ({ container: w.container, shape: shapeOf(w.node), position: w.position }));
  return facts;
}
