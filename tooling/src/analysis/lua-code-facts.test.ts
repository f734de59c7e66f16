import { describe, expect, it } from "vitest";
import type { TableShape } from "./lua-code-facts.js";
import { analyseHandlerFile } from "./lua-handler-analysis.js";

const handler = (body: string) => `local M = {}\nfunction M.h(ctx, input)\n${body}\nend\nreturn M\n`;
const facts = (body: string) => analyseHandlerFile(handler(body)).facts;
/** Input reads as "path use line", in order. */
const inputReads = (body: string) =>
  facts(body)
    .accesses.filter((a) => a.root.kind === "input")
    .map((a) => `${a.path.join(".")} ${a.use} ${a.position.line - 2}`);
const keys = (s: TableShape | null) => (s ? [...s.fields.keys()].join(",") + (s.open ? " +open" : "") : "opaque");

describe("following input", () => {
  it("reads fields directly and through locals that hold input or a field of it", () => {
    expect(inputReads("local f = input.filter\nlocal q = f.q\nreturn q")).toEqual(["filter read 1", "filter unsafe 2", "filter.q read 2", "filter.q read 3"]);
    expect(inputReads("local i = input\nreturn i.name .. ''")).toEqual(["name unsafe 2"]);
  });

  it("stops following a local that is assigned again", () => {
    expect(inputReads("local f = input.filter\nf = {}\nreturn f.q")).toEqual(["filter escape 1"]);
  });

  it("follows ipairs items and `x or default`", () => {
    expect(inputReads("for _, it in ipairs(input.items or {}) do local _ = it.id .. '' end")).toEqual(["items guard 1", "items.[] unsafe 1", "items.[].id unsafe 1"]);
  });

  it("tells nil tests from uses that fail on nil", () => {
    const uses = inputReads(
      ["if input.a then end", "local b = not input.b", "local c = input.c == nil", "local d = type(input.d)", "local e = input.e + 1", "local f = #input.f", "local g = input.g.x", "local h = input.h()", "local i = input.i == 3"].join("\n"),
    );
    expect(uses).toEqual(["a guard 1", "b guard 2", "c guard 3", "d guard 4", "e unsafe 5", "f unsafe 6", "g unsafe 7", "g.x read 7", "h unsafe 8", "i read 9"]);
  });

  it("counts input handed to other code as escaping, and a computed key as any field", () => {
    expect(inputReads("helper(input)\nlocal x = input[k]")).toEqual([" escape 1", "[] read 2"]);
  });

  it("takes a method call on a field as a use of the field, not a read of a field named after the method", () => {
    expect(inputReads("return input.name:upper()")).toEqual(["name unsafe 1"]);
  });

  it("follows the second parameter of an exported handler under any name, and nothing else", () => {
    const src = "local function helper(input) return input.x end\nreturn { on_event = function(c, event) return event.topic, c.config.k, helper end }";
    const f = analyseHandlerFile(src).facts;
    expect(f.accesses.map((a) => `${a.root.kind} ${a.path.join(".")}`)).toEqual(["input topic", "ctx config", "ctx config.k"]);
  });
});

describe("ctx", () => {
  it("is followed into local functions that take it as ctx, and escapes into anything else", () => {
    const src = `
local function helper(ctx) return ctx.config.a end
local function other(c) return c end
return { h = function(ctx, input)
  helper(ctx)
  pcall(helper, ctx)
  other(ctx)
end }`;
    const escapes = analyseHandlerFile(src).facts.accesses.filter((a) => a.root.kind === "ctx" && a.path.length === 0 && a.use === "escape");
    expect(escapes.map((a) => a.position.line)).toEqual([7]);
  });
});

describe("tables", () => {
  it("reads the keys of returned constructors and of locals filled in later", () => {
    const f = facts("if input.a then return { ok = true, ['n'] = 1 } end\nlocal r = { ok = false }\nr.extra = 1\nreturn r");
    expect(f.returns.map((r) => keys(r.shape))).toEqual(["ok,n", "ok,extra"]);
  });

  it("marks tables with computed keys, positional values or a local handed on as open, and other returns as opaque", () => {
    const f = facts("if input.a then return { [input.k] = 1 } end\nif input.b then return { 1, 2 } end\nlocal r = {}\nfill(r)\nif input.c then return r end\nreturn make()");
    expect(f.returns.map((r) => keys(r.shape))).toEqual([" +open", " +open", " +open", "opaque"]);
  });

  it("sees literal container writes with their records, nested tables included", () => {
    const f = facts('ctx.integration.containersSet("things", "k", { id = "1", meta = { at = 1 } })\nctx.integration.containersSet(name, "k", {})');
    expect(f.containerWrites.map((w) => [w.container, keys(w.shape), keys(w.shape?.fields.get("meta")?.shape ?? null)])).toEqual([["things", "id,meta", "at"]]);
  });
});

describe("request paths", () => {
  it("finds input concatenated into a device.http path, directly, via tostring or in a helper's argument", () => {
    const f = facts('ctx.device.http("api", { path = "/a/" .. input.id })\nctx.device.http("api", { path = "/b/" .. tostring(input.n) })\nctx.device.http("api", { path = build("/c/" .. input.id) })\nctx.device.http("api", { path = "/d/" .. string.format("%d", input.n) })\nctx.device.http("api", { path = "/e", query = { id = input.id } })');
    expect(f.pathConcats.map((c) => `${c.path.join(".")}@${c.position.line - 2}`)).toEqual(["id@1", "n@2", "id@3"]);
  });
});

describe("globals", () => {
  it("treats _G.name as the global name and other uses of _G, _ENV or load as making globals unknowable", () => {
    expect(facts("_G.counter = 1\nreturn _G.counter").globalFieldWrites.map((g) => g.name)).toEqual(["counter"]);
    expect(facts("return _G.counter").dynamicGlobals).toBe(false);
    expect(facts("return _G[name]").dynamicGlobals).toBe(true);
    expect(facts("setmetatable(_G, {})").dynamicGlobals).toBe(true);
    expect(facts("load('x = 1')()").dynamicGlobals).toBe(true);
  });

  it("records reads and writes of fields of globals", () => {
    const f = facts("string.trim = function(s) return s end\nreturn string.fomat('%d', 1), string.trim(' ')");
    expect(f.globalMemberWrites).toEqual([{ global: "string", name: "trim" }]);
    expect(f.globalMemberReads.map((r) => `${r.global}.${r.name}`)).toEqual(["string.fomat", "string.trim"]);
  });
});
