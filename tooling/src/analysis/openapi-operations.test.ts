import { describe, expect, it } from "vitest";
import { deviceHttpCallsIn } from "./lua-handler-analysis.js";
import { operationsUsed, pathMatches, readOpenApi } from "./openapi-operations.js";

const OPENAPI = `
openapi: 3.0.3
info: { title: t, version: "1" }
servers: [{ url: "https://api.example.com/v2" }]
paths:
  /issues:
    get: { operationId: listIssues, summary: List issues }
    post: { operationId: createIssue }
  /issues/{number}/comments:
    post: { operationId: addComment, summary: Comment }
`;

const brief = (lua: string) => deviceHttpCallsIn(lua).map(({ alias, method, path }) => ({ alias, method, path }));

describe("deviceHttpCallsIn", () => {
  it("finds calls through the ctx parameter with a literal alias, method and path (or path prefix)", () => {
    const lua = `
      local M = {}
      function M.run(c, input)
        local a = c.device.http("gh", { method = "post", path = "/issues/" .. input.n .. "/comments", json = {} })
        local b = c.device.http("gh", { path = "/issues" })
        local d = ctx.device.http("gh", { ["method"] = "POST", ["path"] = "/issues" })
        local dyn = ctx.device.http("gh", { method = "GET", path = someVar })
        local other = ctx.device.sql("db", "select 1")
        local notctx = client.device.http("gh", { path = "/elsewhere" })
        local str = 'ctx.device.http("gh", { path = "/nope" })'
        return a
      end
      return M`;
    expect(brief(lua)).toEqual([
      { alias: "gh", method: "POST", path: { prefix: "/issues/", shown: "/issues/{…}/comments" } },
      { alias: "gh", method: "GET", path: { exact: "/issues" } },
      { alias: "gh", method: "POST", path: { exact: "/issues" } },
    ]);
  });

  it("returns nothing for Lua that does not parse", () => {
    expect(deviceHttpCallsIn("function (")).toEqual([]);
    expect(deviceHttpCallsIn("")).toEqual([]);
  });
});

describe("pathMatches", () => {
  it("lets a document's {param} stand for non-empty text inside one segment, a call's own template included", () => {
    expect(pathMatches("/Messages/{Sid}.json", { exact: "/Messages/{sid}.json" })).toBe(true);
    expect(pathMatches("/Messages/{Sid}.json", { exact: "/Messages/SM1.json" })).toBe(true);
    expect(pathMatches("/Messages/{Sid}.json", { exact: "/Messages/.json" })).toBe(false);
    expect(pathMatches("/Messages/{Sid}.json", { exact: "/Messages/SM1.xml" })).toBe(false);
    expect(pathMatches("/items/{id}", { exact: "/items/{id}" })).toBe(true);
    expect(pathMatches("/items/{id}", { exact: "/items/" })).toBe(false);
    expect(pathMatches("/a.b/{id}", { exact: "/aXb/1" })).toBe(false);
  });
});

describe("operationsUsed", () => {
  it("describes each call by the OpenAPI operation it is, once, with or without the server path", () => {
    const calls = deviceHttpCallsIn(`
      ctx.device.http("gh", { method = "POST", path = "/issues/" .. n .. "/comments" })
      ctx.device.http("gh", { method = "GET", path = "/issues?state=open" })
      ctx.device.http("gh", { method = "GET", path = "/v2/issues" })
      ctx.device.http("gh", { method = "DELETE", path = "/undocumented/" .. id })
      ctx.device.http("gh", { method = "BREW", path = "/pot" })`);
    expect(operationsUsed(calls, readOpenApi(OPENAPI))).toEqual([
      { method: "POST", path: "/issues/{number}/comments", operationId: "addComment", summary: "Comment" },
      { method: "GET", path: "/issues", operationId: "listIssues", summary: "List issues" },
      { method: "DELETE", path: "/undocumented/{…}" },
    ]);
  });

  it("lists the whole document when no call is known, and copes with broken documents", () => {
    expect(operationsUsed([], readOpenApi(OPENAPI)).map((o) => o.operationId)).toEqual(["listIssues", "createIssue", "addComment"]);
    expect(operationsUsed(deviceHttpCallsIn('ctx.device.http("gh", { method = "BREW", path = "/pot" })'), readOpenApi(OPENAPI))).toHaveLength(3);
    expect(readOpenApi("paths: [1, 2").operations).toEqual([]);
    expect(readOpenApi("just text").operations).toEqual([]);
    expect(readOpenApi('{"paths": {"/x": null, "/y": {"get": "nope"}}}').operations).toEqual([]);
  });
});
