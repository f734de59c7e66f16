import { describe, expect, it } from "vitest";
import { findDeviceCalls } from "./lua-device-calls.js";
import { operationsUsed, parseOpenApi } from "./openapi-operations.js";

const OPENAPI = `
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /issues:
    get: { operationId: listIssues, summary: List issues }
    post: { operationId: createIssue }
  /issues/{number}/comments:
    post: { operationId: addComment, summary: Comment }
`;

describe("findDeviceCalls", () => {
  it("finds literal and concatenated paths with their alias and method", () => {
    const lua = `
      local M = {}
      function M.run(c, input)
        local a = c.device.http("gh", { method = "post", path = "/issues/" .. input.n .. "/comments", json = {} })
        local b = c.device.http("gh", { path = "/issues" })
        local d = ctx.device.http("gh", { ["method"] = "POST", ["path"] = "/issues" })
        local dyn = ctx.device.http("gh", { method = "GET", path = someVar })
        local other = ctx.device.sql("db", "select 1")
        local str = 'ctx.device.http("gh", { path = "/nope" })'
        return a
      end
      return M`;
    expect(findDeviceCalls(lua)).toEqual([
      { alias: "gh", method: "POST", path: "/issues/{…}/comments" },
      { alias: "gh", method: "GET", path: "/issues" },
      { alias: "gh", method: "POST", path: "/issues" },
    ]);
  });

  it("returns nothing for Lua that does not parse or calls with an unknown method", () => {
    expect(findDeviceCalls("function (")).toEqual([]);
    expect(findDeviceCalls('ctx.device.http("a", { method = "BREW", path = "/pot" })')).toEqual([]);
    expect(findDeviceCalls("")).toEqual([]);
  });
});

describe("operationsUsed", () => {
  it("describes each call by the OpenAPI operation it matches, once", () => {
    const calls = findDeviceCalls(`
      ctx.device.http("gh", { method = "POST", path = "/issues/" .. n .. "/comments" })
      ctx.device.http("gh", { method = "GET", path = "/issues?state=open" })
      ctx.device.http("gh", { method = "GET", path = "/issues" })
      ctx.device.http("gh", { method = "DELETE", path = "/undocumented" })`);
    expect(operationsUsed(calls, parseOpenApi(OPENAPI))).toEqual([
      { method: "POST", path: "/issues/{number}/comments", operationId: "addComment", summary: "Comment" },
      { method: "GET", path: "/issues", operationId: "listIssues", summary: "List issues" },
      { method: "DELETE", path: "/undocumented" },
    ]);
  });

  it("lists the whole document when no call is literal, and copes with broken documents", () => {
    expect(operationsUsed([], parseOpenApi(OPENAPI)).map((o) => o.operationId)).toEqual(["listIssues", "createIssue", "addComment"]);
    expect(parseOpenApi("paths: [1, 2")).toEqual([]);
    expect(parseOpenApi("just text")).toEqual([]);
    expect(parseOpenApi('{"paths": {"/x": null, "/y": {"get": "nope"}}}')).toEqual([]);
  });
});
