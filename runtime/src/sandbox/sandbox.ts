/**
 * One fengari state holding an install's bundle. Invocations run in their own coroutines and may
 * interleave while waiting for the host; a limit breach retires the state (`usable` = false)
 * because the breached code may have left module state half-written.
 */
import { readFileSync } from "node:fs";
import { lua, lauxlib, lualib, to_luastring, budgetSlot, type Hook, type JsFunction, type LuaState } from "./fengari.js";
import { ConversionError, jsonBytes, luaStringToJs, luaToJs, pushInterned, pushJs, type Markers } from "./values.js";
import { chargeLoad, countHook, HOOK_INTERVAL, limitMessage, Meter, type LimitName } from "./limits.js";
import { luaErrorToSandboxError } from "./lua-errors.js";
import { compiledChunk } from "./chunk-cache.js";
import { capability } from "../capabilities/capability-table.js";
import { luaBindings } from "../capabilities/lua-bindings.js";
import { bundleModuleEntry } from "../layout/integration-layout.js";
import { SANDBOX_LIBRARIES } from "./sandbox-globals.js";
import type { CtxCall, HandlerBundle, InvocationRequest, InvokeResult, InvokeStats, SandboxError, SandboxHost } from "./index.js";

const PRELUDE = withBindings(readFileSync(new URL("./prelude.lua", import.meta.url), "utf8"));

function withBindings(prelude: string): string {
  const parts = prelude.split("CTX_BINDINGS");
  if (parts.length !== 3) throw new Error("sandbox prelude: expected CTX_BINDINGS once in its comment and once in code");
  return parts[0] + "CTX_BINDINGS" + parts[1] + luaBindings() + parts[2];
}

/** The only libraries opened: base and SANDBOX_LIBRARIES (no io, os, debug, package, js). */
const LIBRARIES: [string, JsFunction][] = [["_G", lualib.luaopen_base], ...SANDBOX_LIBRARIES.map((name): [string, JsFunction] => [name, lualib[`luaopen_${name}`]])];

const encoder = new TextEncoder();

type HostOutcome = { kind: "value"; value: unknown } | { kind: "error"; error: unknown } | { kind: "timeout" };

/** A read-only Lua view of a JSON value, kept in the registry while the same value (by JSON text) keeps coming. */
type Frozen = { json: string; ref: number };

export class Sandbox {
  private readonly L: LuaState;
  /** The main thread, for measuring what the state retains (retained-size.ts). */
  get state(): LuaState {
    return this.L;
  }
  private readonly markers: Markers;
  private readonly invokeRef: number;
  private readonly requestRef: number;
  private readonly readonlyRef: number;
  /** ctx.config and ctx.install of the last invocation: an install's warm state sees the same ones call after call. */
  private readonly frozen: { config?: Frozen; install?: Frozen } = {};
  private readonly files: ReadonlySet<string>;
  private current: Meter | undefined;
  private readonly hook: Hook = countHook(() => this.current);
  /** False once a limit breach or a VM failure retired this state; create a new one. */
  usable = true;

  constructor(bundle: HandlerBundle) {
    const modules = bundle.modules ?? {};
    this.files = new Set([...Object.keys(bundle.sources), ...Object.keys(modules).map(bundleModuleEntry)]);
    const L = lauxlib.luaL_newstate();
    this.L = L;
    for (const [name, open] of LIBRARIES) {
      lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
      lua.lua_pop(L, 1);
    }
    // Threads inherit the hook of the thread that creates them, so setting it here covers every coroutine.
    lua.lua_sethook(L, this.hook, lua.LUA_MASKCOUNT, HOOK_INTERVAL);
    const prelude = compiledChunk(PRELUDE, "=prelude");
    if (!prelude || lauxlib.luaL_loadbufferx(L, prelude, null, to_luastring("=prelude"), to_luastring("b")) !== lua.LUA_OK) {
      throw new Error(`sandbox prelude does not compile: ${prelude ? lua.lua_tojsstring(L, -1) : "syntax error"}`);
    }
    lua.lua_pushjsfunction(L, this.jsonEncode);
    lua.lua_pushjsfunction(L, this.jsonDecode);
    pushStringTable(L, bundle.sources);
    pushStringTable(L, modules);
    pushCompiled(L, [
      ...Object.entries(bundle.sources).map(([file, text]): [string, string] => [`@${file}`, text]),
      ...Object.entries(modules).map(([name, text]): [string, string] => [`@${bundleModuleEntry(name)}`, text]),
    ]);
    lua.lua_pushjsfunction(L, this.chargeLoad);
    if (lua.lua_pcall(L, 6, 5, 0) !== lua.LUA_OK) throw new Error(`sandbox prelude failed: ${lua.lua_tojsstring(L, -1)}`);
    this.readonlyRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const arrayMtRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const nullRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.requestRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.invokeRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.markers = { nullRef, arrayMtRef, interned: new Map() };
  }

