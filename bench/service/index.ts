/**
 * The runtime service under load, in one run on loopback sockets: rpc over HTTP across 100
 * installs at 64 connections (autocannon) next to a bare Fastify route returning the same JSON
 * and next to in-process execute(); install latency (pull, verify, unpack, validate, store);
 * one event fanned out to 1,000 subscribed installs; 1,000 installs on 1-second timers
 * (lateness and double fires read back from the runs table); and rpc beside an install whose
 * handler spins until its limit, call after call. Every phase is bounded in time.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import Fastify from "fastify";
import { sqliteTransport } from "@ihub/runtime/sqlite";
import { execute, liveHttpTransport, SandboxPool } from "@ihub/runtime";
import { createRegistryClient } from "@ihub/runtime/registry";
import { createRuntimeApp, createVault, sqliteServiceStore, vaultKeyId } from "@ihub/runtime/service";
import { buildTestRegistry, notesManifest } from "@ihub/runtime/test-support";
import { percentile, printTable } from "../lib/table.js";
import { variant } from "./bench-integrations.js";
import { runLoad, type LoadResult, type LoadSettings } from "./run-load.js";

const INSTALLS = { rpc: 100, event: Number(process.env.B_EVENT ?? 1000), timer: Number(process.env.B_TIMER ?? 1000) };
const RPC_SECONDS = 5;
const TIMER_WINDOW_MS = 5_000;
const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
const load = os.loadavg()[0]!;

/**
 * The load in its own process, with the CPU time this process (the server) spent meanwhile: on a
 * shared machine requests/s and latency move with the neighbours' load, CPU time per request much less.
 */
async function generateLoad(settings: LoadSettings): Promise<LoadResult & { cpuMsPerRequest: number }> {
  const cpu = process.cpuUsage();
  const result = await runLoad(settings);
  return { ...result, cpuMsPerRequest: cpuMs(cpu) / result.requests };
}

