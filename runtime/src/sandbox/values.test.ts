/**
 * The value rules of docs/runtime-values.md, one test (or table row) per rule, through real
 * fengari: handler inputs (JS -> Lua), outputs (Lua -> JS), host call arguments and replies,
 * and ctx.json.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, invoke, type InvokeResult } from "./index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";

function run(body: string, input: unknown = {}, answer?: (name: string, args: unknown[]) => unknown) {
  const host = recordingHost(answer);
  return { host, result: invoke({ ...handlerBundle(body), ctx: testCtx(), input, limits: DEFAULT_LIMITS, host }) };
}

async function output(body: string, input: unknown = {}): Promise<unknown> {
  const r = await run(body, input).result;
  if (!r.ok) throw new Error(`invocation failed: ${JSON.stringify(r.error)}`);
  return r.output;
}

async function failure(body: string, input: unknown = {}): Promise<string> {
  const r: InvokeResult = await run(body, input).result;
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.output)}`);
  expect(r.error.kind).toBe("internal");
  return r.error.message;
}

describe("Lua -> JSON (outputs, host call arguments, ctx.json.encode)", () => {
  it.each<[string, string, unknown]>([
    ["nil becomes null", "return nil", null],
    ["an empty table becomes an object", "return {}", {}],
    ["ctx.json.array marks an empty table as an array", "return ctx.json.array({})", []],
    ["a sequence becomes an array", "return { 'a', 'b', 'c' }", ["a", "b", "c"]],
    ["holes in an array become null", "return { 1, nil, 3 }", [1, null, 3]],
    ["a trailing nil is dropped, as # would", "return { 1, 2, nil }", [1, 2]],
    ["ctx.json.null keeps a slot as null", "return { 1, ctx.json.null, 3, ctx.json.null }", [1, null, 3, null]],
    ["ctx.json.null as a field value is null", "return { a = ctx.json.null }", { a: null }],
    ["a nil field is absent", "return { a = 1, b = nil }", { a: 1 }],
    ["mixed keys make an object with integer keys as strings", "return { 'x', 'y', name = 'n' }", { "1": "x", "2": "y", name: "n" }],
    ["zero and negative integer keys make an object", "return { [0] = 'z', [1] = 'o' }", { "0": "z", "1": "o" }],
    ["integers stay integers", "return { 3, -7, math.maxinteger }", [3, -7, 2147483647]],
    ["floats with an integral value are plain JSON numbers", "return { 3.0, 2^31, 1e15 }", [3, 2147483648, 1e15]],
    ["floats keep their fraction", "return 0.1 + 0.2", 0.30000000000000004],
    ["fengari integers are 32-bit and wrap", "return { math.maxinteger + 1, 1 << 31, 1 << 32 }", [-2147483648, -2147483648, 0]],
    ["a literal too wide for an integer is a float", "return { math.type(3000000000), 3000000000 }", ["float", 3000000000]],
    ["a table referenced twice (not a cycle) is copied twice", "local t = { 1 } return { a = t, b = t }", { a: [1], b: [1] }],
    ["strings keep their UTF-8 text", "return 'grüße ✓'", "grüße ✓"],
    ["a string with NUL bytes is kept whole", "return 'a\\0b'", "a\u0000b"],
  ])("%s", async (_rule, body, expected) => {
    expect(await output(body)).toStrictEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["NaN has no JSON form", "return { x = 0/0 }", /number NaN has no JSON form at output\.x/],
    ["infinity has no JSON form", "return { 1, math.huge }", /number Infinity has no JSON form at output\[2\]/],
    ["negative infinity has no JSON form", "return -math.huge", /number -Infinity has no JSON form at output$/],
    ["a string that is not UTF-8 is refused", "return { name = '\\xff\\xfe' }", /string is not valid UTF-8 at output\.name/],
    ["a key that is not UTF-8 is refused", "return { ['\\xc3'] = 1 }", /string is not valid UTF-8 at output/],
    ["a cycle is refused", "local t = {} t.self = t return t", /table contains itself \(cycle\) at output\.self/],
    ["a cycle through an array is refused", "local t = {} t[1] = { t } return t", /cycle\) at output\[1\]\[1\]/],
    ["nesting deeper than 100 levels is refused", "local t = {} local c = t for i = 1, 150 do c.x = {} c = c.x end return t", /nesting deeper than 100 levels/],
    ["a sparse array is refused instead of flooding nulls", "return { [1] = 1, [1000000] = 2 }", /sparse array \(highest index 1000000, 2 values\) at output/],
    ["a boolean key is refused", "return { [true] = 1 }", /table key of type boolean has no JSON form/],
    ["a float key is refused", "return { [1.5] = 1 }", /table key of type number has no JSON form/],
    ["a function is refused", "return { f = function() end }", /a Lua function cannot be converted to JSON at output\.f/],
    ["a coroutine is refused", "return coroutine.create(function() end)", /a Lua thread cannot be converted to JSON at output/],
    ["a key that is not an identifier is quoted in the path", "return { ['a b'] = 0/0 }", /at output\["a b"\]/],
  ])("%s", async (_rule, body, message) => {
    expect(await failure(body)).toMatch(message);
  });

  it("a metatable never runs during conversion: __index, __pairs and __len are ignored", async () => {
    expect(
      await output(`return setmetatable({ real = 1 }, {
        __index = function() error("ran") end, __pairs = function() error("ran") end, __len = function() error("ran") end })`),
    ).toEqual({ real: 1 });
  });

  it("host call arguments follow the same rules, and a refused argument fails that call only", async () => {
    const { host, result } = run(`
      ctx.log.info("m", { list = { 1, nil, 3 }, empty = {}, arr = ctx.json.array({}) })
      local ok, err = pcall(ctx.log.info, "bad", { x = 0/0 })
      return { ok, err }`);
    const r = await result;
    expect(host.calls[0]).toEqual({ name: "log", args: ["info", "m", { list: [1, null, 3], empty: {}, arr: [] }] });
    expect(r).toMatchObject({ ok: true, output: [false, "number NaN has no JSON form at log argument 3.x"] });
  });

  it("ctx.json.encode follows the same rules and raises a catchable error for what it refuses", async () => {
    expect(await output(`return ctx.json.encode({ a = { 1, nil, 3 }, e = ctx.json.array({}), n = ctx.json.null })`)).toBe('{"a":[1,null,3],"e":[],"n":null}');
    expect(await output(`local ok, err = pcall(ctx.json.encode, { 0/0 }) return err`)).toMatch(/ctx\.json\.encode: number NaN has no JSON form at \$\[1\]/);
  });
});

describe("JSON -> Lua (inputs, host replies, ctx.json.decode)", () => {
  it("null in an object is an absent key", async () => {
    expect(await output(`return { input.a == nil, input.b }`, { a: null, b: 1 })).toEqual([true, 1]);
  });

  it("null in an array is ctx.json.null, so the length and positions survive", async () => {
    expect(await output(`return { #input, input[2] == ctx.json.null, tostring(input[2]), input[3] }`, [1, null, 3])).toEqual([3, true, "null", 3]);
  });

  it("an empty array stays an array and an empty object stays an object on the way back", async () => {
    expect(await output(`return { a = input.a, o = input.o }`, { a: [], o: {} })).toEqual({ a: [], o: {} });
  });

  it("an array keeps its array mark when the handler grows it", async () => {
    expect(await output(`local a = input.a a[#a + 1] = "x" return a`, { a: [] })).toEqual(["x"]);
  });

  it("integers within 32 bits arrive as Lua integers, wider ones and fractions as floats", async () => {
    expect(
      await output(`return { math.type(input.small), math.type(input.max), math.type(input.wide), math.type(input.ms), math.type(input.frac), input.ms }`, {
        small: 42,
        max: 2147483647,
        wide: 2147483648,
        ms: 1767225600000,
        frac: 1.5,
      }),
    ).toEqual(["integer", "integer", "float", "float", "float", 1767225600000]);
  });

  it("arithmetic on a wide float stays exact up to 2^53", async () => {
    expect(await output(`return { input.ms + 1, input.ms // 1000 }`, { ms: 1767225600000 })).toEqual([1767225600001, 1767225600]);
  });

  it("what needs an integer fails on a wide float, and %.0f formats it", async () => {
    expect(
      await output(`return { math.tointeger(input.ms) == nil, string.format("%.0f", input.ms), (select(2, pcall(string.format, "%d", input.ms))) }`, { ms: 1767225600000 }),
    ).toEqual([true, "1767225600000", "bad argument #2 to 'string.format' (number has no integer representation)"]);
  });

  it("strings arrive as their UTF-8 bytes", async () => {
    expect(await output(`return { #input.s, utf8.len(input.s) }`, { s: "grüße" })).toEqual([7, 5]);
  });

  it("a host reply follows the same rules", async () => {
    const r = await run(`local v = ctx.integration.cacheGet("k") return { v.list[2] == ctx.json.null, #v.list, v.gone == nil }`, {}, () => ({
      list: [1, null],
      gone: null,
    })).result;
    expect(r).toMatchObject({ ok: true, output: [true, 2, true] });
  });

  it("a host reply that cannot be converted fails the ctx call as a catchable error", async () => {
    const r = await run(`local ok, err = pcall(ctx.integration.cacheGet, "k") return err`, {}, () => ({ when: new Date(0) })).result;
    expect(r).toMatchObject({ ok: true, output: "a JS Date cannot be passed to Lua at host result.when" });
  });

  it("input nested deeper than 100 levels is refused before the handler runs", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 120; i++) deep = { d: deep };
    expect(await failure(`return 1`, deep)).toMatch(/nesting deeper than 100 levels at input/);
  });

  it("ctx.json.decode follows the same rules", async () => {
    expect(await output(`local v = ctx.json.decode('{"a":null,"l":[1,null],"e":[],"big":3000000000}') return { v.a == nil, #v.l, v.e, math.type(v.big) }`)).toEqual([
      true,
      2,
      [],
      "float",
    ]);
  });

  it("ctx.json.decode raises a catchable error for text that is not JSON or not a string", async () => {
    expect(await output(`local ok, err = pcall(ctx.json.decode, "{nope") return { ok, err:match("ctx%.json%.decode") ~= nil }`)).toEqual([false, true]);
    expect(await output(`local ok, err = pcall(ctx.json.decode, 5) return err`)).toMatch(/ctx\.json\.decode expects a string/);
    expect(await output(`local ok, err = pcall(ctx.json.decode, '"\\xff"') return err`)).toMatch(/not valid UTF-8/);
  });

  it("decode then encode round-trips a document", async () => {
    const doc = { a: [1, null, { b: "c" }], e: [], o: {}, n: null, f: 1.25, t: true };
    expect(JSON.parse((await output(`return ctx.json.encode(ctx.json.decode(input.text))`, { text: JSON.stringify(doc) })) as string)).toEqual({
      a: [1, null, { b: "c" }],
      e: [],
      o: {},
      f: 1.25,
      t: true,
    });
  });
});

describe("strings into Lua", () => {
  it("arrive as their UTF-8 bytes, short or long, ASCII or not", async () => {
    const strings = ["", "pong", "héllo", "日本", "😀", "a".repeat(300) + "é", "x".repeat(1000), "\u0000nul"];
    const out = await output(`local n = {} for i, s in ipairs(input.s) do n[i] = #s end return { lengths = n, back = input.s }`, { s: strings });
    expect(out).toEqual({ lengths: strings.map((s) => Buffer.byteLength(s)), back: strings });
  });
});
