/**
 * Shared modules followed into: `require("name")` must name a module the manifest lists under
 * dependencies.modules (the sandbox's require finds no other, IH118), and a field used from the
 * table a module returns must be one its init.lua defines (IH114). A module whose table cannot
 * be read statically, or gets keys the analysis cannot name, is not judged.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { MODULE_ENTRY, sharedModulePath } from "@ihub/runtime/layout";
import { ITEM } from "../../analysis/lua-code-facts.js";
import { analyseHandlerFile, type HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";
import { closestName, didYouMean } from "./closest-name.js";

/** The keys of the table a module returns; null when it cannot be read (a missing module is IH090's). */
async function moduleKeys(root: string, name: string): Promise<Set<string> | null> {
  try {
    return analyseHandlerFile(await readFile(path.join(root, sharedModulePath(name, MODULE_ENTRY)), "utf8")).tableKeys;
  } catch {
    return null;
  }
}

export async function checkModuleUse(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>): Promise<void> {
  const declared = ctx.manifest.dependencies?.modules ?? {};
  const isDeclared = (name: string) => Object.hasOwn(declared, name);
  for (const [file, a] of analyses) {
    for (const r of a.facts.requires) {
      if (!isDeclared(r.name)) ctx.report("IH118", `require("${r.name}"): "${r.name}" is not listed under dependencies.modules${didYouMean(closestName(r.name, Object.keys(declared)))}`, { file, position: r.position, pointer: "/dependencies/modules" });
    }
    const reported = new Set<string>();
    for (const access of a.facts.accesses) {
      if (access.root.kind !== "module" || access.path.length === 0 || access.path[0] === ITEM || !isDeclared(access.root.name)) continue;
      const name = access.root.name;
      const keys = await ctx.once(`module-keys:${name}`, () => moduleKeys(ctx.root, name));
      const field = access.path[0]!;
      const shown = `${name}.${field}`;
      if (!keys || keys.has(field) || reported.has(shown)) continue;
      reported.add(shown);
      ctx.report("IH114", `module "${name}" does not export "${field}"${didYouMean(closestName(field, keys))}`, {
        file,
        position: access.position,
        pointer: `/dependencies/modules/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`,
      });
    }
  }
}
