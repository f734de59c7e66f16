/**
 * Fleet mode under load, real `ihub runtime start` processes on a throwaway PostgreSQL cluster, in
 * one run: rpc throughput of two runtimes on one PostgreSQL against one runtime on SQLite (the
 * baseline; each runtime gets the same autocannon load, RPC_CONNECTIONS connections); 1,000
 * installs on 1-second timers across three runtimes on one PostgreSQL against the same on one
 * runtime on SQLite (double fires and lateness read back from the runs table); and failover
 * after `kill -9` of a runtime holding a timer run and an event delivery (time until the
 * survivor fires the timer again and redelivers the event).
 * CPU time of every runtime and PostgreSQL process is read from /proc, so the table says where a
 * request's cost goes. The load generator and integrations are bench/service's.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { buildTestRegistry, eventually, notesManifest, runtimeProcesses, startFakeApi, startThrowawayPostgres, type RuntimeProcess } from "@ihub/runtime/test-support";
import { percentile, printTable, type BenchRow } from "../lib/table.js";
import { variant } from "../service/bench-integrations.js";
import { cpuMsOf, parentOf, withChildren } from "../service/process-cpu.js";
import { runLoad, type LoadResult } from "../service/run-load.js";

const RPC_INSTALLS = 200;
const RPC_CONNECTIONS = 16; // the default per-tenant cap of runs in flight in one runtime
const RPC_SECONDS = 5;
/** Timer installs spread over tenants, so the per-tenant cap of runs in flight is not what is measured. */
const TIMER = { installs: Number(process.env.B_TIMER ?? 1000), tenants: 20, windowMs: 5_000 };
const FAILOVER_ROUNDS = 3;
/**
 * The documented bounds: the survivor's recovery sweep (every 5 s) sees the dead lease and ends its
 * runs as interrupted; the timer's next slot (1 s) then runs, and the event after pg-boss's first
 * retry backoff (1 to 2 s).
 */
const FAILOVER_BOUND = {
  timer: { ms: 6_000, text: "<= 6 s (5 s sweep + 1 s slot)" },
  event: { ms: 7_500, text: "<= 7.5 s (5 s sweep + 2 s backoff)" },
};
const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
const load = os.loadavg()[0]!;

const work = await mkdtemp(path.join(os.tmpdir(), "ihub-bench-fleet-"));
const [cluster, api, built] = await Promise.all([
  startThrowawayPostgres(),
  startFakeApi(),
  buildTestRegistry(work, [variant("bench-rpc", "echo"), variant("bench-timer", "tick", (h) => (h.schedule = "1s")), notesManifest("1.0.0", (m) => (m.handlers.tick!.schedule = "1s"))]),
]);
const trustedKeyFile = path.join(work, "trusted.pem");
await writeFile(trustedKeyFile, built.publicKeyPem);
const processes = runtimeProcesses({ root: work, registry: built.registry, trustedKeyFile, adminToken: ADMIN, vaultKeyHex: randomBytes(32).toString("hex") });

const ok = async (rt: RuntimeProcess, method: string, p: string, token: string, body?: unknown) => {
  const res = await rt.call(method, p, token, body);
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const tenant = async (rt: RuntimeProcess, name: string) => (await ok(rt, "POST", "/v1/tenants", ADMIN, { name })).token as string;
const installBody = (integration: string) => ({ integration, config: { region: "eu" }, bindings: { api: { url: api.url } }, credentials: { apiKey: "bench-key-xxxxxxxx" } });
/** Installs `n` of an integration, eight at a time, each through the next runtime in turn. */
async function installMany(runtimes: RuntimeProcess[], token: string, integration: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const i = next++;
        ids[i] = (await ok(runtimes[i % runtimes.length]!, "POST", "/v1/installs", token, installBody(integration))).id;
      }
    }),
  );
  return ids;
}
const stop = async (runtimes: RuntimeProcess[]) => {
  for (const rt of runtimes) rt.child.kill("SIGTERM");
  await Promise.all(runtimes.map((rt) => rt.exited));
};
/** The postmaster and its backends: the CPU the database spends for the runtimes. */
async function postgresPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return withChildren(parentOf((await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid));
  } finally {
    await client.end();
  }
}

