/**
 * OpenAPI documents named by `resources.<alias>.openapi` validate (see openapi-document.ts), and
 * every known path + method a handler sends to such an alias is an operation of the document, by
 * the matching rules of analysis/openapi-operations.ts. Paths with no literal prefix are not checked.
 */
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";
import { deviceHttpCalls, type HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import { declaredResource } from "@ihub/runtime/capabilities";
import { matchOperation } from "../../analysis/openapi-operations.js";
import { validateOpenApiDocument, type OpenApiOutcome } from "./openapi-document.js";

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
        ctx.report(problem.tooDeep ? "IH005" : "IH060", `${resource.openapi} (resources.${alias}.openapi) ${problem.message}`, { file: resource.openapi, pointer: problem.pointer, position: problem.position });
      }
    }
  }
  for (const [file, analysis] of analyses) {
    for (const call of deviceHttpCalls(analysis.calls)) {
      const resource = declaredResource(ctx.manifest, call.alias);
      const doc = resource?.openapi ? documents.get(resource.openapi) : undefined;
      if (!doc?.ok || matchOperation(doc, call.method, call.path)) continue;
      const shown = "exact" in call.path ? call.path.exact : `${call.path.prefix}...`;
      ctx.report("IH061", `${call.method} ${shown} on "${call.alias}" is not an operation of ${resource!.openapi}`, { file, position: call.position, pointer: null });
    }
  }
}
