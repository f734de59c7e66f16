/**
 * Lists the operations of a resource's OpenAPI document and matches the paths handlers call
 * against its path templates (`/devices/{id}` matches `/devices/42`). The document is read as
 * plain JSON/YAML: the catalog only needs paths, methods, operationIds and summaries, and
 * `ihub validate` has already checked the document with swagger-parser.
 */
import { parseJsonOrYaml } from "./parse-data.js";
import type { Operation } from "./catalog-schema.js";
import { DYNAMIC_SEGMENT, type DeviceCall } from "./lua-device-calls.js";
import { httpMethods } from "../../../runtime/src/manifest/manifest-schema.js";

export function parseOpenApi(text: string): Operation[] {
  let doc: unknown;
  try {
    doc = parseJsonOrYaml(text);
  } catch {
    return [];
  }
  const paths = (doc as { paths?: unknown } | null)?.paths;
  if (typeof paths !== "object" || paths === null) return [];
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
    if (typeof item !== "object" || item === null) continue;
    for (const method of httpMethods) {
      const op = (item as Record<string, unknown>)[method.toLowerCase()] as Record<string, unknown> | undefined;
      if (typeof op !== "object" || op === null) continue;
      const entry: Operation = { method, path };
      if (typeof op.operationId === "string") entry.operationId = op.operationId;
      if (typeof op.summary === "string") entry.summary = op.summary;
      ops.push(entry);
    }
  }
  return ops;
}

/** Segment by segment: a template parameter matches any value, a run-time part of the call matches any segment. */
function templateMatches(template: string, path: string): boolean {
  const want = template.replace(/\/$/, "").split("/");
  const got = path.split("?")[0]!.replace(/\/$/, "").split("/");
  return want.length === got.length && want.every((seg, i) => seg === got[i] || /^\{[^}]+\}$/.test(seg) || got[i]!.includes(DYNAMIC_SEGMENT));
}

/**
 * The operations handlers use on one alias: each literal call, described by the document's
 * matching operation when there is one. With no literal calls found (paths built at run time),
 * every operation of the document is listed, since any of them may be called.
 */
export function operationsUsed(calls: readonly DeviceCall[], documented: readonly Operation[]): Operation[] {
  if (calls.length === 0) return [...documented];
  const seen = new Set<string>();
  const out: Operation[] = [];
  for (const call of calls) {
    const match = documented.find((op) => op.method === call.method && templateMatches(op.path, call.path));
    const op: Operation = match ?? { method: call.method, path: call.path };
    const key = `${op.method} ${op.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(op);
    }
  }
  return out;
}
