/**
 * Execution core benchmark: a trivial rpc, a JSON-heavy rpc (decode ~100 KB, transform,
 * encode) and an rpc making one ctx.device.http call to a loopback server the bench starts,
 * each cold (a new sandbox per call) and warm (a pooled sandbox), through execute() with
 * schema checks, host and redaction. Baselines from the same run: the same Lua under native
 * lua5.4, and a raw Node fetch and a raw node:http request (keep-alive agent, as the live
 * transport uses) to the same server, interleaved call by call with the rpc so all see the
 * same machine. Every loop is bounded; the run stops by itself.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DEFAULT_LIMITS, execute, invoke, liveHttpTransport, memoryStorage, type SandboxHost, SandboxPool } from "@ihub/runtime";
import { sqliteTransport } from "@ihub/runtime/sqlite";
import { printTable, type BenchRow } from "../lib/table.js";
import { benchDocument, benchIntegration } from "./bench-integration.js";
import { startLoopbackServer } from "./loopback-server.js";
import { luaAvailable, runLuaBaseline } from "./lua-baseline.js";
import { rawFetch, rawNodeHttp } from "./raw-http.js";
import { measure, measureTogether, type Timing } from "./measure.js";

const N = { coldSandbox: 1_000, coldTrivial: 1_000, warmTrivial: 30_000, coldJson: 40, warmJson: 150, coldHttp: 500, warmHttp: 3_000 };
const load = os.loadavg()[0]!;

const work = await mkdtemp(path.join(os.tmpdir(), "ihub-bench-runtime-"));
const server = await startLoopbackServer();
const sql = sqliteTransport({});
const nodeHttp = rawNodeHttp(`${server.url}/ping`);
try {
  const integration = benchIntegration();
  const doc = benchDocument(100 * 1024);
  const docFile = path.join(work, "doc.json");
  await writeFile(docFile, doc);
  const storage = memoryStorage();
  const http = liveHttpTransport({ api: { baseUrl: server.url } });
  const pool = new SandboxPool();

  const rpc = (handler: string, input: unknown, pooled: boolean) => async () => {
    const r = await execute({ integration, handler, input, installId: "bench", store: storage.forInstall("bench"), http, sql, ...(pooled ? { invoke: (req) => pool.invoke(req) } : {}) });
    if (!r.ok) throw new Error(`${handler} failed: ${JSON.stringify(r.error)}`);
  };
  const noHost: SandboxHost = { call: () => Promise.reject(new Error("the trivial handler makes no ctx calls")) };
  const sandboxOnly = async () => {
    const r = await invoke({
      sources: integration.sources,
      file: "handlers/bench.lua",
      fn: "trivial",
      input: { n: 41 },
      ctx: { config: {}, install: { id: "bench", slug: "bench", version: "1.0.0" }, run: { id: "run", handler: "trivial" } },
      limits: DEFAULT_LIMITS,
      host: noHost,
    });
    if (!r.ok) throw new Error(`sandbox failed: ${JSON.stringify(r.error)}`);
  };
  const fetchOnce = rawFetch(`${server.url}/ping`);

  const trivial = { n: 41 };
  const json = { doc };
  const coldSandbox = await measure(N.coldSandbox, 50, sandboxOnly);
  const coldTrivial = await measure(N.coldTrivial, 50, rpc("trivial", trivial, false));
  const warmTrivial = await measure(N.warmTrivial, 2_000, rpc("trivial", trivial, true));
  const coldJson = await measure(N.coldJson, 5, rpc("json_heavy", json, false));
  const warmJson = await measure(N.warmJson, 10, rpc("json_heavy", json, true));
  const coldHttp = await measureTogether(N.coldHttp, 50, { rpc: rpc("one_http", {}, false), fetch: fetchOnce, nodeHttp: nodeHttp.call });
  const warmHttp = await measureTogether(N.warmHttp, 200, { rpc: rpc("one_http", {}, true), fetch: fetchOnce, nodeHttp: nodeHttp.call });

  const lua = luaAvailable()
    ? {
        trivialLoad: runLuaBaseline("trivial", N.coldTrivial, 1, "load"),
        trivial: runLuaBaseline("trivial", 300, 1_000, "warm"),
        jsonLoad: runLuaBaseline("json_heavy", N.coldJson, 1, "load", docFile),
        json: runLuaBaseline("json_heavy", N.warmJson, 1, "warm", docFile),
      }
    : undefined;

  type Pick = (t: Timing) => number;
  const p50: Pick = (t) => t.p50;
  const p99: Pick = (t) => t.p99;
  const us = (pick: Pick): Pick => (t) => pick(t) * 1000;
  const cpuRate: Pick = (t) => t.perCpuSecond;
  const wallRate: Pick = (t) => t.perSecond;
  const row = (name: string, t: Timing, pick: Pick, unit: string, base?: [string, Timing | undefined], target?: [string, (v: number, b?: number) => boolean]): BenchRow => {
    const value = pick(t);
    const baseline = base?.[1] ? { name: base[0], value: pick(base[1]) } : undefined;
    return { name, value, unit, ...(baseline ? { baseline } : {}), ...(target ? { target: { text: target[0], met: target[1](value, baseline?.value) } } : {}) };
  };
  const luaLoad = "lua5.4 load+call";
  const rows: BenchRow[] = [
    row("new sandbox + handler load + call p50", coldSandbox, p50, "ms", [luaLoad, lua?.trivialLoad], ["<= 2 ms", (v) => v <= 2]),
    row("new sandbox + handler load + call p99", coldSandbox, p99, "ms", [luaLoad, lua?.trivialLoad]),
    row("trivial rpc cold p50", coldTrivial, p50, "ms", [luaLoad, lua?.trivialLoad]),
    row("trivial rpc cold p99", coldTrivial, p99, "ms", [luaLoad, lua?.trivialLoad]),
    row("trivial rpc warm p50", warmTrivial, us(p50), "µs", ["lua5.4", lua?.trivial]),
    row("trivial rpc warm p99", warmTrivial, us(p99), "µs", ["lua5.4", lua?.trivial]),
    row("trivial rpc warm, per CPU second", warmTrivial, cpuRate, "calls/s", ["lua5.4", lua?.trivial], [">= 20000/s", (v) => v >= 20_000]),
    row("trivial rpc warm, per wall second", warmTrivial, wallRate, "calls/s", ["lua5.4", lua?.trivial]),
    row("json 100 KB rpc cold p50", coldJson, p50, "ms", [luaLoad, lua?.jsonLoad]),
    row("json 100 KB rpc cold p99", coldJson, p99, "ms", [luaLoad, lua?.jsonLoad]),
    row("json 100 KB rpc warm p50", warmJson, p50, "ms", ["lua5.4", lua?.json]),
    row("json 100 KB rpc warm p99", warmJson, p99, "ms", ["lua5.4", lua?.json]),
    row("json 100 KB rpc warm, per CPU second", warmJson, cpuRate, "calls/s", ["lua5.4", lua?.json]),
    row("one-http rpc cold p50", coldHttp.rpc, p50, "ms", ["raw fetch", coldHttp.fetch]),
    row("one-http rpc cold p99", coldHttp.rpc, p99, "ms", ["raw fetch", coldHttp.fetch]),
    row("one-http rpc warm p50", warmHttp.rpc, p50, "ms", ["raw fetch", warmHttp.fetch], ["<= 1.5x fetch", (v, b) => b !== undefined && v <= 1.5 * b]),
    row("one-http rpc warm p99", warmHttp.rpc, p99, "ms", ["raw fetch", warmHttp.fetch]),
    row("one-http rpc warm p50, like for like", warmHttp.rpc, p50, "ms", ["raw node:http", warmHttp.nodeHttp]),
    row("one-http rpc warm p99, like for like", warmHttp.rpc, p99, "ms", ["raw node:http", warmHttp.nodeHttp]),
    row("one-http rpc warm, per wall second", warmHttp.rpc, wallRate, "calls/s", ["raw fetch", warmHttp.fetch]),
    row("one-http rpc warm, per CPU second", warmHttp.rpc, cpuRate, "calls/s", ["raw node:http", warmHttp.nodeHttp]),
  ];
  if (!lua) rows.push({ name: "lua5.4 baselines skipped: lua5.4 is not installed (Debian: apt-get install lua5.4)", value: 0, unit: "" });
  printTable(
    `runtime: execute() over fengari, one call at a time; ${doc.length} B JSON document; lua5.4's JSON is pure Lua (bench/runtime/json.lua); load average ${load.toFixed(1)} on ${os.cpus().length} cores at the start`,
    rows,
  );
} finally {
  nodeHttp.close();
  sql.close();
  await server.close();
  await rm(work, { recursive: true, force: true });
}
