/**
 * Finds the HTTP calls a handler makes: `ctx.device.http("<alias>", { method = "...", path = ... })`
 * with a literal alias and method. The path may be a literal or a concatenation such as
 * `"/devices/" .. id`, whose run-time parts become `{…}`, so it still matches `/devices/{id}`.
 * Calls built entirely from variables cannot be known statically and are skipped; the catalog
 * then lists the OpenAPI document's operations instead.
 */
import luaparse from "luaparse";
import { httpMethods } from "../../../runtime/src/manifest/manifest-schema.js";

export type DeviceCall = { alias: string; method: (typeof httpMethods)[number]; path: string };

type Node = { type: string; [key: string]: unknown };

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";

function literal(node: unknown): string | null {
  return isNode(node) && node.type === "StringLiteral" && typeof node.value === "string" ? node.value : null;
}

/** `ctx.device.http` (or any `<name>.device.http`, since handlers may rename their ctx parameter). */
function isDeviceHttp(base: unknown): boolean {
  if (!isNode(base) || base.type !== "MemberExpression") return false;
  const id = base.identifier as Node;
  const inner = base.base as Node;
  return id.name === "http" && inner.type === "MemberExpression" && (inner.identifier as Node).name === "device";
}

/** Marks a part of a path only known at run time. */
export const DYNAMIC_SEGMENT = "{…}";

function pathOf(node: unknown): string | null {
  const text = literal(node);
  if (text !== null) return text;
  if (isNode(node) && node.type === "BinaryExpression" && node.operator === "..") {
    const left = pathOf(node.left) ?? DYNAMIC_SEGMENT;
    const right = pathOf(node.right) ?? DYNAMIC_SEGMENT;
    return left + right;
  }
  return null;
}

function tableField(table: Node, key: string): unknown {
  for (const field of (table.fields as Node[]) ?? []) {
    if (field.type === "TableKeyString" && (field.key as Node).name === key) return field.value;
    if (field.type === "TableKey" && literal(field.key) === key) return field.value;
  }
  return undefined;
}

function visit(node: unknown, found: DeviceCall[]): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, found);
    return;
  }
  if (!isNode(node)) return;
  if (node.type === "CallExpression" && isDeviceHttp(node.base)) {
    const [aliasArg, optsArg] = node.arguments as unknown[];
    const alias = literal(aliasArg);
    if (alias && isNode(optsArg) && optsArg.type === "TableConstructorExpression") {
      const method = (literal(tableField(optsArg, "method")) ?? "GET").toUpperCase();
      const path = pathOf(tableField(optsArg, "path"));
      if (path && path.startsWith("/") && (httpMethods as readonly string[]).includes(method)) found.push({ alias, method: method as DeviceCall["method"], path });
    }
  }
  for (const [key, value] of Object.entries(node)) if (key !== "loc" && typeof value === "object") visit(value, found);
}

/** The literal device HTTP calls in one Lua source; a file that does not parse yields none (`ihub validate` reports it). */
export function findDeviceCalls(source: string): DeviceCall[] {
  let ast: unknown;
  try {
    ast = luaparse.parse(source, { luaVersion: "5.3", encodingMode: "pseudo-latin1", comments: false });
  } catch {
    return [];
  }
  const found: DeviceCall[] = [];
  visit(ast, found);
  return found;
}
