/** Functions a handler file returns that no handler of the manifest names (IH117): dead code, or a handler someone forgot to declare. */
import path from "node:path";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";

/**
 * Only files a handler names are judged, and only when each handler naming one finds its
 * function there: otherwise IH020 or IH032 already points at the mismatch, from the manifest's side.
 */
export function checkUnnamedFunctions(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  const handlers = Object.values(ctx.manifest.handlers).map((h) => ({ file: path.posix.normalize(h.file), fn: h.function }));
  for (const [file, a] of analyses) {
    const naming = handlers.filter((h) => h.file === file);
    if (naming.length === 0 || !a.exported || naming.some((h) => !a.exported!.has(h.fn))) continue;
    for (const [name, position] of a.exported) {
      if (!naming.some((h) => h.fn === name)) ctx.report("IH117", `${file} returns function "${name}", which no handler names`, { file, position, pointer: "/handlers" });
    }
  }
}
