/**
 * The seed features the runtime carries, over the HTTP API with the real sandbox: billing recorded
 * per run and summed by GET /v1/usage over a period on the fake clock, the connected account asked
 * after install and after a credential change, and the tenant APIs against the tenant's bindings
 * (a real SQLite file, a loopback GraphQL endpoint speaking graphql-js). The runtime stores on
 * SQLite and on PostgreSQL (a throwaway cluster), each on its own fake clock.
 */
import Database from "better-sqlite3";
import { buildSchema, graphql as runGraphql } from "graphql";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../manifest/manifest-schema.js";
import { fakeClock, type FakeClock } from "../storage/fake-clock.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { ADMIN, client, createTenant, startFakeApi, startTestRuntime, type FakeApi, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const LUA = `local M = {}

function M.send(ctx, input)
  ctx.billing.charge(0.0075, "SMS to " .. input.to)
  if input.segments == 2 then ctx.billing.charge(0.0075, "second segment") end
  if input.fail then error({ code = "CARRIER_REFUSED", message = "the carrier refused" }) end
  return { ok = true }
end

function M.whoami(ctx)
  local res = ctx.device.http("api", { path = "/notes/" .. ctx.config.region })
  if res.status ~= 200 then error({ code = "API_REFUSED", message = "status " .. res.status }) end
  return { id = res.json.id, name = res.json.title }
end

function M.down(ctx)
  error({ code = "API_REFUSED", message = "status 503" })
end

function M.broken_account(ctx)
  return { name = "no id" }
end

function M.remember(ctx, input)
  ctx.cache.set({ key = "last", value = input.value })
  return { last = ctx.cache.get("last") }
end

function M.recall(ctx)
  return { last = ctx.cache.get("last") }
end

function M.plan(ctx, input)
  return ctx.sql("SELECT plan FROM customers WHERE id = ?", { input.id })
end

function M.customer(ctx, input)
  local r = ctx.graphql("query($id: ID!) { customer(id: $id) { name } }", { id = input.id })
  return r.data.customer
end

