/**
 * Path templates through the whole path a handler's call takes: real fengari, the host, the live
 * transport and a loopback server whose received request URLs are the assertion.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, type ExecutionResult } from "../executor/execute.js";
import type { LoadedIntegration } from "../executor/load-integration.js";
import { fakeClock } from "../storage/fake-clock.js";
import { memoryStorage } from "../storage/memory-storage.js";
import { extend, loadKitSink, startTestApi } from "../../test-support/test-integration.js";
import { liveHttpTransport } from "./live-http-transport.js";
import { sqliteTransport } from "./sqlite-transport.js";

/** No sql binding: these handlers make none. */
const sql = sqliteTransport({});
let api: Awaited<ReturnType<typeof startTestApi>>;
let kit: LoadedIntegration;

beforeAll(async () => {
  api = await startTestApi();
  kit = extend(await loadKitSink(), {
    // The handler a contributor writes: a literal template, the value from the input.
    get_item: { body: `return ctx.device.http("api", { path = "/items/{id}/notes", params = { id = input.id }, query = { v = "1" } }).json` },
    // Template and params chosen by the test, for the refusals.
    call: { body: `return ctx.device.http("api", { path = input.path, params = input.params }).status` },
  });
});
afterAll(async () => {
  sql.close();
  await api.close();
});

function run(handler: string, input: unknown): Promise<ExecutionResult> {
  const clock = fakeClock();
  const http = liveHttpTransport({ api: { baseUrl: `${api.url}/base` } });
  return execute({ integration: kit, handler, input, installId: "i", store: memoryStorage(clock).forInstall("i"), http, sql, clock, credentials: { token: "t" } });
}

/** The URL the server received for one call, and nothing else received. */
async function receivedFor(handler: string, input: unknown): Promise<string> {
  const before = api.received.length;
  const r = await run(handler, input);
  expect(r).toMatchObject({ ok: true });
  expect(api.received.length).toBe(before + 1);
  return api.received.at(-1)!.url;
}

describe("ctx.device.http path templates", () => {
  it("puts each param into its segment, percent-encoded, under the binding's base path", async () => {
    expect(await receivedFor("get_item", { id: "it-42" })).toBe("/base/items/it-42/notes?v=1");
    expect(await receivedFor("get_item", { id: "a b/ü" })).toBe("/base/items/a%20b%2F%C3%BC/notes?v=1");
  });

  it.each([
    ["../../admin", "/base/items/..%2F..%2Fadmin/notes?v=1"],
    ["x?admin=1", "/base/items/x%3Fadmin%3D1/notes?v=1"],
    ["x#frag", "/base/items/x%23frag/notes?v=1"],
    ["%2e%2e", "/base/items/%252e%252e/notes?v=1"],
    ["/", "/base/items/%2F/notes?v=1"],
    ["..\\..", "/base/items/..%5C../notes?v=1"],
    ["a\r\nHost: evil", "/base/items/a%0D%0AHost%3A%20evil/notes?v=1"],
    ["(x)*!'", "/base/items/%28x%29%2A%21%27/notes?v=1"],
  ])("a hostile value %j stays inside its segment", async (id, url) => {
    expect(await receivedFor("get_item", { id })).toBe(url);
  });

  it("fills several placeholders, numbers included, and leaves a path without placeholders alone", async () => {
    expect(await receivedFor("call", { path: "/a/{x}/b/{y}.json", params: { x: "p/q", y: 7 } })).toBe("/base/a/p%2Fq/b/7.json");
    expect(await receivedFor("call", { path: "/plain/path" })).toBe("/base/plain/path");
  });

  it.each([
    ["a missing param", { path: "/items/{id}" }, 'needs params "id"'],
    ["a param missing among others", { path: "/items/{id}/{sub}", params: { id: "1" } }, 'needs params "sub"'],
    ["an extra param", { path: "/items/{id}", params: { id: "1", other: "2" } }, 'params "other" have no {placeholder}'],
    ["params with no placeholder", { path: "/items", params: { id: "1" } }, 'params "id" have no {placeholder}'],
    ["a dot-dot segment", { path: "/items/{id}", params: { id: ".." } }, 'segment "{id}" ".."'],
    ["a dot segment", { path: "/items/{id}", params: { id: "." } }, 'segment "{id}" "."'],
    ["an empty segment", { path: "/items/{id}/x", params: { id: "" } }, "empty"],
  ])("refuses %s with HTTP_BAD_PARAMS before sending", async (_what, input, message) => {
    const before = api.received.length;
    const r = await run("call", input);
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "HTTP_BAD_PARAMS", message: expect.stringContaining(message) } });
    expect(api.received.length).toBe(before);
  });

  it("refuses a table as a param value", async () => {
    const before = api.received.length;
    const r = await run("call", { path: "/items/{id}", params: { id: { nested: true } } });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "HTTP_BAD_REQUEST", message: expect.stringContaining("params") } });
    expect(api.received.length).toBe(before);
  });

  it("catches a refusal in the handler as a typed error", async () => {
    const integration = extend(kit, {
      try_call: { body: `local ok, e = pcall(ctx.device.http, "api", { path = "/items/{id}", params = { id = ".." } }) return { ok = ok, code = e.code }` },
    });
    const clock = fakeClock();
    const r = await execute({ integration, handler: "try_call", input: {}, installId: "i", store: memoryStorage(clock).forInstall("i"), http: liveHttpTransport({ api: { baseUrl: api.url } }), sql, clock, credentials: { token: "t" } });
    expect(r).toMatchObject({ ok: true, output: { ok: false, code: "HTTP_BAD_PARAMS" } });
  });
});
