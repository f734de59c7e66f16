/**
 * `ihub runtime start --db postgres://…` as real child processes on a throwaway PostgreSQL
 * cluster: installs survive a restart, two processes on one database serve each other's tenants
 * and installs and fire each slot of a timer once between them, one takes over the timer and the
 * event delivery of a peer killed with -9 (within the recovery sweep's 5 seconds), and a database that cannot be
 * reached stops the start with a usage error. The notes timer ticks every second here.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { eventually, runtimeProcesses } from "../../test-support/service/runtime-process.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { startFakeApi, type FakeApi } from "../../test-support/service/test-runtime.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";
import { postgresServiceStore } from "../service-store/postgres-service-store.js";
import { createVault, vaultKeyId } from "../vault/credential-vault.js";

const BIN = fileURLToPath(new URL("../../../tooling/bin/ihub.js", import.meta.url));
const ADMIN = "admin-pg-zq-3318";
const SECRET = "sk-pg-zq71-c4e9a0";
const KEY = "6b".repeat(32);

let dir: string;
let fake: FakeApi;
let server: ThrowawayPostgres;
let processes: ReturnType<typeof runtimeProcesses>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-pg-runtime-"));
  const [{ registry, publicKeyPem }, started, api] = await Promise.all([buildTestRegistry(dir, [notesManifest("1.0.0", (m) => (m.handlers.tick!.schedule = "1s"))]), startThrowawayPostgres(), startFakeApi()]);
  server = started;
  fake = api;
  const keyFile = path.join(dir, "trusted.pem");
  await writeFile(keyFile, publicKeyPem);
  processes = runtimeProcesses({ root: dir, registry, trustedKeyFile: keyFile, adminToken: ADMIN, vaultKeyHex: KEY });
});
afterAll(async () => {
  processes?.killAll();
  await fake?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const installBody = () => ({ integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: fake.url } }, credentials: { apiKey: SECRET } });

it("keeps tenants, installs and sealed credentials in PostgreSQL across a restart", async () => {
  const db = await server.createDatabase("restart");
  let rt = await processes.start(db);
  const tenant = (await rt.call("POST", "/v1/tenants", ADMIN, { name: "pg" })).body;
  const created = await rt.call("POST", "/v1/installs", tenant.token, installBody());
  expect(created.status).toBe(201);
  expect((await rt.call("POST", `/v1/installs/${created.body.id}/rpc/lookup`, tenant.token, { input: { id: "before" } })).status).toBe(200);
  rt.child.kill("SIGTERM");
  expect(await rt.exited).toBe(0);

  rt = await processes.start(db);
  const listed = (await rt.call("GET", "/v1/installs", tenant.token)).body.items;
  expect(listed.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
  expect(listed[0].credentials).toEqual({ set: ["apiKey"] });
  const lookup = await rt.call("POST", `/v1/installs/${created.body.id}/rpc/lookup`, tenant.token, { input: { id: "after" } });
  expect(lookup).toEqual({ status: 200, body: { output: { id: "after", title: "Title of after" }, runId: expect.any(String) } });
  // The credential was opened from its sealed row in PostgreSQL by the restarted process.
  expect(fake.requests.find((r) => r.url === "/notes/after")?.headers["x-api-key"]).toBe(SECRET);
  const runs = (await rt.call("GET", `/v1/installs/${created.body.id}/runs`, tenant.token)).body.items;
  expect(runs.filter((r: { trigger: string }) => r.trigger === "rpc")).toHaveLength(2);
  expect(rt.logs()).not.toContain(SECRET);
  rt.child.kill("SIGTERM");
  expect(await rt.exited).toBe(0);
}, 60_000);

it("runs two processes on one database, started together, each serving what the other stored", async () => {
  const db = await server.createDatabase("fleet");
  const [a, b] = await Promise.all([processes.start(db), processes.start(db)]);
  const tenant = (await a.call("POST", "/v1/tenants", ADMIN, { name: "fleet" })).body;
  const viaA = (await a.call("POST", "/v1/installs", tenant.token, installBody())).body.id as string;
  const viaB = (await b.call("POST", "/v1/installs", tenant.token, installBody())).body.id as string;
  // The token minted by one process authenticates on the other; each serves the other's install.
  expect((await b.call("POST", `/v1/installs/${viaA}/rpc/lookup`, tenant.token, { input: { id: "a-on-b" } })).body.output).toEqual({ id: "a-on-b", title: "Title of a-on-b" });
  expect((await a.call("POST", `/v1/installs/${viaB}/rpc/lookup`, tenant.token, { input: { id: "b-on-a" } })).body.output).toEqual({ id: "b-on-a", title: "Title of b-on-a" });
  for (const rt of [a, b]) expect((await rt.call("GET", "/v1/installs", tenant.token)).body.items.map((i: { id: string }) => i.id)).toEqual([viaA, viaB]);
  // A config change and a removal made through one process are what the other reads next.
  expect((await a.call("PATCH", `/v1/installs/${viaB}`, tenant.token, { config: { region: "us" } })).status).toBe(200);
  expect((await b.call("GET", `/v1/installs/${viaB}`, tenant.token)).body.config).toMatchObject({ region: "us" });
  expect((await b.call("DELETE", `/v1/installs/${viaA}`, tenant.token)).status).toBe(204);
  expect((await a.call("GET", `/v1/installs/${viaA}`, tenant.token)).status).toBe(404);
  for (const rt of [a, b]) {
    rt.child.kill("SIGTERM");
    expect(await rt.exited).toBe(0);
  }
}, 60_000);

it("fires each slot of a 1-second timer once between two processes on one database", async () => {
  const db = await server.createDatabase("timers");
  const [a, b] = await Promise.all([processes.start(db), processes.start(db)]);
  const tenant = (await a.call("POST", "/v1/tenants", ADMIN, { name: "timers" })).body;
  const id = (await b.call("POST", "/v1/installs", tenant.token, installBody())).body.id as string;
  type Run = { trigger: string; triggerRef: string; status: string };
  const timerRuns = async () => ((await a.call("GET", `/v1/installs/${id}/runs?limit=200`, tenant.token)).body.items as Run[]).filter((r) => r.trigger === "timer");
  // Both processes wake for every slot; each slot is claimed by one of them and run once.
  await eventually(async () => (await timerRuns()).filter((r) => r.status === "ok").length >= 4);
  const slots = (await timerRuns()).map((r) => r.triggerRef);
  expect(new Set(slots).size).toBe(slots.length);
  for (const rt of [a, b]) {
    rt.child.kill("SIGTERM");
    expect(await rt.exited).toBe(0);
  }
}, 60_000);

it("after kill -9 of a process mid-run, another takes over its timer and redelivers its event", async () => {
  const db = await server.createDatabase("failover");
  const a = await processes.start(db);
  const tenant = (await a.call("POST", "/v1/tenants", ADMIN, { name: "failover" })).body;
  // A's first timer run and its event delivery hang on the API, so the kill lands mid-run.
  const releaseTick = fake.hold("/tick");
  const releaseSlow = fake.hold("/slow/fo-1");
  const ticksBefore = fake.requests.filter((r) => r.url === "/tick").length;
  const id = (await a.call("POST", "/v1/installs", tenant.token, installBody())).body.id as string;
  const event = (await a.call("POST", "/v1/events", tenant.token, { topic: "note.created", payload: { id: "fo-1", slow: true } })).body;
  await eventually(async () => fake.requests.filter((r) => r.url === "/tick").length > ticksBefore && fake.requests.some((r) => r.url === "/slow/fo-1"));
  const b = await processes.start(db);
  a.child.kill("SIGKILL");
  await a.exited;
  releaseTick();
  releaseSlow();
  type Run = { trigger: string; triggerRef: string; status: string };
  const allRuns = async () => (await b.call("GET", `/v1/installs/${id}/runs?limit=200`, tenant.token)).body.items as Run[];
  const timerRuns = async () => (await allRuns()).filter((r) => r.trigger === "timer");
  // B's recovery sweep sees A's lease gone: A's runs end as interrupted, B fires the next slots
  // and delivers the event again (at least once).
  await eventually(async () => {
    const runs = await allRuns();
    const timers = runs.filter((r) => r.trigger === "timer");
    return timers.some((r) => r.status === "interrupted") && timers.filter((r) => r.status === "ok").length >= 2 && runs.some((r) => r.trigger === "event" && r.triggerRef === event.eventId && r.status === "ok");
  });
  expect((await allRuns()).filter((r) => r.trigger === "event").map((r) => r.status).sort()).toEqual(["interrupted", "ok"]);
  const runs = await timerRuns();
  const [cut] = runs.filter((r) => r.status === "interrupted");
  expect(runs.filter((r) => r.status === "ok").every((r) => r.triggerRef > cut!.triggerRef)).toBe(true);
  expect(new Set(runs.map((r) => r.triggerRef)).size).toBe(runs.length);
  expect(b.logs()).toContain("recovered work left by a process that stopped");
  b.child.kill("SIGTERM");
  expect(await b.exited).toBe(0);
}, 60_000);

it("rotate-key re-seals the credentials stored in PostgreSQL with the new key", async () => {
  const db = await server.createDatabase("rotate");
  const [oldHex, newHex] = [randomBytes(32).toString("hex"), randomBytes(32).toString("hex")];
  const oldKey = Buffer.from(oldHex, "hex");
  const store = await postgresServiceStore(db);
  await store.createTenant({ id: "t", name: "t", createdAt: 0, bindings: {} }, "hash");
  const sealed = createVault({ id: vaultKeyId(oldKey), key: oldKey }).seal("i-1", { apiKey: SECRET });
  await store.createInstall({ id: "i-1", tenantId: "t", slug: "s", version: "1.0.0", range: "^1", integrity: "x", config: {}, bindings: {}, credentialFields: ["apiKey"], warnings: [], createdAt: 0, updatedAt: 0, retentionTier: null, followRange: false, previous: null, pendingUpgrade: null }, sealed, []);
  const res = spawnSync(process.execPath, [BIN, "runtime", "rotate-key", "--root", dir, "--db", db, "--json"], {
    env: { ...process.env, IHUB_RUNTIME_KEY: newHex, IHUB_RUNTIME_PREVIOUS_KEYS: oldHex, IHUB_RUNTIME_ADMIN_TOKEN: ADMIN },
    encoding: "utf8",
  });
  expect(res.status).toBe(0);
  const newKeyId = vaultKeyId(Buffer.from(newHex, "hex"));
  expect(JSON.parse(res.stdout)).toMatchObject({ keyId: newKeyId, resealed: 1 });
  const stored = await store.getCredential("t", "i-1");
  expect(stored?.keyId).toBe(newKeyId);
  expect(createVault({ id: newKeyId, key: Buffer.from(newHex, "hex") }).open("i-1", stored!)).toEqual({ apiKey: SECRET });
  await store.close();
}, 30_000);

it("stops with a usage error naming the database, without its password, when PostgreSQL cannot be reached or the URL is malformed", () => {
  const missing = path.join(dir, "no-such-socket-dir");
  const cases: [string, RegExp][] = [
    [`postgres://ihub:pw-zq-5521@localhost/nope?host=${missing}`, /^cannot open the PostgreSQL database postgres:\/\/ihub:\*\*\*@localhost\/nope/],
    ["postgresql://ihub:pw-zq-5521@localhost:not-a-port/db", /^cannot open the PostgreSQL database postgres database: /],
    ["postgres://ihub:pw-zq-5521@127.0.0.1:1/db", /^cannot open the PostgreSQL database postgres:\/\/ihub:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/],
  ];
  for (const [db, message] of cases) {
    const res = spawnSync(process.execPath, [BIN, "runtime", "start", "--root", dir, "--db", db, "--port", "0", "--json"], {
      env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: ADMIN, IHUB_RUNTIME_KEY: KEY },
      encoding: "utf8",
    });
    expect(res.status).toBe(2);
    const { error } = JSON.parse(res.stdout);
    expect(error.message).toMatch(message);
    expect(error.hint).toContain("--db URL");
    expect(res.stdout + res.stderr).not.toContain("pw-zq-5521");
  }
}, 30_000);