/**
 * Transactions committed in a database so far (each statement outside a transaction is one): the
 * round trips a request costs. Backends report their counts when they exit, so read after the
 * runtimes stopped.
 */
async function transactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()")).rows[0]!.n);
  } finally {
    await client.end();
  }
}

type RpcRun = { rps: number; p99: number; failures: number; requests: number; runtimeCpuMs: number; postgresCpuMs: number; transactionsBefore: number };
/** The same load against each runtime at once; requests/s add up, CPU is per request served. */
async function rpcLoad(runtimes: RuntimeProcess[], postgresUrl?: string): Promise<RpcRun> {
  const token = await tenant(runtimes[0]!, "rpc");
  const ids = await installMany(runtimes, token, "bench-rpc@^1", RPC_INSTALLS);
  const paths = ids.map((id) => `/v1/installs/${id}/rpc/echo`);
  const pids = runtimes.map((rt) => rt.child.pid!);
  const dbPids = postgresUrl ? await postgresPids(postgresUrl) : [];
  const transactionsBefore = postgresUrl ? await transactions(postgresUrl) : 0;
  const [cpu0, db0] = [cpuMsOf(pids), cpuMsOf(dbPids)];
  const results: LoadResult[] = await Promise.all(
    runtimes.map((rt) => runLoad({ url: rt.url, paths, connections: RPC_CONNECTIONS, seconds: RPC_SECONDS, body: JSON.stringify({ input: { n: 1 } }), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } })),
  );
  const requests = results.reduce((n, r) => n + r.requests, 0);
  return {
    rps: results.reduce((n, r) => n + r.rps, 0),
    p99: Math.max(...results.map((r) => r.p99)),
    failures: results.reduce((n, r) => n + r.failures, 0),
    requests,
    runtimeCpuMs: (cpuMsOf(pids) - cpu0) / requests,
    postgresCpuMs: (cpuMsOf(dbPids) - db0) / requests,
    transactionsBefore,
  };
}

