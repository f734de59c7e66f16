/**
 * The runtime as a real child process (`ihub runtime start`), killed with SIGKILL while an rpc,
 * an event fan-out and a timer run are in flight, then started again on the same database: no
 * install, queued event or credential is lost and no timer slot runs twice. Also: SIGTERM lets
 * the run in flight finish before the process exits.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { eventually, runtimeProcesses } from "../../test-support/service/runtime-process.js";
import { startFakeApi, type FakeApi } from "../../test-support/service/test-runtime.js";

const ADMIN = "admin-crash-zq-6612";
const SECRET = "sk-crash-zq48-b7c3d1";
const KEY = "5a".repeat(32);

let dir: string;
let fake: FakeApi;
let registry: string;
let keyFile: string;
let processes: ReturnType<typeof runtimeProcesses>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-crash-"));
  let publicKeyPem: string;
  // A 1-second timer, so slots pass while the test runs.
  ({ registry, publicKeyPem } = await buildTestRegistry(dir, [notesManifest("1.0.0", (m) => (m.handlers.tick!.schedule = "1s"))]));
  keyFile = path.join(dir, "trusted.pem");
  await writeFile(keyFile, publicKeyPem);
  fake = await startFakeApi();
  processes = runtimeProcesses({ root: dir, registry, trustedKeyFile: keyFile, adminToken: ADMIN, vaultKeyHex: KEY });
});
const start = (db: string) => processes.start(db);
afterAll(async () => {
  processes.killAll();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

type Run = { trigger: string; triggerRef: string; status: string; handler: string };

it("loses no install, queued event or credential and doubles no timer slot across kill -9", async () => {
  const db = path.join(dir, "crash.sqlite");
  let rt = await start(db);
  const tenant = (await rt.call("POST", "/v1/tenants", ADMIN, { name: "crash" })).body;
  const body = { integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: fake.url } }, credentials: { apiKey: SECRET } };
  // Hold the first timer run, so the kill lands mid-run (later slots are skipped while it hangs).
  const releaseTick = fake.hold("/tick");
  const installs = [(await rt.call("POST", "/v1/installs", tenant.token, body)).body.id as string, (await rt.call("POST", "/v1/installs", tenant.token, body)).body.id as string];
  await eventually(async () => fake.requests.some((r) => r.url === "/tick"));

  const releaseRpc = fake.hold("/notes/hang");
  const idempotent = { "idempotency-key": "hang-zq-1" };
  const rpc = rt.call("POST", `/v1/installs/${installs[0]}/rpc/lookup`, tenant.token, { input: { id: "hang" } }, idempotent).catch(() => "killed");
  const releaseSlow = fake.hold("/slow/e-1");
  const event = (await rt.call("POST", "/v1/events", tenant.token, { topic: "note.created", payload: { id: "e-1", slow: true } })).body;
  expect(event.deliveries).toBe(2);
  await eventually(async () => fake.requests.some((r) => r.url === "/notes/hang") && fake.requests.some((r) => r.url === "/slow/e-1"));

  rt.child.kill("SIGKILL");
  await rt.exited;
  expect(await rpc).toBe("killed");
  releaseTick();
  releaseRpc();
  releaseSlow();

  rt = await start(db);
  const listed = (await rt.call("GET", "/v1/installs", tenant.token)).body.items;
  expect(listed.map((i: { id: string }) => i.id)).toEqual(installs);
  expect(listed[0].credentials).toEqual({ set: ["apiKey"] });
  const lookup = await rt.call("POST", `/v1/installs/${installs[0]}/rpc/lookup`, tenant.token, { input: { id: "after" } });
  expect(lookup.status).toBe(200);
  expect(fake.requests.find((r) => r.url === "/notes/after")?.headers["x-api-key"]).toBe(SECRET);
  // The call cut off by the kill reserved its Idempotency-Key; the restart released it for a retry.
  const retried = await rt.call("POST", `/v1/installs/${installs[0]}/rpc/lookup`, tenant.token, { input: { id: "hang" } }, idempotent);
  expect(retried).toEqual({ status: 200, body: { output: { id: "hang", title: "Title of hang" }, runId: expect.any(String) } });

  const runsOf = async (id: string) => (await rt.call("GET", `/v1/installs/${id}/runs?limit=200`, tenant.token)).body.items as Run[];
  // The event reaches both installs after the restart, and each install's timer runs again.
  for (const id of installs) {
    await eventually(async () => {
      const runs = await runsOf(id);
      return runs.some((r) => r.trigger === "event" && r.triggerRef === event.eventId && r.status === "ok") && runs.some((r) => r.trigger === "timer" && r.status === "ok");
    });
    const runs = await runsOf(id);
    const slots = runs.filter((r) => r.trigger === "timer").map((r) => r.triggerRef);
    expect(new Set(slots).size).toBe(slots.length);
    expect(runs.filter((r) => r.trigger === "timer" && r.status === "interrupted").length).toBeLessThanOrEqual(1);
  }
  const interruptedRpc = (await runsOf(installs[0]!)).filter((r) => r.trigger === "rpc" && r.status === "interrupted");
  expect(interruptedRpc).toHaveLength(1);

  const stored = await Promise.all([db, `${db}-wal`].map((f) => readFile(f).then((b) => b.toString("latin1"), () => "")));
  expect(stored.join("")).not.toContain(SECRET);
  expect(rt.logs()).not.toContain(SECRET);
  rt.child.kill("SIGTERM");
  expect(await rt.exited).toBe(0);
}, 60_000);

it("on SIGTERM stops accepting, lets the run in flight finish, then exits 0", async () => {
  const rt = await start(path.join(dir, "drain.sqlite"));
  const tenant = (await rt.call("POST", "/v1/tenants", ADMIN, { name: "drain" })).body;
  const id = (await rt.call("POST", "/v1/installs", tenant.token, { integration: "notes@^1", config: { region: "eu" }, bindings: { api: { url: fake.url } }, credentials: { apiKey: SECRET } })).body.id;
  const release = fake.hold("/notes/drain");
  const inFlight = rt.call("POST", `/v1/installs/${id}/rpc/lookup`, tenant.token, { input: { id: "drain" } });
  await eventually(async () => fake.requests.some((r) => r.url === "/notes/drain"));
  rt.child.kill("SIGTERM");
  await eventually(() => fetch(`${rt.url}/healthz`).then((r) => r.status !== 200, () => true));
  release();
  const res = await inFlight;
  expect(res).toEqual({ status: 200, body: { output: { id: "drain", title: "Title of drain" }, runId: expect.any(String) } });
  expect(await rt.exited).toBe(0);
}, 60_000);
