/**
 * Limits through execute(): configurable per handler (timeoutMs in the manifest) and per install
 * (the caller's overrides), each breach a typed error naming the limit, and neither later
 * invocations of the same install nor other installs affected. Real fengari, a real pooled
 * state, a real HTTP server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHttpTransport } from "../device/live-http-transport.js";
import { sqliteTransport } from "../device/sqlite-transport.js";
import { SandboxPool } from "../sandbox/pool.js";
import { DEFAULT_LIMITS } from "../sandbox/limits.js";
import type { SandboxLimits } from "../sandbox/index.js";
import { memoryStorage } from "../storage/memory-storage.js";
import { errorCode, execute, type ExecutionResult } from "./execute.js";
import { resolveLimits } from "./invocation-limits.js";
import type { LoadedIntegration } from "./load-integration.js";
import { extend, loadKitSink, startTestApi } from "../../test-support/test-integration.js";

let api: Awaited<ReturnType<typeof startTestApi>>;
let integration: LoadedIntegration;
const sql = sqliteTransport({});

beforeAll(async () => {
  api = await startTestApi();
  integration = extend(await loadKitSink(), {
    spin: { body: `local n = 0 for i = 1, input.n do n = n + i end return { n = n }` },
    grow: { body: `return { size = #string.rep("x", input.bytes) }` },
    calls: { body: `for i = 1, input.n do ctx.device.http("api", { path = "/c" .. i }) end return { done = input.n }` },
    big_output: { body: `return { text = string.rep("y", input.bytes) }` },
    chatty: { body: `for i = 1, input.n do ctx.log.info("line " .. i) end return { lines = input.n }` },
    wait: { body: `local r = ctx.device.http("api", { path = input.path }) return { status = r.status }`, timeoutMs: 300 },
    busy: { body: `while true do end`, timeoutMs: 200 },
    echo: { body: `return { region = ctx.config.team, install = ctx.install.id }` },
  });
});
afterAll(async () => {
  sql.close();
  await api.close();
});

const pool = new SandboxPool();
const storage = memoryStorage();
const http = () => liveHttpTransport({ api: { baseUrl: api.url } });

function run(handler: string, input: unknown, installId: string, limits?: Partial<SandboxLimits>): Promise<ExecutionResult> {
  return execute({
    integration,
    handler,
    input,
    installId,
    config: { team: installId },
    credentials: { token: "tok:Lovelace@limits~1843" },
    store: storage.forInstall(installId),
    http: http(),
    sql,
    invoke: (req) => pool.invoke(req),
    ...(limits ? { limits } : {}),
  });
}

describe("resolveLimits", () => {
  const handler = { type: "rpc", file: "handlers/x.lua", function: "x", displayName: "X", description: "x" } as const;

  it("starts from the sandbox defaults", () => {
    expect(resolveLimits(handler)).toEqual(DEFAULT_LIMITS);
  });

  it("takes the handler's timeoutMs, and the install's overrides over both", () => {
    expect(resolveLimits({ ...handler, timeoutMs: 250 })).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 250 });
    expect(resolveLimits({ ...handler, timeoutMs: 250 }, { timeoutMs: 900, instructions: 10 })).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 900, instructions: 10 });
  });
});

describe("each limit, configured per install, ends only the invocation that breached it", () => {
  const cases: [keyof SandboxLimits, Partial<SandboxLimits>, string, unknown, RegExp][] = [
    ["instructions", { instructions: 100_000 }, "spin", { n: 200_000 }, /instruction budget of 100000 exceeded/],
    ["memoryBytes", { memoryBytes: 1_000_000 }, "grow", { bytes: 2_000_000 }, /memory budget of 1000000 bytes exceeded/],
    ["deviceCalls", { deviceCalls: 2 }, "calls", { n: 3 }, /device call limit of 2 exceeded/],
    ["outputBytes", { outputBytes: 1_000 }, "big_output", { bytes: 2_000 }, /output of more than 1000 bytes/],
    ["logBytes", { logBytes: 100 }, "chatty", { n: 50 }, /log volume of 100 bytes exceeded/],
  ];

  it.each(cases)("%s", async (limit, overrides, handler, input, message) => {
    const tight = `tight-${limit}`;
    const breached = await run(handler, input, tight, overrides);
    expect(breached).toMatchObject({ ok: false, error: { kind: "limit", limit, message: expect.stringMatching(message) } });
    expect(errorCode((breached as { error: Parameters<typeof errorCode>[0] }).error)).toBe(`LIMIT_${limit}`);

    // Another install running the same handler and input with default limits is unaffected.
    expect(await run(handler, input, `roomy-${limit}`)).toMatchObject({ ok: true });
    // The breaching install's next invocation gets a fresh state and answers.
    expect(await run("echo", {}, tight, overrides)).toMatchObject({ ok: true, output: { region: tight, install: tight } });
  });
});

describe("the wall clock, configured per handler", () => {
  it("counts time spent waiting on a device call and names the handler's timeoutMs", async () => {
    const r = await run("wait", { path: "/hang" }, "clock-io");
    expect(r).toMatchObject({ ok: false, error: { kind: "limit", limit: "timeoutMs", message: "timeout of 300 ms exceeded" } });
    expect(r.requests).toMatchObject([{ kind: "http", alias: "api", path: "/hang" }]);
    // The next invocation of the install (a handler with the default wall clock: this machine may be loaded) answers.
    expect(await run("raw_http", { path: "/fine" }, "clock-io")).toMatchObject({ ok: true, output: { status: 200 } });
  });

  it("stops a busy loop at the handler's timeoutMs when the instruction budget is far away", async () => {
    const r = await run("busy", {}, "clock-cpu", { instructions: 1e12 });
    expect(r).toMatchObject({ ok: false, error: { kind: "limit", limit: "timeoutMs", message: "timeout of 200 ms exceeded" } });
    expect(await run("echo", {}, "clock-cpu")).toMatchObject({ ok: true });
  });

  it("an install override of timeoutMs wins over the handler's", async () => {
    const r = await run("busy", {}, "clock-override", { instructions: 1e12, timeoutMs: 100 });
    expect(r).toMatchObject({ ok: false, error: { kind: "limit", limit: "timeoutMs", message: "timeout of 100 ms exceeded" } });
  });

  it("installs waiting at the same time do not hold each other up", async () => {
    const [slow, fast] = await Promise.all([run("wait", { path: "/hang" }, "clock-a"), run("echo", {}, "clock-b")]);
    expect(slow).toMatchObject({ ok: false, error: { limit: "timeoutMs" } });
    expect(fast).toMatchObject({ ok: true, output: { install: "clock-b" } });
  });
});
