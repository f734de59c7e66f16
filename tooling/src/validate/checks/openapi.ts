/**
 * OpenAPI documents named by `resources.<alias>.openapi` validate (see openapi-document.ts), with
 * the files their relative `$ref`s name read through the same inside-the-folder reader, and
 * every known path + method a handler sends to such an alias is an operation of the document, by
 * the matching rules of analysis/openapi-operations.ts. Paths with no literal prefix are not checked.
 */
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";
import { deviceHttpCalls, type HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import { declaredResource } from "@ihub/runtime/capabilities";
import { matchOperation } from "../../analysis/openapi-operations.js";
import { validateOpenApiDocument, type OpenApiOutcome } from "./openapi-document.js";
import type { ReadText } from "../openapi/document-set.js";

/** A `$ref` whose value does not start with `#`, in JSON or YAML: the document spans files. */
const EXTERNAL_REF = /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#]/;

export async function checkOpenApi(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): Promise<void> {
  const documents = new Map<string, OpenApiOutcome>();
  for (const [alias, resource] of Object.entries(ctx.manifest.resources ?? {})) {
    if (!resource.openapi || documents.has(resource.openapi)) continue;
    const read = await ctx.read(resource.openapi);
    if (!read.ok) continue; // reported by the referenced-files check
    const text = textOf(read.bytes);
    const file = resource.openapi;
    const readRef: ReadText = async (rel) => {
      const got = await ctx.read(rel);
      return got.ok ? { ok: true, text: textOf(got.bytes) } : { ok: false, message: got.message };
    };
    const validate = () => validateOpenApiDocument(text, file, readRef);
    // A verdict depends on the text alone unless the document refers to other files.
    const outcome = EXTERNAL_REF.test(text) ? await validate() : await ctx.once(`openapi\0${text}`, validate);
    documents.set(resource.openapi, outcome);
    if (!outcome.ok) {
      for (const problem of outcome.problems) {
        const where = problem.file === file ? file : `${problem.file} (referenced from ${file})`;
        ctx.report(problem.tooDeep ? "IH005" : "IH060", `${where} (resources.${alias}.openapi) ${problem.message}`, { file: problem.file, pointer: problem.pointer, position: problem.position });
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