type TimerRun = { install_id: string; trigger_ref: string; started_at: string | number };
/** Every timer run in the database: the runs table of PostgreSQL, or of the SQLite file. */
async function timerRuns(db: string): Promise<TimerRun[]> {
  const sql = "SELECT install_id, trigger_ref, started_at FROM runs WHERE trigger = 'timer'";
  if (!db.startsWith("postgres")) {
    const reader = new Database(db, { readonly: true });
    try {
      return reader.prepare<[], TimerRun>(sql).all();
    } finally {
      reader.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return (await client.query<TimerRun>(sql)).rows;
  } finally {
    await client.end();
  }
}

type TimerResult = { lateness: number[]; inWindow: number; doubles: number; runtimeCpuMs: number; postgresCpuMs: number; transactionsPerRun: number };
/**
 * 1,000 installs on 1-second timers across `count` runtimes on one database; every slot in a
 * 5-second window is read back from the runs table.
 */
async function timers(db: string, count: number): Promise<TimerResult> {
  const runtimes = await Promise.all(Array.from({ length: count }, () => processes.start(db)));
  try {
    for (let t = 0; t < TIMER.tenants; t++) {
      const token = await tenant(runtimes[t % runtimes.length]!, `timers-${t}`);
      await installMany(runtimes, token, "bench-timer@^1", TIMER.installs / TIMER.tenants);
    }
    const pids = runtimes.map((rt) => rt.child.pid!);
    const postgres = db.startsWith("postgres");
    const dbPids = postgres ? await postgresPids(db) : [];
    const windowStart = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    await new Promise((resolve) => setTimeout(resolve, windowStart - Date.now()));
    const transactionsBefore = postgres ? await transactions(db) : 0;
    const [cpu0, db0] = [cpuMsOf(pids), cpuMsOf(dbPids)];
    await new Promise((resolve) => setTimeout(resolve, TIMER.windowMs));
    const [cpu1, db1] = [cpuMsOf(pids), cpuMsOf(dbPids)];
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the window's last slot finishes
    await stop(runtimes);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the exited backends' counts land
    const runs = await timerRuns(db);
    const slots = new Map<string, number>();
    for (const r of runs) slots.set(`${r.install_id} ${r.trigger_ref}`, (slots.get(`${r.install_id} ${r.trigger_ref}`) ?? 0) + 1);
    const inWindow = runs.filter((r) => Date.parse(r.trigger_ref) >= windowStart && Date.parse(r.trigger_ref) < windowStart + TIMER.windowMs);
    return {
      lateness: inWindow.map((r) => Number(r.started_at) - Date.parse(r.trigger_ref)),
      inWindow: inWindow.length,
      doubles: [...slots.values()].filter((n) => n > 1).length,
      runtimeCpuMs: (cpu1 - cpu0) / inWindow.length,
      postgresCpuMs: (db1 - db0) / inWindow.length,
      // Everything committed from the window's start until the runtimes stopped (queue polls
      // included), over the runs they started meanwhile.
      transactionsPerRun: postgres ? ((await transactions(db)) - transactionsBefore) / runs.filter((r) => Number(r.started_at) >= windowStart).length : 0,
    };
  } finally {
    await stop(runtimes);
  }
}

type Failover = { timerMs: number; eventMs: number };
/**
 * One runtime runs a timer slot and an event delivery that both hang on the API; a second joins
 * and the first is killed with -9. Measured from the kill: the survivor's first timer run of the
 * install, and its redelivery of the event (after the recovery sweep sees the dead lease).
 */
async function failover(url: string, round: number): Promise<Failover> {
  const a = await processes.start(url);
  const token = await tenant(a, "failover");
  const releaseTick = api.hold("/tick");
  const releaseSlow = api.hold(`/slow/fo-${round}`);
  const ticksBefore = api.requests.filter((r) => r.url === "/tick").length;
  const [id] = await installMany([a], token, "notes@^1", 1);
  const { eventId } = await ok(a, "POST", "/v1/events", token, { topic: "note.created", payload: { id: `fo-${round}`, slow: true } });
  await eventually(async () => api.requests.filter((r) => r.url === "/tick").length > ticksBefore && api.requests.some((r) => r.url === `/slow/fo-${round}`));
  const b = await processes.start(url);
  try {
    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    await a.exited;
    releaseTick();
    releaseSlow();
    type Run = { trigger: string; triggerRef: string; status: string; startedAt: string };
    let runs: Run[] = [];
    await eventually(async () => {
      runs = (await ok(b, "GET", `/v1/installs/${id}/runs?limit=200`, token)).items;
      return runs.some((r) => r.trigger === "timer" && r.status === "ok" && Date.parse(r.startedAt) >= killedAt) && runs.some((r) => r.trigger === "event" && r.triggerRef === eventId && r.status === "ok");
    });
    const first = (trigger: string) => Math.min(...runs.filter((r) => r.trigger === trigger && r.status === "ok" && Date.parse(r.startedAt) >= killedAt).map((r) => Date.parse(r.startedAt)));
    return { timerMs: first("timer") - killedAt, eventMs: first("event") - killedAt };
  } finally {
    await stop([b]);
  }
}

try {
  const sqlite = [await processes.start(path.join(work, "runtime.sqlite"))];
  const baseline = await rpcLoad(sqlite);
  await stop(sqlite);
  const rpcUrl = await cluster.createDatabase("rpc");
  const fleet = await Promise.all([processes.start(rpcUrl), processes.start(rpcUrl)]);
  const pair = await rpcLoad(fleet, rpcUrl);
  await stop(fleet);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the exited backends' counts land
  const perRpc = ((await transactions(rpcUrl)) - pair.transactionsBefore) / pair.requests;

  const timerBaseline = await timers(path.join(work, "timers.sqlite"), 1);
  const timer = await timers(await cluster.createDatabase("timers"), 3);
  const rounds: Failover[] = [];
  for (let i = 0; i < FAILOVER_ROUNDS; i++) rounds.push(await failover(await cluster.createDatabase(`failover_${i}`), i));

  const p99 = percentile(timer.lateness, 99);
  const worst = (key: keyof Failover) => Math.max(...rounds.map((r) => r[key]));
  const rows: BenchRow[] = [
    { name: "rpc req/s, 2 runtimes on PostgreSQL", value: pair.rps, unit: "req/s", baseline: { name: "1 runtime on SQLite", value: baseline.rps }, target: { text: ">= 1.7x", met: pair.rps >= 1.7 * baseline.rps } },
    { name: "rpc p99 (slower runtime)", value: pair.p99, unit: "ms", baseline: { name: "SQLite", value: baseline.p99 } },
    { name: "rpc errors (PostgreSQL, SQLite)", value: pair.failures + baseline.failures, unit: `(${pair.failures}, ${baseline.failures})`, target: { text: "0", met: pair.failures + baseline.failures === 0 } },
    { name: "runtime CPU per rpc (PostgreSQL)", value: pair.runtimeCpuMs, unit: "ms", baseline: { name: "runtime on SQLite", value: baseline.runtimeCpuMs } },
    { name: "PostgreSQL CPU per rpc", value: pair.postgresCpuMs, unit: "ms", baseline: { name: "runtime on SQLite", value: baseline.runtimeCpuMs } },
    { name: "PostgreSQL transactions per rpc", value: perRpc, unit: "" },
    { name: "runtime + PostgreSQL CPU per rpc", value: pair.runtimeCpuMs + pair.postgresCpuMs, unit: "ms", baseline: { name: "runtime on SQLite", value: baseline.runtimeCpuMs } },
    { name: "timer slots run in window, 3 on PostgreSQL", value: timer.inWindow, unit: "runs", baseline: { name: `1 on SQLite (of ${TIMER.installs * (TIMER.windowMs / 1000)})`, value: timerBaseline.inWindow } },
    { name: "timer double fires, 3 on PostgreSQL", value: timer.doubles, unit: `(SQLite ${timerBaseline.doubles})`, target: { text: "0", met: timer.doubles === 0 } },
    { name: "timer lateness p50", value: percentile(timer.lateness, 50), unit: "ms", baseline: { name: "1 on SQLite", value: percentile(timerBaseline.lateness, 50) } },
    { name: "timer lateness p99", value: p99, unit: "ms", baseline: { name: "1 on SQLite", value: percentile(timerBaseline.lateness, 99) }, target: { text: "<= 100 ms", met: p99 <= 100 } },
    { name: "runtime CPU per timer run", value: timer.runtimeCpuMs, unit: "ms", baseline: { name: "1 on SQLite", value: timerBaseline.runtimeCpuMs } },
    { name: "PostgreSQL CPU per timer run", value: timer.postgresCpuMs, unit: "ms" },
    { name: "PostgreSQL transactions per timer run", value: timer.transactionsPerRun, unit: "" },
    { name: `failover: survivor fires the timer (worst of ${FAILOVER_ROUNDS})`, value: worst("timerMs") / 1000, unit: "s", target: { text: FAILOVER_BOUND.timer.text, met: worst("timerMs") <= FAILOVER_BOUND.timer.ms } },
    { name: `failover: event redelivered (worst of ${FAILOVER_ROUNDS})`, value: worst("eventMs") / 1000, unit: "s", target: { text: FAILOVER_BOUND.event.text, met: worst("eventMs") <= FAILOVER_BOUND.event.ms } },
  ];
  printTable(`fleet: ${RPC_INSTALLS} rpc installs, ${RPC_CONNECTIONS} connections per runtime for ${RPC_SECONDS} s; ${TIMER.installs} timer installs on 3 runtimes; ${os.cpus().length} cores (load average at start ${load.toFixed(2)})`, rows);
} finally {
  processes.killAll();
  await api.close();
  await cluster.stop();
  await rm(work, { recursive: true, force: true });
}