  /** Runs `req.fn` of `req.file`; never throws for anything the handler or the host does. */
  async invoke(req: InvocationRequest): Promise<InvokeResult> {
    const meter = new Meter(req.limits, req.deadline);
    if (!this.usable) return this.fail(meter, { kind: "internal", message: "sandbox state was retired after a limit breach" });
    const L = this.L;
    const co = lua.lua_newthread(L);
    lua.lua_pop(L, 1);
    meter.thread = co;
    try {
      const failure = this.metered(meter, () => {
        lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, this.invokeRef);
        pushInterned(co, req.file, this.markers);
        pushInterned(co, req.fn, this.markers);
        const config = req.ctx.config !== null && typeof req.ctx.config === "object" && !Array.isArray(req.ctx.config) ? req.ctx.config : {};
        const { install } = req.ctx;
        // The install's three ids as its key: cheaper than its JSON text, and as exact.
        const installKey = `${install.id}\0${install.slug}\0${install.version}`;
        const frozen = this.pushFrozen(co, "config", config, JSON.stringify(config), meter) ?? this.pushFrozen(co, "install", { id: install.id, slug: install.slug, version: install.version }, installKey, meter);
        if (frozen) return frozen;
        // Two strings, not a table: Lua builds ctx.run with constant keys more cheaply than the API can.
        pushInterned(co, req.ctx.run.handler, this.markers);
        pushJs(co, req.ctx.run.id, this.markers, "ctx.run.id");
        pushJs(co, req.input, this.markers, "input");
        return undefined;
      });
      if (failure) return failure;
    } catch (e) {
      if (e instanceof ConversionError) return this.fail(meter, { kind: "internal", message: e.message });
      throw e;
    }
    let nargs = 7;
    for (;;) {
      let status: number;
      meter.sliceStart = performance.now();
      try {
        status = this.metered(meter, () => lua.lua_resume(co, L, nargs));
      } catch (e) {
        this.usable = false;
        return this.fail(meter, { kind: "internal", message: `the Lua VM failed: ${(e as Error).message}` + (process.env.SANDBOX_DEBUG ? (e as Error).stack : "") });
      }
      const limit = meter.check();
      if (limit) return this.breach(meter, limit);
      if (status === lua.LUA_OK) return this.finish(meter, co);
      if (status !== lua.LUA_YIELD) return this.fail(meter, luaErrorToSandboxError(L, co, this.files));
      if (meter.preempted) {
        // The handler used up its slice without I/O: other work gets a turn, then it continues where it stopped.
        meter.preempted = false;
        await new Promise<void>((resolve) => setImmediate(resolve));
        const late = meter.check();
        if (late) return this.breach(meter, late);
        nargs = 0;
        continue;
      }
      const request = this.readRequest(co, meter);
      lua.lua_settop(co, 0);
      if (request.kind === "bad") return this.fail(meter, { kind: "internal", message: request.message });
      let outcome: HostOutcome;
      if (request.kind === "refused") outcome = { kind: "error", error: new Error(request.message) };
      else {
        const counts = capability(request.name).counts;
        if (counts === "deviceCalls" && ++meter.deviceCalls > req.limits.deviceCalls) return this.breach(meter, "deviceCalls");
        if (counts === "logBytes" && (meter.logBytes += jsonBytes(request.args)) > req.limits.logBytes) return this.breach(meter, "logBytes");
        outcome = await callHost(req.host, request.name, request.args, meter);
        if (outcome.kind === "timeout") return this.breach(meter, "timeoutMs");
      }
      this.metered(meter, () => this.pushOutcome(co, outcome));
      nargs = 2;
    }
  }

  /**
   * Pushes the read-only view of `value` onto `co`, freezing it (in Lua) only when it differs
   * from the one frozen last time. Returns a result only when freezing itself failed.
   */
  private pushFrozen(co: LuaState, slot: "config" | "install", value: unknown, json: string, meter: Meter): InvokeResult | undefined {
    let frozen = this.frozen[slot];
    if (frozen?.json !== json) {
      lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, this.readonlyRef);
      pushJs(co, value, this.markers, `ctx.${slot}`);
      pushInterned(co, `ctx.${slot}`, this.markers);
      if (lua.lua_pcall(co, 2, 1, 0) !== lua.LUA_OK) {
        const limit = meter.check();
        return limit ? this.breach(meter, limit) : this.fail(meter, { kind: "internal", message: `ctx.${slot} could not be prepared: ${lua.lua_tojsstring(co, -1)}` });
      }
      if (frozen) lauxlib.luaL_unref(co, lua.LUA_REGISTRYINDEX, frozen.ref);
      frozen = this.frozen[slot] = { json, ref: lauxlib.luaL_ref(co, lua.LUA_REGISTRYINDEX) };
    }
    lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, frozen.ref);
    return undefined;
  }

  private metered<T>(meter: Meter, f: () => T): T {
    this.current = meter;
    budgetSlot.active = meter.budget;
    try {
      return f();
    } finally {
      this.current = undefined;
      budgetSlot.active = undefined;
    }
  }

  private readRequest(
    co: LuaState,
    meter: Meter,
  ): { kind: "call"; name: CtxCall; args: unknown[] } | { kind: "refused"; message: string } | { kind: "bad"; message: string } {
    const n = lua.lua_gettop(co);
    lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, this.requestRef);
    const isRequest = n >= 2 && lua.lua_rawequal(co, 1, -1);
    lua.lua_pop(co, 1);
    if (!isRequest) return { kind: "bad", message: "coroutine.yield called outside a coroutine" };
    const name = lua.lua_tojsstring(co, 2) as CtxCall;
    try {
      const args = this.metered(meter, () => {
        const out: unknown[] = [];
        for (let i = 3; i <= n; i++) out.push(luaToJs(co, i, this.markers, `${name} argument ${i - 2}`));
        return out;
      });
      return { kind: "call", name, args };
    } catch (e) {
      if (e instanceof ConversionError) return { kind: "refused", message: e.message };
      throw e;
    }
  }

  private pushOutcome(co: LuaState, outcome: HostOutcome): void {
    if (outcome.kind === "value") {
      try {
        lua.lua_pushboolean(co, true);
        pushJs(co, outcome.value, this.markers, "host result");
        return;
      } catch (e) {
        if (!(e instanceof ConversionError)) throw e;
        lua.lua_settop(co, 0);
        outcome = { kind: "error", error: e };
      }
    }
    if (outcome.kind !== "error") return;
    const err = outcome.error as { code?: unknown; message?: unknown } | undefined;
    lua.lua_pushboolean(co, false);
    const message = typeof err?.message === "string" ? err.message : String(err);
    if (typeof err?.code === "string") pushJs(co, { code: err.code, message }, this.markers);
    else lua.lua_pushstring(co, encoder.encode(message));
  }

  private finish(meter: Meter, co: LuaState): InvokeResult {
    let output: unknown;
    try {
      output = luaToJs(co, 1, this.markers, "output");
    } catch (e) {
      if (e instanceof ConversionError) return this.fail(meter, { kind: "internal", message: e.message });
      throw e;
    }
    meter.outputBytes = jsonBytes(output);
    if (meter.outputBytes > meter.limits.outputBytes) return this.fail(meter, { kind: "limit", limit: "outputBytes", message: limitMessage("outputBytes", meter.limits) });
    return { ok: true, output, stats: stats(meter) };
  }

  private breach(meter: Meter, limit: LimitName): InvokeResult {
    meter.tripped = limit;
    this.usable = false;
    return this.fail(meter, { kind: "limit", limit, message: limitMessage(limit, meter.limits) });
  }

  private fail(meter: Meter, error: SandboxError): InvokeResult {
    return { ok: false, error, stats: stats(meter) };
  }

  /** charge_load(size) of the prelude: `load` calls it before parsing a chunk. */
  private readonly chargeLoad = (L: LuaState): number => {
    if (this.current) chargeLoad(L, this.hook, this.current, lua.lua_tonumber(L, 1));
    return 0;
  };

  private readonly jsonEncode = (L: LuaState): number => {
    try {
      lua.lua_pushstring(L, encoder.encode(JSON.stringify(luaToJs(L, 1, this.markers))));
      return 1;
    } catch (e) {
      if (e instanceof ConversionError) lauxlib.luaL_error(L, `ctx.json.encode: ${e.message}`);
      throw e;
    }
  };

  private readonly jsonDecode = (L: LuaState): number => {
    if (lua.lua_type(L, 1) !== lua.LUA_TSTRING) lauxlib.luaL_error(L, "ctx.json.decode expects a string");
    let value: unknown;
    try {
      value = JSON.parse(luaStringToJs(lua.lua_tostring(L, 1)!, "$"));
      pushJs(L, value, this.markers);
      return 1;
    } catch (e) {
      if (e instanceof ConversionError || e instanceof SyntaxError) lauxlib.luaL_error(L, `ctx.json.decode: ${e.message}`);
      throw e;
    }
  };
}

