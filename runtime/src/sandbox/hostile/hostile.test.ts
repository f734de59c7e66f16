/**
 * Hostile Lua programs: each must end in a clean typed result within twice its limit, and the
 * host must keep serving: after each one, another install's handler still answers correctly.
 */
import { describe, expect, it } from "vitest";
import { SandboxPool, type SandboxLimits, type SandboxError } from "../index.js";
import { handlerBundle, recordingHost, testCtx } from "../../../test-support/test-host.js";

// The wall clock is generous so that on a loaded 2-core CI machine only the runaway programs meant to hit it (host hangs) reach it first.
const limits: SandboxLimits = { instructions: 1_000_000, timeoutMs: 3_000, memoryBytes: 4 * 1024 * 1024, deviceCalls: 3, outputBytes: 10_000, logBytes: 1_000, loadBytes: 64 * 1024 };

type Expect = { limit: keyof SandboxLimits } | { internal: RegExp } | { output: unknown };

const programs: [string, string, Expect][] = [
  // escapes
  ["io is absent", "return io.open('/etc/passwd')", { internal: /global 'io'/ }],
  ["os is absent", "return os.execute('id')", { internal: /global 'os'/ }],
  ["debug is absent", "return debug.getregistry()", { internal: /global 'debug'/ }],
  ["package is absent", "return package.loadlib('x', 'y')", { internal: /global 'package'/ }],
  ["dofile is absent", "return dofile('/etc/passwd')", { internal: /global 'dofile'/ }],
  ["loadfile is absent", "return loadfile('/etc/passwd')", { internal: /global 'loadfile'/ }],
  ["collectgarbage is absent", "return collectgarbage('count')", { internal: /global 'collectgarbage'/ }],
  ["require of a library", "return require('os')", { internal: /module 'os' not found/ }],
  ["require of the js bridge", "local js = require('js') return js.global", { internal: /module 'js' not found/ }],
  ["string.dump is absent", "return string.dump(function() end)", { internal: /field 'dump'/ }],
  ["string.dump via a string method", "return (''):dump()", { internal: /method 'dump'/ }],
  ["binary chunk through load", "local f, err = load('\\27Lua\\83\\0') if f then return 'loaded' end error(err, 0)", { internal: /binary chunk/ }],
  ["load with a reader function", "return load(function() return nil end)", { internal: /only source text/ }],
  ["load cannot name itself after a handler file", "local f = load('error(\"x\")', 'handlers/h.lua') f()", { internal: /^load:handlers\/h\.lua:1: x$/ }],
  ["load sees only sandbox globals", "return load('return io or os or debug or package')()", { output: null }],
  ["string metatable is locked", "return getmetatable('')", { output: "locked" }],
  ["string metatable cannot be written", "getmetatable('').__index = { upper = function() return 'pwned' end }", { internal: /attempt to index a string value/ }],
  ["setmetatable on a string", "setmetatable('', {})", { internal: /bad argument #1/ }],
  ["poisoning the string table leaves string methods intact", "string.upper = function() return 'pwned' end return ('a'):upper()", { output: "A" }],
  ["__gc never runs", "setmetatable({}, { __gc = function() while true do end end }) return 'done'", { output: "done" }],
  ["top-level coroutine.yield", "coroutine.yield('x')", { internal: /coroutine.yield called outside a coroutine/ }],
  ["forged host request", "coroutine.yield({}, 'device.http', 'api', {})", { internal: /coroutine.yield called outside a coroutine/ }],
  ["__index chain loop", "local t = setmetatable({}, {}) getmetatable(t).__index = t return t.x", { internal: /'__index' chain too long/ }],
  ["__index function recursion", "local t t = setmetatable({}, { __index = function(s, k) return s[k] end }) return t.x", { internal: /stack overflow/ }],
  ["error object with looping __tostring", "error(setmetatable({}, { __tostring = function() while true do end end }))", { internal: /table without a string 'code'/ }],
  ["error object with looping __index", "error(setmetatable({}, { __index = function() while true do end end }))", { internal: /table without a string 'code'/ }],
  ["getmetatable of ctx.config", "return getmetatable(ctx.config)", { output: "read-only" }],
  ["rawset on ctx.config", "rawset(ctx.config, 'region', 'us')", { internal: /read-only/ }],
  ["setmetatable on ctx.config", "setmetatable(ctx.config, nil)", { internal: /protected metatable/ }],
  ["nested ctx.config write", "table.insert(ctx.config.nested.list, 4)", { internal: /read-only/ }],
  ["host call from a gsub callback", "return (('abc'):gsub('.', function(c) ctx.log.info(c) end))", { internal: /cannot be called here/ }],
  // runaway code
  ["infinite loop", "while true do end", { limit: "instructions" }],
  ["pcall-swallowing loop", "while true do pcall(function() while true do end end) end", { limit: "instructions" }],
  ["nested pcall loops", "while true do pcall(pcall, pcall, function() while true do end end) end", { limit: "instructions" }],
  ["xpcall handler that loops", "xpcall(function() while true do end end, function() while true do end end)", { limit: "instructions" }],
  ["pcall loop inside a coroutine", "coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()", { limit: "instructions" }],
  ["coroutine spawning loop", "while true do coroutine.resume(coroutine.create(function() while true do end end)) end", { limit: "instructions" }],
  ["deep recursion", "local function f(n) return 1 + f(n + 1) end return f(1)", { limit: "memoryBytes" }],
  ["recursion through coroutines", "local function f() return coroutine.wrap(f)() end return f()", { internal: /stack overflow|C stack/ }],
  ["pattern blow-up in find", "return string.find(('a'):rep(1e5), '.-.-.-.-b')", { limit: "instructions" }],
  ["pattern blow-up in gsub", "return (('a'):rep(5000):gsub('a-a-a-a-b', ''))", { limit: "instructions" }],
  ["quadratic plain find", "local s = ('a'):rep(1e6) return s:find(('a'):rep(1000) .. 'b', 1, true)", { limit: "instructions" }],
  ["rep of an empty string", "return (''):rep(1e9)", { limit: "instructions" }],
  ["table.move over 2^30 slots", "table.move({}, 1, 2^30, 1, {})", { limit: "instructions" }],
  ["table.insert with a huge __len", "table.insert(setmetatable({}, { __len = function() return 2^30 end }), 1, 'x')", { limit: "instructions" }],
  ["table.sort with a huge __len", "table.sort(setmetatable({}, { __len = function() return 2^30 end, __index = function() return 1 end }))", { limit: "instructions" }],
  // memory
  ["string.rep bomb", "return ('x'):rep(1e9)", { limit: "memoryBytes" }],
  ["concat doubling", "local s = 'x' while true do s = s .. s end", { limit: "memoryBytes" }],
  ["string.rep bombs inside pcall", "while true do pcall(string.rep, 'x', 1e8) end", { limit: "memoryBytes" }],
  ["table growth", "local t, i = {}, 0 while true do i = i + 1 t[i] = i end", { limit: "memoryBytes" }],
  ["format doubling", "local s = ('x'):rep(1000) while true do s = string.format('%s%s', s, s) end", { limit: "memoryBytes" }],
  ["gsub doubling", "local s = ('x'):rep(100) while true do s = s:gsub('^.*$', '%0%0') end", { limit: "memoryBytes" }],
  ["table.concat of many strings", "local t = {} for i = 1, 100000 do t[i] = ('x'):rep(100) .. i end return #table.concat(t)", { limit: "memoryBytes" }],
  ["coroutine hoarding", "local t = {} for i = 1, 1e6 do t[i] = coroutine.create(function() end) end", { limit: "memoryBytes" }],
  ["load of a chunk over the byte cap", "return load(('x = 1 '):rep(20000))", { limit: "loadBytes" }],
  ["oversized load caught by pcall", "pcall(load, ('--'):rep(40000)) return 'survived'", { limit: "loadBytes" }],
  ["loads in a loop pay for parsing", "local s = ('x = 1 '):rep(10000) while true do pcall(load, s) end", { limit: "instructions" }],
  ["unpack of a huge range", "return select('#', table.unpack({}, 1, 1e8))", { internal: /too many results/ }],
  // output and host traffic
  ["huge return value", "local t = {} for i = 1, 3000 do t[i] = ('x'):rep(10) end return t", { limit: "outputBytes" }],
  ["cyclic return value", "local t = {} t.self = t return t", { internal: /cycle/ }],
  ["deeply nested return value", "local t = {} local c = t for i = 1, 500 do c.x = {} c = c.x end return t", { internal: /nesting deeper/ }],
  ["function as output", "return { f = function() end }", { internal: /function cannot be converted/ }],
  ["NaN as output", "return { x = 0/0 }", { internal: /no JSON form at output.x/ }],
  ["device call flood", "for i = 1, 100 do ctx.device.http('api', {}) end", { limit: "deviceCalls" }],
  ["device calls swallowed by pcall", "while true do pcall(ctx.device.http, 'api', {}) end", { limit: "deviceCalls" }],
  ["log flood", "while true do ctx.log.info(('x'):rep(100)) end", { limit: "logBytes" }],
  ["host call that never answers", "return ctx.device.http('hang', {})", { limit: "timeoutMs" }],
  ["host hang inside pcall", "return pcall(ctx.integration.cacheGet, 'hang')", { limit: "timeoutMs" }],
];

describe("hostile programs", () => {
  const pool = new SandboxPool();
  const good = handlerBundle("return { sum = input.a + input.b, region = ctx.config.region }", "handlers/good.lua");

  it.each(programs)("%s", async (name, body, expected) => {
    const host = recordingHost();
    const started = performance.now();
    const r = await pool.invoke({ ...handlerBundle(body), ctx: testCtx(`evil: ${name}`), input: {}, limits, host });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2 * limits.timeoutMs);
    if ("output" in expected) {
      expect(r).toMatchObject({ ok: true, output: expected.output });
    } else if ("limit" in expected) {
      expect(r.ok).toBe(false);
      const error = (r as { error: SandboxError }).error;
      expect(error).toMatchObject({ kind: "limit", limit: expected.limit });
      if (expected.limit === "instructions") expect(r.stats.instructions).toBeLessThanOrEqual(2 * limits.instructions);
      if (expected.limit === "memoryBytes") expect(r.stats.memoryBytes).toBeLessThanOrEqual(2 * limits.memoryBytes);
    } else {
      expect(r.ok).toBe(false);
      const error = (r as { error: SandboxError }).error;
      expect(error.kind).toBe("internal");
      expect(error.message).toMatch(expected.internal);
    }
    const after = await pool.invoke({ ...good, ctx: testCtx("good"), input: { a: 2, b: 3 }, limits, host: recordingHost() });
    expect(after).toMatchObject({ ok: true, output: { sum: 5, region: "eu" } });
  });
});
