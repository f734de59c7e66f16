/**
 * The Lua text of ctx's host-bound functions, written from the capability table and compiled as
 * part of the sandbox prelude (which keeps its chunk name, so tracebacks still drop its frames).
 *
 * It is generated text rather than a loop in Lua over an injected list so each binding keeps a
 * fixed arity: the host then receives exactly the arguments the table lists (missing ones as
 * nil, extra ones dropped), which is what logBytes and argument conversion are measured on.
 */
import { CAPABILITIES, ctxCalls, luaPaths } from "./capability-table.js";

/** The fields of ctx the prelude fills itself, passed through to the generated constructor. */
export const PRELUDE_CTX_FIELDS = ["json", "config", "install", "run"] as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function identifier(name: string, where: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`capability table: ${JSON.stringify(name)} in ${where} is not a Lua identifier`);
  return name;
}

type Tree = { [key: string]: Tree | string };

function bindingFunction(call: string, lead: readonly string[], params: string[]): string {
  const args = [JSON.stringify(call), ...lead.map((v) => JSON.stringify(v)), ...params].join(", ");
  return `function(${params.join(", ")}) local r = hostcall(${args}) return r end`;
}

function render(tree: Tree, indent: string): string {
  const lines = Object.entries(tree).map(([k, v]) => `${indent}  ${k} = ${typeof v === "string" ? v : render(v, indent + "  ")},`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/**
 * A Lua expression: given `hostcall` and `readonly`, it returns `new_ctx(json, config, install,
 * run)`, which builds one invocation's ctx. The function tables are built once per state and are
 * read-only, so one invocation cannot rewire what a later one of the same warm state calls.
 */
export function luaBindings(): string {
  const tree: Tree = {};
  for (const call of ctxCalls) {
    const params = CAPABILITIES[call].args.map((a) => identifier(a.name, call));
    for (const [path, lead] of Object.entries(luaPaths(call))) {
      const keys = path.split(".").map((k) => identifier(k, path));
      let node = tree;
      for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Tree;
      node[keys.at(-1)!] = bindingFunction(call, lead, params);
    }
  }
  const top = Object.entries(tree);
  const locals = top.map(([k, v]) => `  local ${k} = ${typeof v === "string" ? v : `readonly(${render(v, "  ")}, "ctx.${k}")`}`);
  const fields = [...top.map(([k]) => k), ...PRELUDE_CTX_FIELDS].map((k) => `${k} = ${k}`).join(", ");
  return [
    "(function(hostcall, readonly)",
    ...locals,
    `  return function(${PRELUDE_CTX_FIELDS.join(", ")})`,
    `    return { ${fields} }`,
    "  end",
    "end)(hostcall, readonly)",
  ].join("\n");
}
