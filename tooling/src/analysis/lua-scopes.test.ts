import luaparse from "luaparse";
import { describe, expect, it } from "vitest";
import type { LuaNode } from "./lua-node.js";
import { resolveScopes } from "./lua-scopes.js";

const scopesOf = (src: string) => resolveScopes(luaparse.parse(src, { luaVersion: "5.3", locations: true }) as unknown as LuaNode);
const globals = (src: string) => [...new Set(scopesOf(src).globalReads.map((g) => g.name))].sort();
const unread = (src: string) =>
  scopesOf(src)
    .bindings.filter((b) => b.reads.length === 0 && b.kind !== "self")
    .map((b) => b.name);

describe("Lua name resolution", () => {
  it("makes a local visible from the statement after its declaration", () => {
    // `local x = x` reads the global x; the second x reads the local.
    expect(globals("local x = x\nreturn x")).toEqual(["x"]);
    expect(globals("local a, b = b, a")).toEqual(["a", "b"]);
  });

  it("lets a local function call itself, but not a local holding a function expression", () => {
    expect(globals("local function f(n) return n > 0 and f(n - 1) end return f")).toEqual([]);
    expect(globals("local g = function(n) return g(n) end return g")).toEqual(["g"]);
  });

  it("ends a block's locals with the block, except that `until` sees the repeat body", () => {
    expect(globals("do local a = 1 end return a")).toEqual(["a"]);
    expect(globals("repeat local done = true until done")).toEqual([]);
    expect(globals("if true then local y = 1 else return y end")).toEqual(["y"]);
  });

  it("scopes loop variables and parameters to their bodies", () => {
    expect(globals("for i = 1, 3 do local _ = i end return i")).toEqual(["i"]);
    expect(globals("for k, v in pairs({}) do local _ = k .. v end")).toEqual(["pairs"]);
    expect(globals("local function f(a, ...) return a, ... end return f, a")).toEqual(["a"]);
  });

  it("gives methods an implicit self and keeps `function M.f` an assignment to a field", () => {
    const s = scopesOf("local M = {} function M:get() return self.v end function M.set(v) M.v = v end return M");
    expect(s.globalReads).toEqual([]);
    expect(s.globalWrites).toEqual([]);
    expect(s.bindings.find((b) => b.kind === "self")?.reads).toHaveLength(1);
  });

  it("records global writes, locals never read and reassignment", () => {
    const s = scopesOf("counter = 1\nlocal unused = 2\nlocal changed = 3\nchanged = 4\nfunction helper() end");
    expect(s.globalWrites.map((g) => g.name)).toEqual(["counter", "helper"]);
    expect(s.bindings.find((b) => b.name === "changed")?.reassigned).toBe(true);
    expect(unread("local unused = 2 local used = 1 return used")).toEqual(["unused"]);
  });

  it("notices _ENV, under which free names need not be globals", () => {
    expect(scopesOf("local _ENV = {} x = 1").usesEnv).toBe(true);
    expect(scopesOf("return x").usesEnv).toBe(false);
  });

  it("leaves goto and labels alone", () => {
    expect(globals("for i = 1, 2 do if i == 1 then goto continue end ::continue:: end")).toEqual([]);
  });
});
