/**
 * Tables whose keys can be read from the code, against the schema they are validated with: what
 * an rpc handler returns (outputSchema) and the record a literal container write passes
 * (dataContainerSchemas). A key a closed schema (`additionalProperties: false`) does not declare
 * fails validation at run time, and so does a table without a required key; tables with keys the
 * analysis cannot name (computed keys, a local handed to other code) are checked for neither.
 */
import path from "node:path";
import { toPointer } from "@ihub/runtime/json";
import type { TableShape } from "../../analysis/lua-code-facts.js";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";
import type { Position } from "../source-position.js";
import { closestName, didYouMean } from "./closest-name.js";
import { propertyPointer, type SchemaNode, step } from "./schema-navigation.js";

function checkShape(ctx: CheckContext, file: string, what: string, shape: TableShape, at: SchemaNode, position: Position): void {
  for (const [key, field] of shape.fields) {
    const s = step(at, key);
    if (s.kind === "undeclared" && s.closed) {
      const near = closestName(key, s.names);
      ctx.report("IH108", `${what} sets "${key}", which ${at.pointer.slice(1).replace(/\//g, ".")} does not declare and does not allow${didYouMean(near)}`, {
        file,
        position: field.position,
        pointer: near === undefined ? s.pointer : propertyPointer(at.pointer, near),
      });
    } else if (s.kind === "declared" && field.shape) {
      checkShape(ctx, file, `${what}.${key}`, field.shape, s.node, field.position);
    }
  }
  if (shape.open || !Array.isArray(at.schema.required)) return;
  at.schema.required.forEach((key, i) => {
    if (typeof key === "string" && !shape.fields.has(key)) {
      ctx.report("IH109", `${what} has no "${key}", which ${at.pointer.slice(1).replace(/\//g, ".")} requires`, { file, position, pointer: `${at.pointer}/required/${i}` });
    }
  });
}

const asSchema = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export function checkTableShapes(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  for (const [name, handler] of Object.entries(ctx.manifest.handlers)) {
    const schema = handler.type === "rpc" ? asSchema(handler.outputSchema) : undefined;
    const file = path.posix.normalize(handler.file);
    const analysis = analyses.get(file);
    const fn = analysis?.functions.get(handler.function);
    if (!schema || !fn) continue;
    const root = { schema, pointer: toPointer(["handlers", name, "outputSchema"]) };
    for (const r of analysis!.facts.returns) {
      if (r.fn === fn && r.shape) checkShape(ctx, file, `the table handler "${name}" returns`, r.shape, root, r.position);
    }
  }
  for (const [file, analysis] of analyses) {
    for (const w of analysis.facts.containerWrites) {
      const schema = Object.hasOwn(ctx.manifest.dataContainerSchemas ?? {}, w.container) ? asSchema(ctx.manifest.dataContainerSchemas![w.container]) : undefined;
      if (schema && w.shape) checkShape(ctx, file, `the record written to container "${w.container}"`, w.shape, { schema, pointer: toPointer(["dataContainerSchemas", w.container]) }, w.position);
    }
  }
}
