/**
 * OpenAPI documents named by `resources.<alias>.openapi` validate (see openapi-document.ts), and
 * every literal path + method a handler sends to such an alias is an operation of the document.
 *
 * Matching: `{param}` segments of a document path match any one non-empty segment; a query
 * string on the called path is ignored. A path built by concatenation (`"/repos/" .. owner`) is
 * checked by its literal prefix: it passes when some document path with that method can start
 * with the prefix (whole segments must match, the last partial segment must be a prefix of the
 * document's segment or fall on a `{param}`). Paths with no literal prefix are not checked. A call
 * may include the path part of the document's server URL (`/v1` of `https://api.example.com/v1`).
 */
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";
import type { HandlerAnalysis, LuaPath } from "../lua/handler-analysis.js";
import { validateOpenApiDocument, type OpenApiOutcome } from "./openapi-document.js";

const segments = (p: string) => p.split("/");
const isParam = (s: string) => /^\{[^}]+\}$/.test(s);

export function pathMatches(template: string, called: LuaPath): boolean {
  const t = segments(template);
  if ("exact" in called) {
    const c = segments(called.exact.split("?")[0]!);
    return t.length === c.length && t.every((s, i) => (isParam(s) ? c[i] !== "" : s === c[i]));
  }
  const c = segments(called.prefix.split("?")[0]!);
  if (c.length > t.length) return false;
  return c.every((s, i) => {
    const ts = t[i]!;
    if (isParam(ts)) return true;
    return i === c.length - 1 ? ts.startsWith(s) : ts === s;
  });
}

/** The called path with a server path (`/v1` of `https://api.example.com/v1`) removed, when it starts with one. */
function withoutServerPath(called: LuaPath, serverPath: string): LuaPath | null {
  const text = "exact" in called ? called.exact : called.prefix;
  if (!text.startsWith(serverPath + "/")) return null;
  const rest = text.slice(serverPath.length);
  return "exact" in called ? { exact: rest } : { prefix: rest };
}

export async function checkOpenApi(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): Promise<void> {
  const documents = new Map<string, OpenApiOutcome>();
  for (const [alias, resource] of Object.entries(ctx.manifest.resources ?? {})) {
    if (!resource.openapi || documents.has(resource.openapi)) continue;
    const read = await ctx.read(resource.openapi);
    if (!read.ok) continue; // reported by the referenced-files check
    const text = textOf(read.bytes);
    const outcome = await ctx.once(`openapi\0${text}`, () => validateOpenApiDocument(text));
    documents.set(resource.openapi, outcome);
    if (!outcome.ok) {
      for (const problem of outcome.problems) {
        ctx.report("IH060", `${resource.openapi} (resources.${alias}.openapi) ${problem.message}`, { file: resource.openapi, pointer: problem.pointer, position: problem.position });
      }
    }
  }
  for (const [file, analysis] of analyses) {
    for (const call of analysis.calls) {
      if (call.capability !== "device.http" || typeof call.firstArg !== "string" || !call.method || !call.path) continue;
      const resource = ctx.manifest.resources?.[call.firstArg];
      const doc = resource?.openapi ? documents.get(resource.openapi) : undefined;
      if (!doc?.ok) continue;
      const method = call.method.toLowerCase();
      const candidates = [call.path, ...doc.serverPaths.map((s) => withoutServerPath(call.path!, s)).filter((p): p is LuaPath => p !== null)];
      const found = [...doc.operations].some(([template, methods]) => methods.has(method) && candidates.some((c) => pathMatches(template, c)));
      if (!found) {
        const shown = "exact" in call.path ? call.path.exact : `${call.path.prefix}...`;
        ctx.report("IH061", `${call.method} ${shown} on "${call.firstArg}" is not an operation of ${resource!.openapi}`, {
          file,
          position: call.position,
          pointer: null,
        });
      }
    }
  }
}
