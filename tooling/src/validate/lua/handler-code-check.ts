/**
 * The handler code checked against its own manifest and the sandbox (IH100-IH118): what it reads
 * from input and ctx.config, the tables it returns and stores, the names it uses, the shared
 * modules it calls, the request paths it builds and the functions no handler names.
 */
import { sandboxSurface } from "@ihub/runtime/sandbox-surface";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";
import { checkModuleUse } from "./modules-check.js";
import { checkNames } from "./names-check.js";
import { checkRequestPaths } from "./request-path-check.js";
import { checkConfigReads, checkInputReads } from "./schema-reads-check.js";
import { checkTableShapes } from "./table-shapes-check.js";
import { checkUnnamedFunctions } from "./unnamed-functions-check.js";

/** `complete`: every Lua file of the integration was analysed (none unreadable, binary or failing to parse). */
export async function checkHandlerCode(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>, complete: boolean): Promise<void> {
  checkInputReads(ctx, analyses);
  checkConfigReads(ctx, analyses, complete);
  checkTableShapes(ctx, analyses);
  checkNames(ctx, analyses, await sandboxSurface());
  await checkModuleUse(ctx, analyses);
  checkRequestPaths(ctx, analyses);
  checkUnnamedFunctions(ctx, analyses);
}
