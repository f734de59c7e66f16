/**
 * Names in Lua code against what the sandbox provides (read from a real sandbox state, see
 * @ihub/runtime/sandbox-surface): globals it does not provide (IH110) and fields of its library
 * tables (`string.fomat`), new globals (IH111), locals nobody reads (IH112), locals that hide a
 * sandbox global (IH113), and ctx members that do not exist (IH115).
 */
import type { SandboxSurface } from "@ihub/runtime/sandbox-surface";
import { ITEM } from "../../analysis/lua-code-facts.js";
import type { HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import { type LuaNode, positionOf } from "../../analysis/lua-node.js";
import type { CheckContext } from "../integration-context.js";
import { closestName, didYouMean } from "./closest-name.js";

/** Names that never count as unused: ctx and input by convention, and `self`, which a method declares implicitly. */
const ALWAYS_USED = new Set(["ctx", "input", "self"]);

function checkGlobals(ctx: CheckContext, file: string, a: HandlerAnalysis, surface: SandboxSurface): void {
  const provided = Object.keys(surface.globals);
  const isProvided = (name: string) => Object.hasOwn(surface.globals, name);
  const writes = [...a.scopes.globalWrites, ...a.facts.globalFieldWrites];
  const written = new Set(writes.map((w) => w.name));
  const reported = new Set<string>();
  for (const w of writes) {
    // Under a rebound _ENV an assignment to a free name sets a field of that table, not a global.
    if (a.scopes.usesEnv || isProvided(w.name) || reported.has(w.name)) continue;
    reported.add(w.name);
    ctx.report("IH111", `${w.name} is assigned as a global; declare it with \`local\``, { file, position: positionOf(w.node) });
  }
  if (a.facts.dynamicGlobals) return;
  for (const r of [...a.scopes.globalReads, ...a.facts.globalFieldReads]) {
    if (isProvided(r.name) || written.has(r.name) || reported.has(r.name)) continue;
    reported.add(r.name);
    ctx.report("IH110", `${r.name} is not a global the sandbox provides${didYouMean(closestName(r.name, provided))}`, { file, position: positionOf(r.node) });
  }
  const memberWrites = new Set(a.facts.globalMemberWrites.map((w) => `${w.global}.${w.name}`));
  for (const r of a.facts.globalMemberReads) {
    const members = isProvided(r.global) && !written.has(r.global) ? surface.globals[r.global] : null;
    const shown = `${r.global}.${r.name}`;
    if (!members || members.includes(r.name) || memberWrites.has(shown) || reported.has(shown)) continue;
    reported.add(shown);
    ctx.report("IH110", `${shown} is not provided by the sandbox's ${r.global} library${didYouMean(closestName(r.name, members))}`, { file, position: positionOf(r.node) });
  }
}

function checkLocals(ctx: CheckContext, file: string, a: HandlerAnalysis, surface: SandboxSurface): void {
  const handlerFns = new Set(a.functions.values());
  for (const b of a.scopes.bindings) {
    if (b.kind === "self") continue;
    const position = positionOf(b.decl);
    const handlerArg = b.kind === "param" && b.fn !== undefined && handlerFns.has(b.fn) && (b.paramIndex === 0 || b.paramIndex === 1);
    if (b.reads.length === 0 && !b.name.startsWith("_") && !ALWAYS_USED.has(b.name) && !handlerArg) {
      const what = b.kind === "param" ? "argument" : b.kind === "function" ? "local function" : b.kind === "for" ? "loop variable" : "local";
      ctx.report("IH112", `${what} ${b.name} is never used`, { file, position });
    }
    // `local type = type` keeps the global's value under its name: nothing is hidden.
    const keepsGlobal = (b.init as LuaNode | undefined)?.type === "Identifier" && (b.init as LuaNode).name === b.name && !a.scopes.bindingOf.has(b.init as LuaNode);
    if (Object.hasOwn(surface.globals, b.name) && !keepsGlobal) {
      ctx.report("IH113", `${b.kind === "param" ? "argument" : "local"} ${b.name} hides the sandbox's global ${b.name} in its scope`, { file, position });
    }
  }
}

function checkCtxMembers(ctx: CheckContext, file: string, a: HandlerAnalysis, surface: SandboxSurface): void {
  const reported = new Set<string>();
  for (const access of a.facts.accesses) {
    if (access.root.kind !== "ctx" || access.path.length === 0 || access.path.includes(ITEM)) continue;
    const [top, member] = access.path as [string, string | undefined];
    let bad: { shown: string; near: string | undefined } | undefined;
    if (!Object.hasOwn(surface.ctx, top)) bad = { shown: `ctx.${top}`, near: closestName(top, Object.keys(surface.ctx), true) };
    else {
      const members = surface.ctx[top];
      if (members && member !== undefined && !members.includes(member)) bad = { shown: `ctx.${top}.${member}`, near: closestName(member, members, true) };
    }
    if (!bad || reported.has(bad.shown)) continue;
    reported.add(bad.shown);
    ctx.report("IH115", `${bad.shown} does not exist${didYouMean(bad.near)}`, { file, position: access.position });
  }
}

export function checkNames(ctx: CheckContext, analyses: ReadonlyMap<string, HandlerAnalysis>, surface: SandboxSurface): void {
  for (const [file, a] of analyses) {
    checkGlobals(ctx, file, a, surface);
    checkLocals(ctx, file, a, surface);
    checkCtxMembers(ctx, file, a, surface);
  }
}
