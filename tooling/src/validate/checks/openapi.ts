/**
 * OpenAPI documents named by `resources.<alias>.openapi` validate (swagger-parser, JSON or YAML,
 * no external references followed), and every literal path + method a handler sends to such an
 * alias is an operation of the document.
 *
 * Matching: `{param}` segments of a document path match any one non-empty segment; a query
 * string on the called path is ignored. A path built by concatenation (`"/repos/" .. owner`) is
 * checked by its literal prefix: it passes when some document path with that method can start
 * with the prefix (whole segments must match, the last partial segment must be a prefix of the
 * document's segment or fall on a `{param}`). Paths with no literal prefix are not checked.
 */
import type { CheckContext } from "../integration-context.js";
import type { HandlerAnalysis, LuaPath } from "../lua/handler-analysis.js";

type Operations = Map<string, Set<string>>; // document path -> lower-case methods
type DocOutcome = { ok: true; operations: Operations } | { ok: false; message: string; line?: number; column?: number };

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

async function validateDocument(text: string): Promise<DocOutcome> {
  const { parseDocument } = await import("yaml");
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const parseError = doc.errors[0];
  if (parseError) {
    return { ok: false, message: `does not parse: ${parseError.message.split("\n")[0]}`, line: parseError.linePos?.[0].line, column: parseError.linePos?.[0].col };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!value || typeof value !== "object") return { ok: false, message: "is not an OpenAPI object" };
  // Loaded only for integrations that have a document: it is the heaviest dependency of the check.
  const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
  try {
    const api = (await SwaggerParser.validate(value as never, { resolve: { external: false } })) as { paths?: Record<string, Record<string, unknown>> };
    const operations: Operations = new Map();
    for (const [p, item] of Object.entries(api.paths ?? {})) {
      operations.set(p, new Set(Object.keys(item ?? {}).filter((k) => HTTP_METHODS.includes(k))));
    }
    return { ok: true, operations };
  } catch (error) {
    return { ok: false, message: `is not a valid OpenAPI document: ${(error as Error).message.replace(/\s+/g, " ").trim().slice(0, 300)}` };
  }
}

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

export async function checkOpenApi(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): Promise<void> {
  const documents = new Map<string, DocOutcome>();
  for (const [alias, resource] of Object.entries(ctx.manifest.resources ?? {})) {
    if (!resource.openapi || documents.has(resource.openapi)) continue;
    const read = await ctx.read(resource.openapi);
    if (!read.ok) continue; // reported by the referenced-files check
    const outcome = await validateDocument(read.bytes.toString("utf8"));
    documents.set(resource.openapi, outcome);
    if (!outcome.ok) {
      ctx.report("IH060", `${resource.openapi} (resources.${alias}.openapi) ${outcome.message}`, {
        file: resource.openapi,
        position: outcome.line ? { line: outcome.line, column: outcome.column ?? 1 } : null,
      });
    }
  }
  for (const [file, analysis] of analyses) {
    for (const call of analysis.calls) {
      if (call.capability !== "device.http" || typeof call.firstArg !== "string" || !call.method || !call.path) continue;
      const resource = ctx.manifest.resources?.[call.firstArg];
      const doc = resource?.openapi ? documents.get(resource.openapi) : undefined;
      if (!doc?.ok) continue;
      const method = call.method.toLowerCase();
      const called = call.path;
      const found = [...doc.operations].some(([template, methods]) => methods.has(method) && pathMatches(template, called));
      if (!found) {
        const shown = "exact" in called ? called.exact : `${called.prefix}...`;
        ctx.report("IH061", `${call.method} ${shown} on "${call.firstArg}" is not an operation of ${resource!.openapi}`, {
          file,
          position: call.position,
          pointer: null,
        });
      }
    }
  }
}
