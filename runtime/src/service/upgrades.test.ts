/**
 * Upgrades, rollback, consent and range following over the HTTP API, against a real registry
 * served over loopback HTTP (sirv, ETags) whose requests are recorded, with versions published
 * while the runtime runs. The cases run in order: each publishes the next release. They run on
 * SQLite and on PostgreSQL (a throwaway cluster), each engine with its own registry to publish to.
 */
import type { IncomingHttpHeaders, Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryServer, listen } from "../../../tooling/src/registry/serve-registry.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startFakeApi, startTestRuntime, until, type FakeApi, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const SECRET = "sk-upgrade-zq71-4410";
const withCount = (version: string) =>
  notesManifest(version, (m) => {
    m.handlers.count = { type: "rpc", file: "handlers/notes.lua", function: "count", displayName: "count", description: "Ticks seen so far." };
  });

let dir: string;
let api: FakeApi;
let cluster: ThrowawayPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-upgrades-"));
  [api, cluster] = await Promise.all([startFakeApi(), startThrowawayPostgres()]);
});
afterAll(async () => {
  await api.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});
const freshDatabase = databaseMaker("upgrades", () => dir, () => cluster);

describe.each(ENGINES)("on %s", (engine) => {
  let rt: TestRuntime;
  let server: Server;
  let publish: (m: ReturnType<typeof notesManifest>[]) => Promise<void>;
  let publicKeyPem: string;
  let registryUrl: string;
  let registryDir: string;
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const indexRequests = () => requests.filter((r) => r.url === "/notes/index.json");

  beforeAll(async () => {
    const own = await mkdtemp(path.join(dir, `${engine}-`));
    const built = await buildTestRegistry(own, [notesManifest("1.0.0")]);
    ({ publish, publicKeyPem, registry: registryDir } = built);
    server = createRegistryServer(built.registry);
    server.prependListener("request", (req) => requests.push({ url: req.url ?? "", headers: req.headers }));
    registryUrl = (await listen(server, 0, "127.0.0.1")).url;
    rt = await startTestRuntime({ dir: own, registry: registryUrl, publicKeyPem, db: await freshDatabase(engine, own) });
  });
  afterAll(async () => {
    await rt?.app.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  const ticks = (installId: string) => rt.app.runtime.store.installData.forInstall(installId).containerGet("seen", "ticks");
  async function tickOnce() {
    rt.clock.advance(60_000);
    await rt.app.runtime.worker.tick();
  }

  describe("an install following ^1", () => {
    let tenant: Awaited<ReturnType<typeof createTenant>>;
    let id: string;

    it("polls the registry with its ETag and moves from 1.0.0 to 1.1.0 with its containers and timers, then back by rollback", async () => {
      tenant = await createTenant(rt.app, "follower");
      const created = await tenant.api.post("/v1/installs", { integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: api.url } }, credentials: { apiKey: SECRET }, followRange: true });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ version: "1.0.0", followRange: true, previousVersion: null, pendingUpgrade: null });
      id = created.body.id;
      await tickOnce();
      expect(await ticks(id)).toEqual({ n: 1 });

      requests.length = 0;
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      const [first, second] = indexRequests();
      expect(first!.headers["if-none-match"]).toBeUndefined();
      expect(second!.headers["if-none-match"]).toMatch(/^(W\/)?"/);
      // The second poll was answered 304 and fetched nothing else.
      expect(requests).toHaveLength(2);

      await publish([withCount("1.1.0")]);
      requests.length = 0;
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [id], blocked: [], failed: [] });
      expect(indexRequests()[0]!.headers["if-none-match"]).toBe(second!.headers["if-none-match"]);
      const upgraded = await tenant.api.get(`/v1/installs/${id}`);
      expect(upgraded.body).toMatchObject({ version: "1.1.0", range: "^1", previousVersion: "1.0.0", followRange: true, config: { region: "eu", pageSize: 10 }, credentials: { set: ["apiKey"] } });

      // The new handler reads what the old version stored; the timer goes on.
      expect((await tenant.api.post(`/v1/installs/${id}/rpc/count`, { input: {} })).body.output).toEqual({ n: 1 });
      await tickOnce();
      expect(await ticks(id)).toEqual({ n: 2 });

      const back = await tenant.api.post(`/v1/installs/${id}/rollback`);
      expect(back.status).toBe(200);
      const metrics = (await rt.app.inject({ url: "/metrics" })).body;
      for (const line of ['ihub_version_switches_total{outcome="upgraded"} 1', 'ihub_version_switches_total{outcome="rolled_back"} 1']) expect(metrics).toContain(line);
      expect(back.body).toMatchObject({ version: "1.0.0", previousVersion: "1.1.0", followRange: false });
      expect(await ticks(id)).toEqual({ n: 2 });
      expect((await tenant.api.post(`/v1/installs/${id}/rpc/count`, { input: {} })).body.error.code).toBe("HANDLER_NOT_FOUND");
      await tickOnce();
      expect(await ticks(id)).toEqual({ n: 3 });
      const runs = (await tenant.api.get(`/v1/installs/${id}/runs`)).body.items.filter((r: { handler: string }) => r.handler === "tick");
      expect(runs.map((r: { version: string }) => r.version)).toEqual(["1.0.0", "1.1.0", "1.0.0"]);
      // A rollback stops following: the next poll leaves the install where it is.
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      expect((await tenant.api.get(`/v1/installs/${id}`)).body.version).toBe("1.0.0");
    });

    it("follows to the newest version that needs no consent and holds one that adds a permission and a scope until the tenant accepts it", async () => {
      await publish([
        notesManifest("1.2.0", (m) => {
          m.permissions.device = { api: { methods: ["GET", "POST"] } };
          m.auth.scopes = ["notes:write"];
        }),
      ]);
      expect((await tenant.api.patch(`/v1/installs/${id}`, { followRange: true })).body.followRange).toBe(true);
      // 1.1.0 asks for nothing new, so the install moves there; 1.2.0 waits.
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [id], blocked: [], failed: [] });
      const waiting = (await tenant.api.get(`/v1/installs/${id}`)).body;
      expect(waiting).toMatchObject({ version: "1.1.0", previousVersion: "1.0.0" });
      expect(waiting.pendingUpgrade).toEqual({
        version: "1.2.0",
        detectedAt: new Date(rt.clock.now()).toISOString(),
        access: [
          { message: "permission added: device api POST", pointer: "/permissions/device/api" },
          { message: "auth scopes added: notes:write (existing credentials were granted without them)", pointer: "/auth/scopes" },
        ],
        problems: [],
      });
      // Nothing new in the registry: the pending version is not tried again.
      requests.length = 0;
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      expect(requests.map((r) => r.url)).toEqual(["/notes/index.json"]);

      const refused = await tenant.api.post(`/v1/installs/${id}/upgrade`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: "UPGRADE_NEEDS_CONSENT", problems: waiting.pendingUpgrade.access });
      expect((await tenant.api.get(`/v1/installs/${id}`)).body.version).toBe("1.1.0");

      const accepted = await tenant.api.post(`/v1/installs/${id}/upgrade`, { acceptPermissions: true });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ version: "1.2.0", previousVersion: "1.1.0", pendingUpgrade: null });
      expect(await ticks(id)).toEqual({ n: 3 });
    });

    it("moves to a version outside the range only with a config its configSchema accepts, naming every value at fault", async () => {
      await publish([
        notesManifest("2.0.0", (m) => {
          m.permissions.device = { api: { methods: ["GET", "POST"] } };
          m.auth.scopes = ["notes:write"];
          m.configSchema = { type: "object", properties: { region: { enum: ["eu-west", "us-east"] }, tenantName: { type: "string" } }, required: ["region", "tenantName"], additionalProperties: false };
        }),
      ]);
      // Following ^1 never reaches 2.0.0.
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      const refused = await tenant.api.post(`/v1/installs/${id}/upgrade`, { version: "2.0.0" });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("UPGRADE_CONFIG_INVALID");
      expect(refused.body.error.problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual(["/config/pageSize", "/config/region", "/config/tenantName"]);
      expect((await tenant.api.get(`/v1/installs/${id}`)).body).toMatchObject({ version: "1.2.0", pendingUpgrade: { version: "2.0.0" } });

      const moved = await tenant.api.post(`/v1/installs/${id}/upgrade`, { version: "2.0.0", config: { region: "eu-west", tenantName: "acme" } });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ version: "2.0.0", range: "^2.0.0", config: { region: "eu-west", tenantName: "acme" }, pendingUpgrade: null });
      const echo = await tenant.api.post(`/v1/installs/${id}/rpc/echo`, { input: {} });
      expect(echo.body.output).toMatchObject({ region: "eu-west" });

      const back = await tenant.api.post(`/v1/installs/${id}/rollback`);
      expect(back.body).toMatchObject({ version: "1.2.0", range: "^1", config: { region: "eu", pageSize: 10 } });
      expect((await tenant.api.post(`/v1/installs/${id}/rpc/echo`, { input: {} })).body.output).toMatchObject({ region: "eu", pageSize: 10 });
    });

    it("checks the stored credential against the new version's auth.fields, takes a new one with the upgrade, and needs one that fits to roll back", async () => {
      await publish([
        notesManifest("3.0.0", (m) => {
          m.permissions.device = { api: { methods: ["GET", "POST"] } };
          m.auth.scopes = ["notes:write"];
          m.auth.fields = { type: "object", properties: { apiKey: { type: "string", format: "password", minLength: 8 }, accountId: { type: "string" } }, required: ["apiKey", "accountId"], additionalProperties: false };
        }),
      ]);
      const refused = await tenant.api.post(`/v1/installs/${id}/upgrade`, { version: "3.0.0" });
      expect([refused.status, refused.body.error.code, refused.body.error.problems.map((p: { pointer: string }) => p.pointer)]).toEqual([409, "UPGRADE_CONFIG_INVALID", ["/credentials/accountId"]]);
      expect(refused.raw).not.toContain(SECRET);

      const NEW_SECRET = "sk-upgrade-zq71-9931";
      const moved = await tenant.api.post(`/v1/installs/${id}/upgrade`, { version: "3.0.0", credentials: { apiKey: NEW_SECRET, accountId: "acct-7" } });
      expect(moved.body).toMatchObject({ version: "3.0.0", credentials: { set: ["accountId", "apiKey"] } });
      expect(moved.raw).not.toContain(NEW_SECRET);
      const seen = api.requests.length;
      await tenant.api.post(`/v1/installs/${id}/rpc/lookup`, { input: { id: "n1" } });
      expect(api.requests[seen]!.headers["x-api-key"]).toBe(NEW_SECRET);

      const back = await tenant.api.post(`/v1/installs/${id}/rollback`);
      expect([back.status, back.body.error.code, back.body.error.pointer]).toEqual([409, "ROLLBACK_CREDENTIALS_INVALID", "/credentials/accountId"]);
      expect((await tenant.api.get(`/v1/installs/${id}`)).body.version).toBe("3.0.0");
      const rolled = await tenant.api.post(`/v1/installs/${id}/rollback`, { credentials: { apiKey: SECRET } });
      expect(rolled.body).toMatchObject({ version: "1.2.0", credentials: { set: ["apiKey"] } });
      await tenant.api.post(`/v1/installs/${id}/rpc/lookup`, { input: { id: "n2" } });
      expect(api.requests.at(-1)!.headers["x-api-key"]).toBe(SECRET);
    });

    it("reports a registry index it cannot read as a failed poll, upgrades nothing, and reads it again next time", async () => {
      const indexFile = path.join(registryDir, "notes", "index.json");
      const good = await readFile(indexFile);
      const before = (await tenant.api.patch(`/v1/installs/${id}`, { followRange: true })).body;
      try {
        for (const hostile of ['{"format":1,"slug":"other","latest":null,"versions":{}}', "{ not json", "x".repeat(17 * 1024 * 1024)]) {
          await writeFile(indexFile, hostile);
          expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [id] });
        }
      } finally {
        await writeFile(indexFile, good);
      }
      requests.length = 0;
      expect(await rt.app.runtime.follower.poll()).toEqual({ upgraded: [], blocked: [], failed: [] });
      expect(indexRequests()).toHaveLength(1);
      expect((await tenant.api.get(`/v1/installs/${id}`)).body).toEqual(before);
    });

    it("refuses what cannot be done with a typed error and changes nothing", async () => {
      const fresh = await tenant.api.post("/v1/installs", { integration: "notes@1.0.0", config: { region: "us" }, bindings: { api: { url: api.url } }, credentials: { apiKey: SECRET } });
      const other = await createTenant(rt.app, "other");
      const cases: [string, unknown, number, string][] = [
        [`/v1/installs/${fresh.body.id}/rollback`, undefined, 409, "NO_PREVIOUS_VERSION"],
        [`/v1/installs/${fresh.body.id}/upgrade`, { version: "1.9.0" }, 404, "REG_NO_MATCH"],
        [`/v1/installs/${fresh.body.id}/upgrade`, { version: "latest" }, 400, "INVALID_REQUEST"],
        [`/v1/installs/${fresh.body.id}/upgrade`, { version: "1.1.0", force: true }, 400, "INVALID_REQUEST"],
        [`/v1/installs/${fresh.body.id}/upgrade`, { acceptPermissions: "yes" }, 400, "INVALID_REQUEST"],
        [`/v1/installs/${fresh.body.id}/upgrade`, { version: "1.1.0", bindings: { api: { dsn: "sqlite:/x" } } }, 409, "UPGRADE_CONFIG_INVALID"],
      ];
      for (const [url, body, status, code] of cases) {
        const res = await tenant.api.post(url, body);
        expect([url, body, res.status, res.body.error.code]).toEqual([url, body, status, code]);
      }
      expect((await other.api.post(`/v1/installs/${fresh.body.id}/upgrade`, {})).status).toBe(404);
      expect((await other.api.post(`/v1/installs/${fresh.body.id}/rollback`)).status).toBe(404);
      expect((await tenant.api.get(`/v1/installs/${fresh.body.id}`)).body).toMatchObject({ version: "1.0.0", config: { region: "us" }, bindings: { api: { url: api.url } } });
      // Already on the newest version of its range: nothing to do, nothing changes; the body may be left out.
      const pinned = await rt.app.inject({ method: "POST", url: `/v1/installs/${fresh.body.id}/upgrade`, headers: { authorization: `Bearer ${tenant.token}` } });
      expect([pinned.statusCode, pinned.json()]).toMatchObject([200, { version: "1.0.0", previousVersion: null }]);
    });
  });

  it("polls on the interval the runtime is configured with", async () => {
    const polling = await startTestRuntime({ dir, registry: registryUrl, publicKeyPem, db: await freshDatabase(engine), startWorker: true, limits: { upgradePollMs: 5 } });
    try {
      const tenant = await createTenant(polling.app, "interval");
      await tenant.api.post("/v1/installs", { integration: "notes@1.0.0", config: { region: "eu" }, bindings: { api: { url: api.url } }, credentials: { apiKey: SECRET }, followRange: true });
      requests.length = 0;
      await until(() => indexRequests().length >= 3);
      expect(indexRequests().slice(1).every((r) => typeof r.headers["if-none-match"] === "string")).toBe(true);
    } finally {
      await polling.app.close();
    }
  });
});
