/**
 * ctx.billing.charge, the tenant-scoped ctx.cache / ctx.sql / ctx.graphql and the one retry of a
 * device call after a 401, through execute(): real fengari, a real SQLite file for the tenant's
 * database, a real GraphQL server (graphql-js over HTTP on 127.0.0.1) and a loopback API that
 * only accepts the fresh token.
 */
import Database from "better-sqlite3";
import { buildSchema, graphql as runGraphql } from "graphql";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHttpTransport } from "../device/live-http-transport.js";
import { sqliteTransport } from "../device/sqlite-transport.js";
import { TENANT_GRAPHQL_ALIAS, TENANT_SQL_ALIAS } from "../host/sandbox-host.js";
import type { TenantApis } from "../host/tenant-apis.js";
import { REDACTED } from "../redact/redactor.js";
import { fakeClock } from "../storage/fake-clock.js";
import { memoryStorage } from "../storage/memory-storage.js";
import { execute, type ExecuteOptions, type ExecutionResult } from "./execute.js";
import type { LoadedIntegration } from "./load-integration.js";
import { extend, loadKitSink } from "../../test-support/test-integration.js";

const OLD_TOKEN = "old:tok~Hopper@1906";
const NEW_TOKEN = "new:tok~Hamilton@1936";
const dir = mkdtempSync(path.join(tmpdir(), "ihub-tenant-"));
const tenantDb = path.join(dir, "tenant.sqlite");
let kit: LoadedIntegration;
let gqlServer: Server;
let gqlUrl: string;
const gqlReceived: { url: string; contentType: string | undefined; body: unknown }[] = [];
let apiServer: Server;
let apiUrl: string;
const apiReceived: string[] = [];

const schema = buildSchema(`type Customer { id: ID!, name: String! } type Query { customer(id: ID!): Customer }`);
const rootValue = { customer: ({ id }: { id: string }) => (id === "c-1" ? { id, name: "Grace" } : null) };

beforeAll(async () => {
  kit = await loadKitSink();
  const db = new Database(tenantDb);
  db.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, plan TEXT NOT NULL); INSERT INTO customers VALUES ('c-1', 'pro'), ('c-2', 'free')");
  db.close();
  gqlServer = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c));
    req.on("end", async () => {
      const body = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
      gqlReceived.push({ url: req.url ?? "", contentType: req.headers["content-type"], body });
      const result = await runGraphql({ schema, source: body.query, rootValue, variableValues: body.variables ?? {} });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    });
  });
  apiServer = createServer((req, res) => {
    apiReceived.push(req.headers.authorization ?? "");
    const ok = req.headers.authorization === `Bearer ${NEW_TOKEN}`;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(ok ? { ok: true } : { message: "token expired" }));
  });
  for (const s of [gqlServer, apiServer]) await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  gqlUrl = `http://127.0.0.1:${(gqlServer.address() as AddressInfo).port}/graphql`;
  apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of [gqlServer, apiServer]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  rmSync(dir, { recursive: true, force: true });
});

function tenantApis(clock = fakeClock()): TenantApis {
  return {
    cache: memoryStorage(clock).forInstall("tenant:t-1"),
    sql: sqliteTransport({ [TENANT_SQL_ALIAS]: { dialect: "sqlite", database: tenantDb } }),
    graphql: { transport: liveHttpTransport({ [TENANT_GRAPHQL_ALIAS]: { baseUrl: gqlUrl } }), url: gqlUrl },
  };
}

function run(integration: LoadedIntegration, handler: string, input: unknown, extra: Partial<ExecuteOptions> = {}): Promise<ExecutionResult> {
  const clock = fakeClock();
  return execute({
    integration, handler, input, installId: "inst-1", store: memoryStorage(clock).forInstall("inst-1"),
    http: liveHttpTransport({ api: { baseUrl: apiUrl } }), sql: sqliteTransport({}), clock, credentials: { token: OLD_TOKEN }, ...extra,
  });
}

const output = (r: ExecutionResult) => {
  if (!r.ok) throw new Error(`invocation failed: ${JSON.stringify(r.error)}`);
  return r.output;
};
const failure = (r: ExecutionResult) => {
  if (r.ok) throw new Error("expected the invocation to fail");
  return r.error as { code: string; message: string };
};

