import { describe, expect, it } from "vitest";
import { analyseHandlerFile } from "./lua-handler-analysis.js";

const names = (src: string) => {
  const exported = analyseHandlerFile(src).exported;
  return exported ? [...exported.keys()].sort() : null;
};

describe("returned handler table", () => {
  it("reads a table literal, with string keys too", () => {
    expect(names(`return { a = function(ctx) end, ["b"] = function(ctx) end, c = 1 }`)).toEqual(["a", "b"]);
  });

  it("reads a module table built with function M.f, M.f = function, function M:f and local functions", () => {
    const src = `
local M = { early = function(ctx) end }
local function helper(ctx) end
function M.one(ctx, input) end
M.two = function(ctx) end
M.three = helper
function M:four(input) end
M.value = 42
return M`;
    expect(names(src)).toEqual(["early", "four", "one", "three", "two"]);
  });

  it("is unknown (null) when the file returns a call or nothing", () => {
    expect(names(`return make()`)).toBeNull();
    expect(names(`local x = 1`)).toBeNull();
    expect(analyseHandlerFile(`\n\nreturn make()`).returnPosition).toEqual({ line: 3, column: 1 });
  });
});

describe("ctx calls", () => {
  it("follows the first parameter of handler functions under any name, plus plain ctx", () => {
    const src = `
local function helper()
  return ctx.device.sql("db", "select 1")
end
return {
  run = function(c, input)
    c.device.http("api", { method = "post", path = "/v1/items/" .. input.id .. "/x" })
    c.integration.containersSet("items", "k", {})
    c.emit("item.created", {})
    other.device.http("ignored", {})
  end,
}`;
    const calls = analyseHandlerFile(src).calls.map((c) => ({ ...c, position: c.position.line }));
    expect(calls).toEqual([
      { capability: "device.sql", firstArg: "db", position: 3 },
      { capability: "device.http", firstArg: "api", method: "POST", path: { prefix: "/v1/items/", shown: "/v1/items/{…}/x" }, position: 7 },
      { capability: "integration.containersSet", firstArg: "items", position: 8 },
      { capability: "emit", firstArg: "item.created", position: 9 },
    ]);
  });

  it("marks non-literal aliases and unknown methods as null, and defaults the method to GET", () => {
    const [dynamic, literal] = analyseHandlerFile(`return { f = function(ctx) ctx.device.http(alias, { method = m }) ctx.device.http('api', { path = '/a?b=1' }) end }`).calls;
    expect(dynamic).toMatchObject({ firstArg: null, method: null, path: null });
    expect(literal).toMatchObject({ firstArg: "api", method: "GET", path: { exact: "/a?b=1" } });
  });
});