/** CPU time (user and system) of this process since `since`, in ms. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}
process.env.IHUB_QUIET = "1";

const work = await mkdtemp(path.join(os.tmpdir(), "ihub-bench-service-"));
const bare = Fastify();
let app: Awaited<ReturnType<typeof createRuntimeApp>> | undefined;
try {
  const { registry, publicKeyPem } = await buildTestRegistry(work, [
    variant("bench-rpc", "echo"),
    variant("bench-event", "on_created"),
    variant("bench-timer", "tick", (h) => (h.schedule = "1s")),
    notesManifest("1.0.0", (m) => {
      m.slug = "bench-hostile";
      m.handlers = { spin: m.handlers.spin! };
    }),
  ]);
  const db = path.join(work, "runtime.sqlite");
  const key = randomBytes(32);
  app = await createRuntimeApp({
    store: sqliteServiceStore(db),
    registry: createRegistryClient({ registry, cacheDir: path.join(work, "cache"), trustedKeys: [publicKeyPem] }),
    vault: createVault({ id: vaultKeyId(key), key }),
    adminToken: ADMIN,
    // The defaults would throttle a load test of one tenant: the rate limit and the tenant cap are raised.
    limits: { rpcRate: { requests: 1e9, windowMs: 60_000 }, tenantConcurrency: 10_000 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const call = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(url + p, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? null : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  const tenant = async (name: string) => (await call("POST", "/v1/tenants", ADMIN, { name })).token as string;
  const installSamples: number[] = [];
  const coldSamples: number[] = [];
  const installMany = async (token: string, slug: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      ids.push((await call("POST", "/v1/installs", token, { integration: `${slug}@^1`, config: { region: "eu" }, bindings: { api: { url: "http://127.0.0.1:9" } }, credentials: { apiKey: `bench-key-${i}-xxxxxxxx` } })).id);
      (i === 0 ? coldSamples : installSamples).push(performance.now() - t);
    }
    return ids;
  };

  // rpc over HTTP, then the bare route and execute() on the same machine state.
  const rpcToken = await tenant("rpc");
  const rpcIds = await installMany(rpcToken, "bench-rpc", INSTALLS.rpc);
  const body = JSON.stringify({ input: { n: 1 } });
  const runtimeRun = await generateLoad({
    url, connections: 64, seconds: RPC_SECONDS, body,
    headers: { authorization: `Bearer ${rpcToken}`, "content-type": "application/json" },
    paths: rpcIds.map((id) => `/v1/installs/${id}/rpc/echo`),
  });
  const sample = await call("POST", `/v1/installs/${rpcIds[0]}/rpc/echo`, rpcToken, { input: { n: 1 } });
  bare.post("/bare", async () => sample);
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const bareRun = await generateLoad({ url: `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`, connections: 64, seconds: RPC_SECONDS, body, headers: { "content-type": "application/json" }, paths: ["/bare"] });

  // The same load while one install of another tenant runs a handler that spins until its limit, call after call.
  const hostileToken = await tenant("hostile");
  const [hostileId] = await installMany(hostileToken, "bench-hostile", 1);
  let hostileCalls = 0;
  let hostile = true;
  const spinning = (async () => {
    while (hostile) {
      await fetch(`${url}/v1/installs/${hostileId}/rpc/spin`, { method: "POST", headers: { authorization: `Bearer ${hostileToken}`, "content-type": "application/json" }, body: "{}" });
      hostileCalls++;
    }
  })();
  const underHostile = await generateLoad({
    url, connections: 64, seconds: RPC_SECONDS, body,
    headers: { authorization: `Bearer ${rpcToken}`, "content-type": "application/json" },
    paths: rpcIds.map((id) => `/v1/installs/${id}/rpc/echo`),
  });
  hostile = false;
  await spinning;

  const integration = await app.runtime.bundles.load((await app.runtime.store.getInstall(await tenantIdOf(db, rpcIds[0]!), rpcIds[0]!))!);
  const pool = new SandboxPool();
  const http = liveHttpTransport({});
  const sql = sqliteTransport({});
  const store = app.runtime.store.installData.forInstall(rpcIds[0]!);
  const execSamples: number[] = [];
  const execCpu = process.cpuUsage();
  const execStart = performance.now();
  while (performance.now() - execStart < RPC_SECONDS * 1000) {
    const t = performance.now();
    const r = await execute({ integration, handler: "echo", input: { n: 1 }, config: { region: "eu", pageSize: 10 }, credentials: { apiKey: "bench-key-0-xxxxxxxx" }, installId: rpcIds[0]!, store, http, sql, invoke: (req) => pool.invoke(req) });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    execSamples.push(performance.now() - t);
  }
  const execPerSecond = execSamples.length / ((performance.now() - execStart) / 1000);
  const execCpuMs = cpuMs(execCpu) / execSamples.length;

  // One event to 1,000 subscribers.
  const eventToken = await tenant("events");
  await installMany(eventToken, "bench-event", INSTALLS.event);
  const reader = new Database(db, { readonly: true });
  // Only runs after the earlier phases' are scanned: a poll over the whole table would take the
  // event loop it shares with the runtime away from the deliveries it waits for.
  const before = reader.prepare<[], { seq: number }>("SELECT COALESCE(MAX(seq), 0) AS seq FROM runs").get()!.seq;
  const delivered = reader.prepare<[number, string], { n: number }>("SELECT COUNT(*) AS n FROM runs WHERE seq > ? AND trigger = 'event' AND trigger_ref = ? AND status = 'ok'");
  const fanCpu = process.cpuUsage();
  const fanStart = performance.now();
  const { eventId } = await call("POST", "/v1/events", eventToken, { topic: "note.created", payload: { id: "bench" } });
  while (delivered.get(before, eventId)!.n < INSTALLS.event) {
    if (performance.now() - fanStart > 60_000) throw new Error("fan-out did not finish within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const fanOutMs = performance.now() - fanStart;
  const fanCpuMs = cpuMs(fanCpu);

  // 1,000 installs on 1-second timers.
  const timerToken = await tenant("timers");
  await installMany(timerToken, "bench-timer", INSTALLS.timer);
  const windowStart = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  const timerCpu = process.cpuUsage();
  const timerCpuFrom = Date.now();
  await new Promise((resolve) => setTimeout(resolve, windowStart + TIMER_WINDOW_MS + 1000 - Date.now()));
  const timerCpuMs = cpuMs(timerCpu);
  const timerRuns = reader
    .prepare<[], { install_id: string; trigger_ref: string; started_at: number }>("SELECT install_id, trigger_ref, started_at FROM runs WHERE trigger = 'timer'")
    .all();
  const slots = new Map<string, number>();
  for (const r of timerRuns) slots.set(`${r.install_id} ${r.trigger_ref}`, (slots.get(`${r.install_id} ${r.trigger_ref}`) ?? 0) + 1);
  const doubles = [...slots.values()].filter((n) => n > 1).length;
  const inWindow = timerRuns.filter((r) => Date.parse(r.trigger_ref) >= windowStart && Date.parse(r.trigger_ref) < windowStart + TIMER_WINDOW_MS);
  const lateness = inWindow.map((r) => r.started_at - Date.parse(r.trigger_ref));
  const expected = INSTALLS.timer * (TIMER_WINDOW_MS / 1000);
  reader.close();

  const rps = runtimeRun.rps;
  const p99 = runtimeRun.p99;
  printTable(`service: ${INSTALLS.rpc} rpc installs at 64 connections for ${RPC_SECONDS} s; ${INSTALLS.event} event and ${INSTALLS.timer} timer installs (load average at start ${load.toFixed(2)})`, [
    { name: "rpc over HTTP req/s", value: rps, unit: "req/s", baseline: { name: "bare Fastify route", value: bareRun.rps }, target: { text: ">= 0.5x bare", met: rps >= 0.5 * bareRun.rps } },
    { name: "rpc over HTTP p50", value: runtimeRun.p50, unit: "ms", baseline: { name: "bare route p50", value: bareRun.p50 } },
    { name: "rpc over HTTP p99", value: p99, unit: "ms", baseline: { name: "bare route p99", value: bareRun.p99 }, target: { text: "<= 5 ms", met: p99 <= 5 } },
    { name: "rpc over HTTP errors", value: runtimeRun.failures, unit: "" },
    { name: "server CPU per rpc request", value: runtimeRun.cpuMsPerRequest, unit: "ms", baseline: { name: "bare route", value: bareRun.cpuMsPerRequest } },
    { name: "server CPU per rpc request", value: runtimeRun.cpuMsPerRequest, unit: "ms", baseline: { name: "in-process execute()", value: execCpuMs } },
    { name: `rpc p99 beside a spinning install (${hostileCalls} spins)`, value: underHostile.p99, unit: "ms", baseline: { name: "alone", value: p99 } },
    { name: "rpc req/s beside a spinning install", value: underHostile.rps, unit: "req/s", baseline: { name: "alone", value: rps } },
    { name: "rpc over HTTP req/s", value: rps, unit: "req/s", baseline: { name: "in-process execute(), one at a time", value: execPerSecond } },
    { name: "install p50 (bundle cached)", value: percentile(installSamples, 50), unit: "ms" },
    { name: "first install (cold pull, verify, unpack)", value: percentile(coldSamples, 50), unit: "ms" },
    { name: `fan-out to ${INSTALLS.event} installs`, value: fanOutMs / 1000, unit: "s", target: { text: "<= 2 s", met: fanOutMs <= 2000 } },
    { name: "CPU per fan-out delivery", value: fanCpuMs / INSTALLS.event, unit: "ms" },
    { name: "timer lateness p50", value: percentile(lateness, 50), unit: "ms" },
    { name: "timer lateness p99", value: percentile(lateness, 99), unit: "ms", target: { text: "<= 50 ms", met: percentile(lateness, 99) <= 50 } },
    { name: "timer runs in window", value: inWindow.length, unit: `of ${expected}` },
    { name: "CPU per timer run", value: timerCpuMs / Math.max(1, timerRuns.filter((r) => r.started_at >= timerCpuFrom).length), unit: "ms" },
    { name: "timer double fires", value: doubles, unit: "", target: { text: "0", met: doubles === 0 } },
    { name: "resident memory at the end", value: process.memoryUsage().rss / 1024 / 1024, unit: "MiB" },
  ]);
} finally {
  await app?.close();
  await bare.close();
  await rm(work, { recursive: true, force: true });
}

/** The tenant of an install, read from the database: the bench holds only tokens. */
async function tenantIdOf(db: string, installId: string): Promise<string> {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare<[string], { tenant_id: string }>("SELECT tenant_id FROM installs WHERE id = ?").get(installId))!.tenant_id;
  } finally {
    conn.close();
  }
}