return M
`;

const rpc = (fn: string) => ({ type: "rpc" as const, file: "handlers/notes.lua", function: fn, displayName: fn, description: `The ${fn} handler.` });
const sms = (patch?: (m: Manifest) => void) =>
  notesManifest("1.0.0", (m) => {
    m.slug = "sms";
    m.billing = true;
    m.connectedAccount = { handler: "whoami" };
    m.handlers = { send: rpc("send"), whoami: rpc("whoami"), down: rpc("down"), broken_account: rpc("broken_account") };
    patch?.(m);
  });
const tenantKit = notesManifest("1.0.0", (m) => {
  m.slug = "tenant-kit";
  m.auth = { type: "none" };
  delete m.resources;
  delete m.configSchema;
  m.permissions = { tenantApis: ["cache", "sql", "graphql"] };
  m.handlers = { remember: rpc("remember"), recall: rpc("recall"), plan: rpc("plan"), customer: rpc("customer") };
});

let dir: string;
let registry: string;
let publicKeyPem: string;
let fake: FakeApi;
let cluster: ThrowawayPostgres;
let gql: Server;
let gqlUrl: string;
const gqlBodies: unknown[] = [];
const schema = buildSchema(`type Customer { name: String! } type Query { customer(id: ID!): Customer }`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-seed-"));
  const manifests = [
    sms(),
    sms((m) => ((m.slug = "sms-down"), (m.connectedAccount = { handler: "down" }))),
    sms((m) => ((m.slug = "sms-broken"), (m.connectedAccount = { handler: "broken_account" }))),
    tenantKit,
  ];
  [{ registry, publicKeyPem }, fake, cluster] = await Promise.all([
    buildTestRegistry(dir, manifests, { lua: { sms: LUA, "sms-down": LUA, "sms-broken": LUA, "tenant-kit": LUA } }),
    startFakeApi(),
    startThrowawayPostgres(),
  ]);
  gql = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c));
    req.on("end", async () => {
      const body = JSON.parse(raw) as { query: string; variables: Record<string, unknown> };
      gqlBodies.push(body);
      const result = await runGraphql({ schema, source: body.query, variableValues: body.variables, rootValue: { customer: ({ id }: { id: string }) => ({ name: `Customer ${id}` }) } });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => gql.listen(0, "127.0.0.1", resolve));
  gqlUrl = `http://127.0.0.1:${(gql.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await fake.close();
  await cluster?.stop();
  gql.closeAllConnections();
  await new Promise<void>((resolve) => gql.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const freshDatabase = databaseMaker("seed", () => dir, () => cluster);
const smsInstall = (integration = "sms@^1", region = "eu") => ({ integration, config: { region }, bindings: { api: { url: fake.url } }, credentials: { apiKey: "sms-key-0001" } });

describe.each(ENGINES)("on %s", (engine) => {
  let clock: FakeClock;
  let rt: TestRuntime;
  beforeAll(async () => {
    clock = fakeClock("2026-03-01T00:00:00.000Z");
    rt = await startTestRuntime({ dir, registry, publicKeyPem, clock, db: await freshDatabase(engine) });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  describe("billing", () => {
    it("records each charge with its run and sums them per install and handler over a period", async () => {
      const { api } = await createTenant(rt.app, "billing");
      const a = (await api.post("/v1/installs", smsInstall())).body;
      const b = (await api.post("/v1/installs", smsInstall())).body;
      const first = await api.post(`/v1/installs/${a.id}/rpc/send`, { input: { to: "+15550001" } });
      expect(first.status).toBe(200);
      expect((await api.get(`/v1/runs/${first.body.runId}`)).body.cost).toEqual({ usd: 0.0075, charges: [{ usd: 0.0075, note: "SMS to +15550001" }] });
      clock.advance(3600_000);
      await api.post(`/v1/installs/${a.id}/rpc/send`, { input: { to: "+15550002", segments: 2 } });
      // A run that fails after charging still cost what it reported.
      const failed = await api.post(`/v1/installs/${b.id}/rpc/send`, { input: { to: "+15550003", fail: true } });
      expect(failed.status).toBe(422);
      expect((await api.get(`/v1/runs/${failed.body.runId}`)).body.cost.usd).toBe(0.0075);

      const all = await api.get("/v1/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z");
      expect(all.status).toBe(200);
      expect(all.body).toEqual({
        from: "2026-03-01T00:00:00.000Z",
        to: "2026-03-02T00:00:00.000Z",
        items: [
          { installId: a.id, integration: "sms", handler: "send", usd: 0.0225, charges: 3, runs: 2 },
          { installId: b.id, integration: "sms", handler: "send", usd: 0.0075, charges: 1, runs: 1 },
        ],
        totalUsd: 0.03,
      });
      // The period is [from, to): the first call at 00:00 is in, the second at 01:00 is out.
      const firstHour = await api.get(`/v1/usage?from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z&installId=${a.id}`);
      expect(firstHour.body.items).toEqual([{ installId: a.id, integration: "sms", handler: "send", usd: 0.0075, charges: 1, runs: 1 }]);
      expect((await api.get(`/v1/installs/${a.id}`)).body.billing).toEqual({ totalUsd: 0.0225 });
      // Defaults: the 30 days up to now (exclusive).
      clock.advance(1);
      expect((await api.get("/v1/usage")).body).toMatchObject({ to: new Date(clock.now()).toISOString(), totalUsd: 0.03 });
      // Uninstalling deletes the install's charges with the rest of its data.
      await api.delete(`/v1/installs/${b.id}`);
      expect((await api.get("/v1/usage")).body).toMatchObject({ totalUsd: 0.0225, items: [{ installId: a.id }] });
    });

    it("keeps tenants' usage apart and refuses a bad period or another tenant's install", async () => {
      const { api } = await createTenant(rt.app, "usage-other");
      expect((await api.get("/v1/usage")).body.items).toEqual([]);
      const bad = await api.get("/v1/usage?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z");
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("INVALID_PERIOD");
      expect((await api.get("/v1/usage?from=yesterday")).status).toBe(400);
      const owner = await createTenant(rt.app, "usage-owner");
      const theirs = (await owner.api.post("/v1/installs", smsInstall())).body;
      expect((await api.get(`/v1/usage?installId=${theirs.id}`)).status).toBe(404);
    });
  });

  describe("the connected account", () => {
    it("is asked after install and after a credential change, and shown on the install", async () => {
      const { api } = await createTenant(rt.app, "account");
      const created = await api.post("/v1/installs", smsInstall("sms@^1", "eu"));
      expect(created.body.connectedAccount).toMatchObject({ account: { id: "eu", name: "Title of eu" }, error: null, runId: expect.any(String), checkedAt: new Date(clock.now()).toISOString() });
      const run = await api.get(`/v1/runs/${created.body.connectedAccount.runId}`);
      expect(run.body).toMatchObject({ handler: "whoami", trigger: "rpc", triggerRef: "connected-account", status: "ok" });

      await api.patch(`/v1/installs/${created.body.id}`, { config: { region: "us" } });
      expect((await api.get(`/v1/installs/${created.body.id}`)).body.connectedAccount.account.id).toBe("eu");
      const patched = await api.patch(`/v1/installs/${created.body.id}`, { credentials: { apiKey: "sms-key-0002" } });
      expect(patched.body.connectedAccount.account).toEqual({ id: "us", name: "Title of us" });
      expect(fake.requests.at(-1)!.headers["x-api-key"]).toBe("sms-key-0002");
    });

    it("shows why there is none when the handler fails or returns no account, and the install still succeeds", async () => {
      const { api } = await createTenant(rt.app, "account-errors");
      const down = await api.post("/v1/installs", smsInstall("sms-down@^1"));
      expect(down.status).toBe(201);
      expect(down.body.connectedAccount).toMatchObject({ account: null, error: { kind: "expected", code: "API_REFUSED", message: "status 503" } });
      const broken = await api.post("/v1/installs", smsInstall("sms-broken@^1"));
      expect(broken.status).toBe(201);
      expect(broken.body.connectedAccount).toMatchObject({ account: null, error: { code: "ACCOUNT_INVALID", message: expect.stringContaining("/id") } });
    });
  });

  describe("tenant APIs", () => {
    async function tenantWith(name: string, bindings: Record<string, unknown>) {
      const res = await client(rt.app, ADMIN).post("/v1/tenants", { name, bindings });
      expect(res.status).toBe(201);
      const api = client(rt.app, res.body.token);
      return api;
    }

    it("share ctx.cache between the tenant's installs, not with another tenant's", async () => {
      const api = await tenantWith("cache-a", {});
      const one = (await api.post("/v1/installs", { integration: "tenant-kit@^1" })).body;
      const two = (await api.post("/v1/installs", { integration: "tenant-kit@^1" })).body;
      await api.post(`/v1/installs/${one.id}/rpc/remember`, { input: { value: "from one" } });
      expect((await api.post(`/v1/installs/${two.id}/rpc/recall`, { input: {} })).body.output).toEqual({ last: "from one" });
      const other = await tenantWith("cache-b", {});
      const three = (await other.post("/v1/installs", { integration: "tenant-kit@^1" })).body;
      expect((await other.post(`/v1/installs/${three.id}/rpc/recall`, { input: {} })).body.output).toEqual({});
      // Uninstalling an install leaves what the tenant shares.
      await api.delete(`/v1/installs/${one.id}`);
      expect((await api.post(`/v1/installs/${two.id}/rpc/recall`, { input: {} })).body.output).toEqual({ last: "from one" });
    });

    it("run ctx.sql on the tenant's SQLite file and ctx.graphql on its endpoint", async () => {
      const file = path.join(dir, `tenant-db-${engine}.sqlite`);
      const db = new Database(file);
      db.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, plan TEXT); INSERT INTO customers VALUES ('c-9', 'enterprise')");
      db.close();
      const api = await tenantWith("bound", { sql: { dsn: `sqlite:${file}` }, graphql: { url: gqlUrl } });
      const id = (await api.post("/v1/installs", { integration: "tenant-kit@^1" })).body.id;
      expect((await api.post(`/v1/installs/${id}/rpc/plan`, { input: { id: "c-9" } })).body.output).toEqual([{ plan: "enterprise" }]);
      gqlBodies.length = 0;
      expect((await api.post(`/v1/installs/${id}/rpc/customer`, { input: { id: "c-9" } })).body.output).toEqual({ name: "Customer c-9" });
      expect(gqlBodies).toEqual([{ query: "query($id: ID!) { customer(id: $id) { name } }", variables: { id: "c-9" } }]);
    });

    it("fail with TENANT_API_UNAVAILABLE when the tenant has no such binding", async () => {
      const api = await tenantWith("unbound", {});
      const id = (await api.post("/v1/installs", { integration: "tenant-kit@^1" })).body.id;
      const res = await api.post(`/v1/installs/${id}/rpc/plan`, { input: { id: "c-9" } });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "TENANT_API_UNAVAILABLE", message: expect.stringContaining("bindings.sql") });
    });

    it.each([
      [{ sql: { dsn: "postgres://db.example.com/app" } }, "/bindings/sql/dsn"],
      [{ graphql: { url: "ftp://example.com/graphql" } }, "/bindings/graphql/url"],
      [{ graphql: { url: "http://example.com", token: "x" } }, "/bindings/graphql"],
      [{ redis: { url: "redis://x" } }, "/bindings"],
    ])("refuses the tenant binding %j at creation", async (bindings, pointer) => {
      const res = await client(rt.app, ADMIN).post("/v1/tenants", { name: "bad", bindings });
      expect(res.status).toBe(400);
      expect(res.body.error.pointer.startsWith(pointer)).toBe(true);
    });
  });
});
