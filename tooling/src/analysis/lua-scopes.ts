/**
 * Lua 5.3 name resolution over a luaparse tree: which declaration each identifier refers to, or
 * that it is a global. A local is visible from the statement after its declaration to the end of
 * its block (`local x = x` reads the outer x; `local function f` sees itself; `repeat ... until c`
 * sees the body's locals in c), parameters and loop variables are visible in their body only.
 */
import type { LuaNode } from "./lua-node.js";

export type BindingKind = "local" | "function" | "param" | "for" | "self";

export type Binding = {
  name: string;
  kind: BindingKind;
  /** The identifier that declares it (for `self`, the function). */
  decl: LuaNode;
  /** The function a parameter or `self` belongs to, and the parameter's position. */
  fn?: LuaNode;
  paramIndex?: number;
  /** The expression a `local` is initialised with, when one lines up with it. */
  init?: LuaNode;
  /** Identifiers that read it. */
  reads: LuaNode[];
  /** Whether anything assigns it after its declaration. */
  reassigned: boolean;
};

export type GlobalUse = { name: string; node: LuaNode };

export type Scopes = {
  bindings: Binding[];
  /** Identifier node -> the binding it refers to; absent for globals. */
  bindingOf: Map<LuaNode, Binding>;
  globalReads: GlobalUse[];
  globalWrites: GlobalUse[];
  /** `_ENV` appears: free names may not be globals at all. */
  usesEnv: boolean;
};

export function resolveScopes(chunk: LuaNode): Scopes {
  const out: Scopes = { bindings: [], bindingOf: new Map(), globalReads: [], globalWrites: [], usesEnv: false };
  const stack: Map<string, Binding>[] = [];

  const lookup = (name: string): Binding | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const b = stack[i]!.get(name);
      if (b) return b;
    }
    return undefined;
  };
  const declare = (id: LuaNode, kind: BindingKind, extra: Partial<Binding> = {}): Binding => {
    const b: Binding = { name: String(id.name), kind, decl: id, reads: [], reassigned: false, ...extra };
    if (b.name === "_ENV") out.usesEnv = true;
    out.bindings.push(b);
    out.bindingOf.set(id, b);
    stack.at(-1)!.set(b.name, b);
    return b;
  };
  const useName = (id: LuaNode, write: boolean) => {
    const name = String(id.name);
    if (name === "_ENV") out.usesEnv = true;
    const b = lookup(name);
    if (b) {
      out.bindingOf.set(id, b);
      if (write) b.reassigned = true;
      else b.reads.push(id);
    } else (write ? out.globalWrites : out.globalReads).push({ name, node: id });
  };
  const block = (body: LuaNode[], before?: () => void, after?: () => void) => {
    stack.push(new Map());
    before?.();
    for (const s of body) statement(s);
    after?.();
    stack.pop();
  };
  // `self` is declared on the function node, whose `name` is not "self".
  const declareSelf = (f: LuaNode) => {
    const b: Binding = { name: "self", kind: "self", decl: f, fn: f, paramIndex: -1, reads: [], reassigned: false };
    out.bindings.push(b);
    stack.at(-1)!.set("self", b);
  };
  const fn = (f: LuaNode, method: boolean) => {
    block(f.body as LuaNode[], () => {
      if (method) declareSelf(f);
      (f.parameters as LuaNode[]).forEach((p, i) => {
        if (p.type === "Identifier") declare(p, "param", { fn: f, paramIndex: i });
      });
    });
  };

  const expr = (n: LuaNode | null | undefined): void => {
    if (!n) return;
    switch (n.type) {
      case "Identifier":
        return useName(n, false);
      case "FunctionDeclaration":
        return fn(n, false);
      case "MemberExpression":
      case "IndexExpression": {
        // A chain `a.b[c].d...` may be thousands long: walked down in a loop, not by recursion.
        const indexes: LuaNode[] = [];
        let inner: LuaNode = n;
        while (inner.type === "MemberExpression" || inner.type === "IndexExpression") {
          if (inner.type === "IndexExpression") indexes.push(inner.index as LuaNode);
          inner = inner.base as LuaNode;
        }
        expr(inner);
        for (const i of indexes.reverse()) expr(i);
        return;
      }
      case "CallExpression":
        expr(n.base as LuaNode);
        for (const a of n.arguments as LuaNode[]) expr(a);
        return;
      case "TableCallExpression":
        expr(n.base as LuaNode);
        return expr(n.arguments as LuaNode);
      case "StringCallExpression":
        return expr(n.base as LuaNode);
      case "TableConstructorExpression":
        for (const f of n.fields as LuaNode[]) {
          if (f.type === "TableKey") expr(f.key as LuaNode);
          expr(f.value as LuaNode);
        }
        return;
      case "BinaryExpression":
      case "LogicalExpression":
        expr(n.left as LuaNode);
        return expr(n.right as LuaNode);
      case "UnaryExpression":
        return expr(n.argument as LuaNode);
      default:
        return;
    }
  };

  const assignTarget = (v: LuaNode) => {
    if (v.type === "Identifier") useName(v, true);
    else expr(v);
  };

  function statement(s: LuaNode): void {
    switch (s.type) {
      case "LocalStatement": {
        const inits = s.init as LuaNode[];
        for (const i of inits) expr(i);
        (s.variables as LuaNode[]).forEach((v, i) => declare(v, "local", i < inits.length && !(i === inits.length - 1 && i < (s.variables as LuaNode[]).length - 1) ? { init: inits[i]! } : {}));
        return;
      }
      case "AssignmentStatement":
        for (const i of s.init as LuaNode[]) expr(i);
        for (const v of s.variables as LuaNode[]) assignTarget(v);
        return;
      case "CallStatement":
        return expr(s.expression as LuaNode);
      case "FunctionDeclaration": {
        const id = s.identifier as LuaNode | null;
        if (s.isLocal && id) {
          declare(id, "function", { init: s });
          return fn(s, false);
        }
        if (id?.type === "Identifier") assignTarget(id);
        else if (id) expr(id.base as LuaNode);
        return fn(s, id?.type === "MemberExpression" && id.indexer === ":");
      }
      case "ReturnStatement":
        for (const a of s.arguments as LuaNode[]) expr(a);
        return;
      case "IfStatement":
        for (const c of s.clauses as LuaNode[]) {
          expr(c.condition as LuaNode | undefined);
          block(c.body as LuaNode[]);
        }
        return;
      case "WhileStatement":
        expr(s.condition as LuaNode);
        return block(s.body as LuaNode[]);
      case "DoStatement":
        return block(s.body as LuaNode[]);
      case "RepeatStatement":
        return block(s.body as LuaNode[], undefined, () => expr(s.condition as LuaNode));
      case "ForNumericStatement":
        expr(s.start as LuaNode);
        expr(s.end as LuaNode);
        expr(s.step as LuaNode | null);
        return block(s.body as LuaNode[], () => void declare(s.variable as LuaNode, "for"));
      case "ForGenericStatement":
        for (const i of s.iterators as LuaNode[]) expr(i);
        return block(s.body as LuaNode[], () => {
          for (const v of s.variables as LuaNode[]) declare(v, "for");
        });
      default:
        return; // break, goto, labels
    }
  }

  block(chunk.body as LuaNode[]);
  return out;
}
