/**
 * Input concatenated into the `path` of a ctx.device.http request (IH116): a value such as
 * `../admin` or `x?debug=1` then reaches another endpoint with the install's credentials. A path
 * template (`path = "/items/{id}", params = { id = input.id }`) percent-encodes each parameter.
 * A value inputSchema already confines to characters that cannot leave a path segment (a number,
 * an enum of such strings, a uuid, an anchored pattern of letters, digits, `_`, `-` and `~`) is
 * safe: the input is validated before the handler runs.
 */
import path from "node:path";
import { toPointer } from "@ihub/runtime/json";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";
import { type SchemaNode, step } from "./schema-navigation.js";

const SAFE_TEXT = /^[A-Za-z0-9_~-]+$/;
/** What an anchored pattern may contain besides safe characters: groups, alternation, quantifiers, `\d`, `\w` and classes of safe characters. */
const SAFE_PATTERN_BODY = /^(?:[A-Za-z0-9_~\-()|?:+*{},]|\\[dw]|\[(?:[A-Za-z0-9_~]|\\[dw-]|-)+\])*$/;

/** Whether every value the schema accepts stays inside one path segment and is not `.` or `..`. */
export function pathSafe(schema: Record<string, unknown>): boolean {
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length > 0 && types.every((t) => t === "integer" || t === "number" || t === "boolean")) return true;
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : null;
  if (values) return values.every((v) => typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && SAFE_TEXT.test(v)));
  if (schema.format === "uuid") return true;
  const p = schema.pattern;
  return typeof p === "string" && p.startsWith("^") && p.endsWith("$") && !p.endsWith("\\$") && SAFE_PATTERN_BODY.test(p.slice(1, -1));
}

function schemaAt(root: SchemaNode, keys: readonly string[]): SchemaNode | undefined {
  let node = root;
  for (const key of keys) {
    const s = step(node, key);
    if (s.kind !== "declared") return undefined;
    node = s.node;
  }
  return node;
}

export function checkRequestPaths(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  for (const [file, a] of analyses) {
    for (const c of a.facts.pathConcats) {
      const handler = Object.entries(ctx.manifest.handlers).find(([, h]) => path.posix.normalize(h.file) === file && a.functions.get(h.function) === c.fn);
      const schema = handler?.[1].inputSchema as Record<string, unknown> | undefined;
      const root = handler && schema ? { schema, pointer: toPointer(["handlers", handler[0], "inputSchema"]) } : undefined;
      const node = root && schemaAt(root, c.path);
      if (node && c.path.length > 0 && pathSafe(node.schema)) continue;
      ctx.report("IH116", `input${c.path.length ? "." + c.path.join(".") : ""} is concatenated into a request path; use a path template with params`, {
        file,
        position: c.position,
        pointer: node?.pointer ?? null,
      });
    }
  }
}
