/** Functions a handler file returns that no handler of the manifest names (IH117): dead code, or a handler someone forgot to declare. */
import path from "node:path";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";

export function checkUnnamedFunctions(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): void {
  const named = new Set(Object.values(ctx.manifest.handlers).map((h) => `${path.posix.normalize(h.file)}\0${h.function}`));
  for (const [file, a] of analyses) {
    for (const [name, position] of a.exported ?? []) {
      if (!named.has(`${file}\0${name}`)) ctx.report("IH117", `${file} returns function "${name}", which no handler names`, { file, position });
    }
  }
}
