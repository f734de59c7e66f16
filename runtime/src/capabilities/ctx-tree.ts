/**
 * ctx as the handler sees it, as a tree of Lua paths: each host call of the capability table at
 * every path it is bound to. docs/ctx.md and the LuaLS definitions both walk it.
 */
import { CAPABILITIES, ctxCalls, luaPaths, type Capability, type CtxCall } from "./capability-table.js";

export type CtxBinding = { path: string; call: CtxCall; capability: Capability };

/** Every Lua path under ctx that reaches the host, in table order (`log.debug`, `log.info`, ... for `log`). */
export function ctxBindings(): CtxBinding[] {
  return ctxCalls.flatMap((call) => Object.keys(luaPaths(call)).map((path) => ({ path, call, capability: CAPABILITIES[call] as Capability })));
}

/** `alias, request` or `alias, request?` for a signature. */
export function signature(c: Capability, optionalMarks = false): string {
  return c.args.map((a) => a.name + (optionalMarks && a.optional ? "?" : "")).join(", ");
}
