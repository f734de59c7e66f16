/**
 * The operations of an OpenAPI document and which of them a handler's call is: one set of rules
 * for `ihub validate` (IH061), the catalog and the version gate.
 *
 * Matching: a `{param}` in a document path matches any non-empty text inside one segment (so a
 * call's own template, `/items/{id}`, matches too); a query string on the called path is ignored. A path built by concatenation (`"/repos/" .. owner`) is
 * matched by its literal prefix, since the run-time part may hold any text, slashes included:
 * whole segments must match, the last partial segment must be a prefix of the document's
 * segment or fall on a `{param}`. A call may include the path part of the document's server URL
 * (`/v1` of `https://api.example.com/v1`, or a Swagger 2.0 basePath).
 */
import { httpMethods } from "@ihub/runtime/manifest";
import { parseJsonOrYaml } from "../catalog/parse-data.js";
import type { DeviceHttpCall, LuaPath } from "./lua-handler-analysis.js";

export type HttpMethod = (typeof httpMethods)[number];

export type DocumentOperation = { method: HttpMethod; path: string; operationId?: string; summary?: string };

export type OpenApiOperations = { operations: DocumentOperation[]; serverPaths: string[] };

const NONE: OpenApiOperations = { operations: [], serverPaths: [] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Path parts of the document's servers (3.x) or basePath (2.0), e.g. `/v1`. */
function serverPathsOf(doc: Record<string, unknown>): string[] {
  const out = new Set<string>();
  if (typeof doc.basePath === "string" && doc.basePath !== "/") out.add(doc.basePath.replace(/\/$/, ""));
  for (const s of Array.isArray(doc.servers) ? doc.servers : []) {
    const url = isRecord(s) ? s.url : undefined;
    if (typeof url !== "string") continue;
    const p = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").replace(/\/$/, "");
    if (p.startsWith("/") && !p.includes("{")) out.add(p);
  }
  return [...out];
}

/**
 * Operations (methods a handler can send: the runtime refuses others) and server paths of a
 * parsed document, read leniently: whatever is not shaped like an operation is skipped, since
 * `ihub validate` is where a broken document is reported.
 */
export function documentOperations(doc: unknown): OpenApiOperations {
  if (!isRecord(doc) || !isRecord(doc.paths)) return NONE;
  const operations: DocumentOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    for (const method of httpMethods) {
      const op = item[method.toLowerCase()];
      if (!isRecord(op)) continue;
      const entry: DocumentOperation = { method, path };
      if (typeof op.operationId === "string") entry.operationId = op.operationId;
      if (typeof op.summary === "string") entry.summary = op.summary;
      operations.push(entry);
    }
  }
  return { operations, serverPaths: serverPathsOf(doc) };
}

/** documentOperations of a JSON or YAML text; none when it does not parse. */
export function readOpenApi(text: string): OpenApiOperations {
  try {
    return documentOperations(parseJsonOrYaml(text));
  } catch {
    return NONE;
  }
}

const segments = (p: string) => p.split("?")[0]!.split("/");
const isParam = (s: string) => /^\{[^}]+\}$/.test(s);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A document segment with `{param}`s inside (`{Sid}.json`) against a called one: each param stands for some non-empty text. */
function segmentMatches(documentSegment: string, called: string): boolean {
  if (!documentSegment.includes("{")) return documentSegment === called;
  const pattern = documentSegment.split(/\{[^}]+\}/).map(escapeRegExp).join(".+");
  return new RegExp(`^${pattern}$`).test(called);
}

export function pathMatches(template: string, called: LuaPath): boolean {
  const t = template.split("/");
  if ("exact" in called) {
    const c = segments(called.exact);
    return t.length === c.length && t.every((s, i) => segmentMatches(s, c[i]!));
  }
  const c = segments(called.prefix);
  if (c.length > t.length) return false;
  return c.every((s, i) => {
    const ts = t[i]!;
    if (isParam(ts)) return true;
    return i === c.length - 1 ? ts.startsWith(s) : ts === s;
  });
}

/** The called path with a server path removed, when it starts with one. */
function withoutServerPath(called: LuaPath, serverPath: string): LuaPath | null {
  const text = "exact" in called ? called.exact : called.prefix;
  if (!text.startsWith(serverPath + "/")) return null;
  const rest = text.slice(serverPath.length);
  return "exact" in called ? { exact: rest } : { prefix: rest, shown: called.shown.slice(serverPath.length) };
}

/** The document's operation a call is, if any (the first in document order when a prefix fits several). */
export function matchOperation(doc: OpenApiOperations, method: string, path: LuaPath): DocumentOperation | undefined {
  const candidates = [path, ...doc.serverPaths.map((s) => withoutServerPath(path, s)).filter((p): p is LuaPath => p !== null)];
  return doc.operations.find((op) => op.method === method && candidates.some((c) => pathMatches(op.path, c)));
}

export const shownPath = (path: LuaPath): string => ("exact" in path ? path.exact : path.shown);

/**
 * The operations one alias's calls use: each call described by the document's operation it is,
 * or by its own method and path. With no known calls (paths built at run time), every operation
 * of the document, since any of them may be called.
 */
export function operationsUsed(calls: readonly DeviceHttpCall[], doc: OpenApiOperations): DocumentOperation[] {
  // A method the runtime refuses is no operation of any document.
  const sendable = calls.filter((c) => (httpMethods as readonly string[]).includes(c.method));
  if (sendable.length === 0) return [...doc.operations];
  const seen = new Set<string>();
  const out: DocumentOperation[] = [];
  for (const call of sendable) {
    const op = matchOperation(doc, call.method, call.path) ?? { method: call.method as HttpMethod, path: shownPath(call.path) };
    const key = `${op.method} ${op.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(op);
    }
  }
  return out;
}