describe("ctx.billing.charge", () => {
  const billed = () =>
    extend(kit, {
      charge: { body: `ctx.billing.charge(0.0125, "1 SMS segment to " .. input.to) ctx.billing.charge(2) return true` },
      bad: { body: `ctx.billing.charge(input.usd, input.note) return true` },
    }, (m) => (m.billing = true));

  it("records each charge of the run with its note, credentials redacted from notes", async () => {
    const r = await run(billed(), "charge", { to: OLD_TOKEN });
    expect(output(r)).toBe(true);
    expect(r.charges).toEqual([{ usd: 0.0125, note: `1 SMS segment to ${REDACTED}` }, { usd: 2, note: null }]);
  });

  it("refuses a charge without billing: true as PERMISSION_DENIED naming the manifest field", async () => {
    const unbilled = extend(kit, { charge: { body: `ctx.billing.charge(1, "x") return true` } });
    const e = failure(await run(unbilled, "charge", {}));
    expect(e.code).toBe("PERMISSION_DENIED");
    expect(e.message).toContain("billing: true");
  });

  it.each([
    [{ usd: -1 }, "usd must be a number from 0 to 1000"],
    [{ usd: 1001 }, "usd must be a number from 0 to 1000"],
    [{ usd: "5" }, "usd must be a number"],
    [{ usd: 1, note: "n".repeat(201) }, "note must be a string of at most 200"],
  ])("refuses the hostile charge %j as INVALID_ARGUMENT", async (input, message) => {
    const e = failure(await run(billed(), "bad", input));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toContain(message);
  });

  it("caps the charges of one invocation", async () => {
    const loop = extend(kit, { many: { body: `for i = 1, 101 do ctx.billing.charge(0.01) end return true` } }, (m) => (m.billing = true));
    const r = await run(loop, "many", {});
    expect(failure(r).message).toContain("more than 100 charges");
    expect(r.charges).toHaveLength(100);
  });
});

