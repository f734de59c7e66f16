/** validate's static verdict on a literal ctx call is the host's verdict on the same call. */
import { describe, expect, it } from "vitest";
import { createRedactor, createSandboxHost, emptyRecord, memoryStorage, systemClock } from "@ihub/runtime";
import type { CtxCall } from "@ihub/runtime/capabilities";
import { loadKitSink } from "@ihub/runtime/test-support";
import { analyseHandlerFile } from "../../analysis/lua-handler-analysis.js";
import type { CheckContext } from "../integration-context.js";
import { checkCtxCalls } from "./ctx-calls-check.js";

// Lua call, the host call it makes, the host's refusal code (null: granted) and validate's codes.
const cases: [string, CtxCall, unknown[], string | null, string[]][] = [
  [`ctx.device.http("api", { path = "/x" })`, "device.http", ["api", { path: "/x" }], null, []],
  [`ctx.device.http("nope", { path = "/x" })`, "device.http", ["nope", { path: "/x" }], "UNDECLARED_ALIAS", ["IH034"]],
  // An alias named like an Object.prototype member was found there by the old static check (IH035).
  [`ctx.device.http("constructor", { path = "/x" })`, "device.http", ["constructor", { path: "/x" }], "UNDECLARED_ALIAS", ["IH034"]],
  [`ctx.device.sql("api", "select 1")`, "device.sql", ["api", "select 1"], "PERMISSION_DENIED", ["IH035"]],
  [`ctx.device.http("ungranted", { path = "/x" })`, "device.http", ["ungranted", { path: "/x" }], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.device.http("ro", { method = "post", path = "/x" })`, "device.http", ["ro", { method: "post", path: "/x" }], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.integration.containersSet("archive", "k", {})`, "integration.containersSet", ["archive", "k", {}], "PERMISSION_DENIED", ["IH037"]],
  // The host stops at the first refusal; validate reports each.
  [`ctx.integration.containersGet("toString", "k")`, "integration.containersGet", ["toString", "k"], "UNDECLARED_CONTAINER", ["IH038", "IH037"]],
  [`ctx.emit("note.deleted", {})`, "emit", ["note.deleted", {}], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.emit("note.saved", {})`, "emit", ["note.saved", {}], null, []],
  // kit-sink says neither billing: true nor any tenantApis.
  [`ctx.billing.charge(1, "x")`, "billing.charge", [1, "x"], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.cache.get("k")`, "cache.get", ["k"], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.sql("select 1")`, "sql", ["select 1"], "PERMISSION_DENIED", ["IH037"]],
  [`ctx.graphql("{ a }", {})`, "graphql", ["{ a }", {}], "PERMISSION_DENIED", ["IH037"]],
];

describe("ctx calls: validate and the host", () => {
  it.each(cases)("agree on %s", async (lua, call, args, hostCode, codes) => {
    const { manifest } = await loadKitSink();
    const found: string[] = [];
    const ctx = { manifest, report: (code: string) => void found.push(code) } as unknown as CheckContext;
    checkCtxCalls(ctx, "handlers/h.lua", analyseHandlerFile(`return { h = function(ctx) ${lua} end }`).calls);
    expect(found).toEqual(codes);

    const host = createSandboxHost({
      manifest,
      store: memoryStorage().forInstall("inst-1"),
      http: { send: async () => ({ status: 200, headers: {}, body: "" }) },
      sql: { query: async () => [] },
      credentials: { token: "t" },
      redactor: createRedactor({ token: "t" }),
      clock: systemClock,
      record: emptyRecord(),
    });
    const refused = await host.call(call, args).then(
      () => null,
      (e: { code: string }) => e.code,
    );
    expect(refused).toBe(hostCode);
  });
});
