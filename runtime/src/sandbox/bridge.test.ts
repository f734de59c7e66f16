/**
 * The async bridge: handler code is plain sequential Lua while every ctx call waits on a host
 * Promise. Driven through real fengari states and a recording host.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, HostCallError, invoke, SandboxPool, type CtxCall, type InvokeResult } from "./index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";

/** A host whose every call answers, a tick later, with the call's name and arguments. */
const echoHost = () => recordingHost((name, args) => new Promise((resolve) => setImmediate(() => resolve({ name, args }))));

async function run(body: string, host = echoHost(), input: unknown = {}): Promise<InvokeResult> {
  return invoke({ ...handlerBundle(body), ctx: testCtx(), input, limits: DEFAULT_LIMITS, host });
}

const outputOf = (r: InvokeResult) => {
  if (!r.ok) throw new Error(`invocation failed: ${JSON.stringify(r.error)}`);
  return r.output;
};

describe("async bridge", () => {
  it("answers ctx calls made in a loop, in order", async () => {
    const host = echoHost();
    const r = await run(
      `local out = {}
       for i = 1, 5 do out[i] = ctx.integration.cacheGet("k" .. i).args[1] end
       return out`,
      host,
    );
    expect(outputOf(r)).toEqual(["k1", "k2", "k3", "k4", "k5"]);
    expect(host.calls.map((c) => c.args[0])).toEqual(["k1", "k2", "k3", "k4", "k5"]);
  });

  it("works from nested function calls and recursion", async () => {
    const r = await run(
      `local function leaf(n) return ctx.integration.cacheGet("leaf" .. n).args[1] end
       local function walk(n) if n == 0 then return leaf(0) end return walk(n - 1) .. "<" .. leaf(n) end
       return walk(3)`,
    );
    expect(outputOf(r)).toBe("leaf0<leaf1<leaf2<leaf3");
  });

  it("works inside pcall, nested pcall and xpcall, and a host error is catchable as { code, message }", async () => {
    const r = await run(
      `local ok1, v1 = pcall(function() return ctx.integration.cacheGet("a").args[1] end)
       local ok2, v2 = pcall(pcall, function() return ctx.integration.cacheGet("b").args[1] end)
       local ok3, e3 = pcall(ctx.device.http, "denied", {})
       local ok4, v4 = xpcall(function() return ctx.integration.cacheGet("c").args[1] end, function(e) return "handled" end)
       return { v1, v2, ok3, e3.code, e3.message, v4 }`,
    );
    expect(outputOf(r)).toEqual(["a", true, false, "PERMISSION_DENIED", "alias 'denied' is not declared in device.resources", "c"]);
  });

  it("a host failure without a code arrives as a plain message string", async () => {
    const r = await run(`local ok, e = pcall(ctx.device.http, "broken", {}) return { ok, type(e), e }`);
    expect(outputOf(r)).toEqual([false, "string", "connection reset"]);
  });

  it("passes host requests up through user coroutines while the coroutine's own yields stay with it", async () => {
    const r = await run(
      `local producer = coroutine.create(function()
         for i = 1, 3 do
           local v = ctx.integration.cacheGet("p" .. i).args[1]
           coroutine.yield(v)
         end
         return "done"
       end)
       local seen = {}
       while true do
         local ok, v = coroutine.resume(producer)
         assert(ok, v)
         seen[#seen + 1] = v
         if coroutine.status(producer) == "dead" then break end
       end
       local gen = coroutine.wrap(function() coroutine.yield(ctx.integration.cacheGet("w").args[1]) end)
       seen[#seen + 1] = gen()
       return seen`,
    );
    expect(outputOf(r)).toEqual(["p1", "p2", "p3", "done", "w"]);
  });

  it("works from metamethods", async () => {
    const r = await run(
      `local lazy = setmetatable({}, { __index = function(_, k) return ctx.integration.cacheGet(k).args[1] end })
       return lazy.alpha .. lazy.beta`,
    );
    expect(outputOf(r)).toBe("alphabeta");
  });

  it("refuses a ctx call from a library callback with a message saying why", async () => {
    const r = await run(`table.sort({ 3, 1, 2 }, function(a, b) ctx.log.info("x") return a < b end)`);
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", message: expect.stringMatching(/cannot be called here.*table\.sort comparator/) } });
  });

  it("interleaves two invocations waiting on the host in one warm state", async () => {
    const pool = new SandboxPool();
    const gates = new Map<string, () => void>();
    const host = recordingHost(
      (_name: CtxCall, args: unknown[]) => new Promise((resolve) => gates.set(String(args[0]), () => resolve(`answer-${String(args[0])}`))),
    );
    const bundle = handlerBundle(`return { ctx.integration.cacheGet(input.key), ctx.run.id }`);
    const call = (key: string, runId: string) =>
      pool.invoke({ ...bundle, ctx: { ...testCtx("shared"), run: { id: runId, handler: "h" } }, input: { key }, limits: DEFAULT_LIMITS, host });
    const first = call("one", "run-a");
    const second = call("two", "run-b");
    await new Promise((resolve) => setImmediate(resolve));
    gates.get("two")!();
    gates.get("one")!();
    expect(outputOf(await first)).toEqual(["answer-one", "run-a"]);
    expect(outputOf(await second)).toEqual(["answer-two", "run-b"]);
    expect(pool.size).toBe(1);
  });

  it("a warm state runs call after call on reused threads, after failures and deep stacks alike", async () => {
    const pool = new SandboxPool();
    const bundle = handlerBundle(`
      if input.fail then error("boom") end
      local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
      local d = depth(input.depth or 0)
      return { ctx.integration.cacheGet(input.key).args[1], d, ctx.run.id }`);
    const call = (input: { key: string }) => pool.invoke({ ...bundle, ctx: { ...testCtx("reuse"), run: { id: `run-${input.key}`, handler: "h" } }, input, limits: DEFAULT_LIMITS, host: echoHost() });
    const outputs: unknown[] = [];
    for (const input of [{ key: "a" }, { key: "b", depth: 5000 }, { key: "c", fail: true }, { key: "d" }, { key: "e" }]) {
      const r = await call(input);
      outputs.push(r.ok ? r.output : r.error.kind);
    }
    // Nothing of an earlier call (its arguments, stack or results) shows up in a later one.
    expect(outputs).toEqual([["a", 0, "run-a"], ["b", 5000, "run-b"], "internal", ["d", 0, "run-d"], ["e", 0, "run-e"]]);
  });

  it("raises a HostCallError code exactly as the host set it", async () => {
    const host = recordingHost(() => {
      throw new HostCallError("RATE_LIMITED", "slow down");
    });
    const r = await run(`local ok, e = pcall(ctx.emit, "t", {}) return e`, host);
    expect(outputOf(r)).toEqual({ code: "RATE_LIMITED", message: "slow down" });
  });
});