function pushStringTable(L: LuaState, entries: Record<string, string>): void {
  lua.lua_createtable(L, 0, Object.keys(entries).length);
  for (const [k, v] of Object.entries(entries)) {
    lua.lua_pushstring(L, encoder.encode(v));
    lua.lua_setfield(L, -2, k);
  }
}

/** Chunk name -> binary chunk, for every file that compiles as text. */
function pushCompiled(L: LuaState, files: [string, string][]): void {
  lua.lua_createtable(L, 0, files.length);
  for (const [chunkname, text] of files) {
    const bin = compiledChunk(text, chunkname);
    if (!bin) continue;
    lua.lua_pushstring(L, bin);
    lua.lua_setfield(L, -2, chunkname);
  }
}

const TIMED_OUT: HostOutcome = { kind: "timeout" };

/** The host's answer, or a timeout at the invocation's deadline; an answer that comes after the deadline (a device call the host cut off at it, say) is too late. */
function callHost(host: SandboxHost, name: CtxCall, args: unknown[], meter: Meter): Promise<HostOutcome> {
  const remaining = meter.remainingMs();
  if (remaining <= 0) return Promise.resolve(TIMED_OUT);
  return new Promise<HostOutcome>((resolve) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), remaining);
    const settle = (outcome: HostOutcome) => {
      clearTimeout(timer);
      resolve(meter.remainingMs() <= 0 ? TIMED_OUT : outcome);
    };
    let pending: Promise<unknown>;
    try {
      pending = host.call(name, args);
    } catch (error) {
      settle({ kind: "error", error });
      return;
    }
    Promise.resolve(pending).then(
      (value) => settle({ kind: "value", value }),
      (error: unknown) => settle({ kind: "error", error }),
    );
  });
}

function stats(meter: Meter): InvokeStats {
  const { limits, budget } = meter;
  return {
    instructions: Math.max(0, limits.instructions - budget.steps),
    durationMs: performance.now() - meter.started,
    deviceCalls: meter.deviceCalls,
    memoryBytes: Math.max(0, limits.memoryBytes - budget.bytes),
    outputBytes: meter.outputBytes,
    logBytes: meter.logBytes,
  };
}
