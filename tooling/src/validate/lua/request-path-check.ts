/**
 * Input concatenated into the `path` of a ctx.device.http request (IH116): a value such as
 * `../admin` or `x?debug=1` then reaches another endpoint with the install's credentials. A path
 * template (`path = "/items/{id}", params = { id = input.id }`) percent-encodes each parameter.
 */
import { toPointer } from "@ihub/runtime/json";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";

export function checkRequestPaths(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  for (const [file, a] of analyses) {
    for (const c of a.facts.pathConcats) {
      const handler = Object.entries(ctx.manifest.handlers).find(([, h]) => a.functions.get(h.function) === c.fn);
      const field = c.path[0];
      ctx.report("IH116", `input${c.path.length ? "." + c.path.join(".") : ""} is concatenated into a request path; use a path template with params`, {
        file,
        position: c.position,
        pointer: handler && field !== undefined ? toPointer(["handlers", handler[0], "inputSchema", "properties", field]) : null,
      });
    }
  }
}