describe("errors raised by handlers", () => {
  it("error({ code, message }) is an expected error", async () => {
    const r = await run(`error({ code = "NOT_FOUND", message = "no such user" })`);
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "NOT_FOUND", message: "no such user" } });
  });

  it("error({ code }) without a message uses the code as the message", async () => {
    const r = await run(`error({ code = "GONE" })`);
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "GONE", message: "GONE" } });
  });

  it("a string error is internal, with the integration's file and line", async () => {
    // handlerBundle puts the body on line 3 of handlers/h.lua.
    const r = await run(`local x = 1\nerror("boom")`);
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "handlers/h.lua", line: 4, message: "handlers/h.lua:4: boom" } });
  });

  it("a runtime error deep in a call chain points at the failing line and keeps a traceback", async () => {
    // No tail calls: they would drop the frames the traceback should show.
    const r = await run(`local function inner(t) local v = t.missing.field return v end\nlocal function outer() local v = inner({}) return v end\nlocal v = outer() return v`);
    expect(r.ok).toBe(false);
    const error = (r as { error: { kind: string; file?: string; line?: number; traceback?: string; message: string } }).error;
    expect(error).toMatchObject({ kind: "internal", file: "handlers/h.lua", line: 3 });
    expect(error.message).toMatch(/attempt to index a nil value/);
    expect(error.traceback).toMatch(/handlers\/h\.lua:4: in/);
    expect(error.traceback).not.toMatch(/prelude/);
  });

  it("an error inside a shared module points at the module file", async () => {
    const bundle = handlerBundle(`local m = require("helpers") return m.fail()`);
    const r = await invoke({
      ...bundle,
      modules: { helpers: `local M = {}\nfunction M.fail()\n  error("module failure")\nend\nreturn M\n` },
      ctx: testCtx(),
      input: {},
      limits: DEFAULT_LIMITS,
      host: echoHost(),
    });
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "modules/helpers/init.lua", line: 3 } });
  });

  it("an error table without a string code is internal, never expected", async () => {
    const r = await run(`error({ code = 42, message = "numeric code" })`);
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", message: expect.stringMatching(/without a string 'code'/) } });
  });

  it("error(nil) and error(true) are internal errors that say what was raised", async () => {
    expect(await run(`error(nil)`)).toMatchObject({ ok: false, error: { kind: "internal", message: "error called with nil" } });
    expect(await run(`error(true)`)).toMatchObject({ ok: false, error: { kind: "internal", message: "error object is a boolean" } });
  });

  it("a missing handler function and a handler file that does not return a table are internal errors", async () => {
    const base = { ctx: testCtx(), input: {}, limits: DEFAULT_LIMITS, host: echoHost() };
    expect(await invoke({ ...handlerBundle("return 1"), fn: "nope", ...base })).toMatchObject({
      ok: false,
      error: { kind: "internal", message: "handler 'nope' is not a function in handlers/h.lua" },
    });
    expect(await invoke({ sources: { "handlers/x.lua": "return 5" }, file: "handlers/x.lua", fn: "h", ...base })).toMatchObject({
      ok: false,
      error: { kind: "internal", message: "handlers/x.lua must return a table of handler functions" },
    });
  });

  it("a syntax error names the file and line", async () => {
    const r = await invoke({ sources: { "handlers/bad.lua": "local M = {}\nfunction M.h(\nreturn M\n" }, file: "handlers/bad.lua", fn: "h", ctx: testCtx(), input: {}, limits: DEFAULT_LIMITS, host: echoHost() });
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "handlers/bad.lua", line: 3 } });
  });
});