describe("tenant-scoped ctx.cache, ctx.sql and ctx.graphql", () => {
  const tenantKit = (apis: string[]) =>
    extend(kit, {
      put: { body: `ctx.cache.set({ key = input.key, value = input.value, ttl = 60 }) return true` },
      get: { body: `return { value = ctx.cache.get(input.key) }` },
      del: { body: `return { gone = ctx.cache.delete(input.key) }` },
      plan: { body: `return ctx.sql("SELECT id, plan FROM customers WHERE id = ?", { input.id })` },
      customer: { body: `return ctx.graphql("query($id: ID!) { customer(id: $id) { id name } }", { id = input.id })` },
    }, (m) => (m.permissions.tenantApis = apis));

  it("shares ctx.cache between installs of the tenant, apart from the install cache, with TTL on the clock", async () => {
    const clock = fakeClock();
    const tenant = tenantApis(clock);
    const k = tenantKit(["cache"]);
    const installStore = memoryStorage(clock).forInstall("inst-1");
    expect(output(await run(k, "put", { key: "rate", value: { eur: 1.08 } }, { tenant, clock, installId: "inst-1", store: installStore }))).toBe(true);
    expect(output(await run(k, "get", { key: "rate" }, { tenant, clock, installId: "inst-2" }))).toEqual({ value: { eur: 1.08 } });
    expect(await installStore.cacheGet("rate")).toBeNull();
    clock.advance(61_000);
    expect(output(await run(k, "get", { key: "rate" }, { tenant, clock }))).toEqual({});
    expect(output(await run(k, "put", { key: "rate", value: 1 }, { tenant, clock }))).toBe(true);
    expect(output(await run(k, "del", { key: "rate" }, { tenant, clock }))).toEqual({ gone: true });
  });

  it("runs ctx.sql on the tenant's SQLite database and records it under the tenant alias", async () => {
    const r = await run(tenantKit(["sql"]), "plan", { id: "c-1" }, { tenant: tenantApis() });
    expect(output(r)).toEqual([{ id: "c-1", plan: "pro" }]);
    expect(r.requests).toEqual([{ kind: "sql", alias: TENANT_SQL_ALIAS, query: "SELECT id, plan FROM customers WHERE id = ?", params: ["c-1"], rows: 1 }]);
  });

  it("posts ctx.graphql to the tenant's endpoint as graphql-over-http and returns data and errors", async () => {
    gqlReceived.length = 0;
    const r = await run(tenantKit(["graphql"]), "customer", { id: "c-1" }, { tenant: tenantApis() });
    expect(output(r)).toEqual({ status: 200, data: { customer: { id: "c-1", name: "Grace" } } });
    expect(gqlReceived).toEqual([{ url: "/graphql", contentType: "application/json", body: { query: "query($id: ID!) { customer(id: $id) { id name } }", variables: { id: "c-1" } } }]);
    const missing = await run(tenantKit(["graphql"]), "customer", {}, { tenant: tenantApis() });
    expect((output(missing) as { errors: { message: string }[] }).errors[0]!.message).toContain("$id");
  });

  it.each([
    ["put", { key: "k", value: 1 }, "cache"],
    ["plan", { id: "c-1" }, "sql"],
    ["customer", { id: "c-1" }, "graphql"],
  ])("refuses %s without its tenantApis grant as PERMISSION_DENIED", async (handler, input, api) => {
    const e = failure(await run(tenantKit(["users.read"]), handler, input, { tenant: tenantApis() }));
    expect(e.code).toBe("PERMISSION_DENIED");
    expect(e.message).toContain(`"${api}"`);
    expect(e.message).toContain("permissions.tenantApis");
  });

  it("fails with TENANT_API_UNAVAILABLE outside a tenant or without the tenant's binding", async () => {
    expect(failure(await run(tenantKit(["sql"]), "plan", { id: "c-1" })).code).toBe("TENANT_API_UNAVAILABLE");
    const e = failure(await run(tenantKit(["graphql"]), "customer", { id: "c-1" }, { tenant: { ...tenantApis(), graphql: null } }));
    expect(e.code).toBe("TENANT_API_UNAVAILABLE");
    expect(e.message).toContain("bindings.graphql");
  });

  it.each([
    [`return ctx.graphql("", {})`, "query must be a non-empty string"],
    [`return ctx.graphql("{ x }", "not a table")`, "variables must be a table"],
    [`return ctx.cache.set({ key = "", value = 1 })`, "key must be a non-empty string"],
    [`return ctx.sql(42)`, "query must be a non-empty string"],
  ])("refuses hostile arguments: %s", async (body, message) => {
    const k = extend(kit, { hostile: { body } }, (m) => (m.permissions.tenantApis = ["cache", "sql", "graphql"]));
    expect(failure(await run(k, "hostile", {}, { tenant: tenantApis() })).message).toContain(message);
  });
});

describe("a device call answered 401", () => {
  const k = () => extend(kit, { call: { body: `local r = ctx.device.http("api", { method = "POST", path = "/items", json = { n = 1 } }) ctx.log.info("sent", { auth = "${NEW_TOKEN}" }) return { status = r.status }` } });

  it("is sent once more with the credentials reauthorize returns, whose secrets are redacted too", async () => {
    apiReceived.length = 0;
    let asked = 0;
    const r = await run(k(), "call", {}, { reauthorize: async () => (asked++, { token: NEW_TOKEN }) });
    expect(output(r)).toEqual({ status: 200 });
    expect(asked).toBe(1);
    expect(apiReceived).toEqual([`Bearer ${OLD_TOKEN}`, `Bearer ${NEW_TOKEN}`]);
    expect(JSON.stringify(r.logs)).not.toContain(NEW_TOKEN);
    expect(r.requests).toEqual([{ kind: "http", alias: "api", method: "POST", path: "/items", query: {}, status: 200 }]);
  });

  it("is returned as 401 when no fresh credentials are had, and reauthorize is asked once per invocation", async () => {
    apiReceived.length = 0;
    let asked = 0;
    const twice = extend(kit, { call: { body: `local a = ctx.device.http("api", { path = "/a" }) local b = ctx.device.http("api", { path = "/b" }) return { a.status, b.status }` } });
    expect(output(await run(twice, "call", {}, { reauthorize: async () => (asked++, null) }))).toEqual([401, 401]);
    expect(asked).toBe(1);
    expect(apiReceived).toEqual([`Bearer ${OLD_TOKEN}`, `Bearer ${OLD_TOKEN}`]);
    expect(output(await run(k(), "call", {}))).toEqual({ status: 401 });
  });
});