describe("read-only ctx", () => {
  // A warm state keeps the bundle it was created with, so every case uses its own install.
  const pool = new SandboxPool();
  let installs = 0;
  const call = (body: string, config: unknown = testCtx().config, installId = `ro-${++installs}`) =>
    pool.invoke({ ...handlerBundle(body), ctx: { ...testCtx(installId), config }, input: {}, limits: DEFAULT_LIMITS, host: echoHost() });

  it.each([
    ["ctx.config", `ctx.config.region = "us"`, /ctx\.config is read-only/],
    ["nested config", `ctx.config.nested.list[1] = 9`, /ctx\.config\.nested\.list is read-only/],
    ["ctx.install", `ctx.install.id = "other-install"`, /ctx\.install is read-only/],
    ["ctx.device", `ctx.device.http = function() end`, /ctx\.device is read-only/],
    ["ctx.integration", `ctx.integration.cacheGet = nil`, /ctx\.integration is read-only/],
    ["ctx.log", `ctx.log.info = print`, /ctx\.log is read-only/],
    ["ctx.json", `ctx.json.null = 1`, /ctx\.json is read-only/],
  ])("%s cannot be changed", async (_name, body, message) => {
    const r = await call(body);
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "handlers/h.lua", line: 3, message: expect.stringMatching(message) } });
  });

  it("pairs over ctx.config yields the values without handing out the table behind the view", async () => {
    const r = await call(`local f, state = pairs(ctx.config)
      local ok = pcall(function() state.region = "us" end)
      local keys = {}
      for k in pairs(ctx.config) do keys[#keys + 1] = k end
      table.sort(keys)
      return { ok, keys, ctx.config.region, #ctx.config.nested.list }`);
    expect(outputOf(r)).toEqual([false, ["nested", "region"], "eu", 3]);
  });

  it("a warm state sees a changed config on the next call", async () => {
    expect(outputOf(await call(`return ctx.config.region`, { region: "eu" }, "reconfigured"))).toBe("eu");
    expect(outputOf(await call(`return ctx.config.region`, { region: "us" }, "reconfigured"))).toBe("us");
    expect(outputOf(await call(`return ctx.config.region`, {}, "reconfigured"))).toBe(null);
  });

  it("ctx.run is new for every invocation: changing it reaches no later call", async () => {
    const body = `local before = ctx.run.id ctx.run.id = "forged" return before`;
    expect(outputOf(await call(body, {}, "run-reuse"))).toBe("run-1");
    expect(outputOf(await call(body, {}, "run-reuse"))).toBe("run-1");
  });

  it("the ctx tables round-trip as data when returned", async () => {
    expect(outputOf(await call(`return { config = ctx.config, install = ctx.install, run = ctx.run }`, testCtx().config, "ro-install"))).toEqual({
      config: { region: "eu", nested: { list: [1, 2, 3] } },
      install: { id: "ro-install", slug: "example", version: "1.0.0" },
      run: { id: "run-1", handler: "h" },
    });
  });
});
