/** Warm states: one per install and version, isolated from each other, replaced after a breach. */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, SandboxPool, type InvokeResult } from "./index.js";
import { recordingHost, testCtx } from "../../test-support/test-host.js";

// Module-level state lives as long as the warm state: `calls` counts invocations per state.
const counter: { sources: Record<string, string>; file: string; fn: string } = {
  sources: { "handlers/c.lua": `local M = {}\nlocal calls = 0\nfunction M.h(ctx, input)\n  calls = calls + 1\n  if input.spin then while true do end end\n  return calls\nend\nreturn M\n` },
  file: "handlers/c.lua",
  fn: "h",
};

function call(pool: SandboxPool, installId: string, input: unknown = {}, version = "1.0.0", bundle: typeof counter = counter): Promise<InvokeResult> {
  const ctx = testCtx(installId);
  return pool.invoke({ ...bundle, ctx: { ...ctx, install: { ...ctx.install, version } }, input, limits: { ...DEFAULT_LIMITS, instructions: 100_000 }, host: recordingHost() });
}

const out = async (r: Promise<InvokeResult>) => {
  const result = await r;
  return result.ok ? result.output : result.error;
};

describe("SandboxPool", () => {
  it("keeps one warm state per install, sharing nothing between installs", async () => {
    const pool = new SandboxPool();
    expect([await out(call(pool, "a")), await out(call(pool, "a")), await out(call(pool, "b")), await out(call(pool, "a"))]).toEqual([1, 2, 1, 3]);
    expect(pool.size).toBe(2);
  });

  it("replaces a state retired by a limit breach", async () => {
    const pool = new SandboxPool();
    await call(pool, "a");
    expect(await out(call(pool, "a", { spin: true }))).toMatchObject({ kind: "limit", limit: "instructions" });
    expect(await out(call(pool, "a"))).toBe(1);
  });

  it("gives a new version its own state", async () => {
    const pool = new SandboxPool();
    await call(pool, "a");
    expect(await out(call(pool, "a", {}, "1.1.0"))).toBe(1);
  });

  it("gives a changed bundle under the same version a new state, and the same text the warm one", async () => {
    const pool = new SandboxPool();
    const file = counter.sources[counter.file]!;
    await call(pool, "a");
    // New objects with the same text, as a reload of the same bundle produces them.
    expect(await out(call(pool, "a", {}, "1.0.0", { ...counter, sources: { [counter.file]: file } }))).toBe(2);
    const edited = { ...counter, sources: { [counter.file]: file.replace("calls = calls + 1", "calls = calls + 100") } };
    expect(await out(call(pool, "a", {}, "1.0.0", edited))).toBe(100);
    expect(pool.size).toBe(1);
  });

  it("drops the least recently used state beyond maxStates, and evict drops one on request", async () => {
    const pool = new SandboxPool({ maxStates: 2 });
    await call(pool, "a");
    await call(pool, "b");
    await call(pool, "a");
    await call(pool, "c");
    expect(pool.size).toBe(2);
    expect(await out(call(pool, "a"))).toBe(3);
    expect(await out(call(pool, "b"))).toBe(1);
    pool.evict("b", "1.0.0");
    expect(await out(call(pool, "b"))).toBe(1);
  });

  // A handler that keeps what it builds in a global: `n` strings of 100 bytes each.
  const hoarder = {
    sources: { "handlers/k.lua": "local M = {}\nfunction M.h(ctx, input)\n  KEPT = KEPT or {}\n  for i = 1, input.n do KEPT[#KEPT + 1] = ('x'):rep(100) .. i end\n  return #KEPT\nend\nreturn M\n" },
    file: "handlers/k.lua",
    fn: "h",
  };
  const hoard = (pool: SandboxPool, installId: string, n: number) => out(call(pool, installId, { n }, "1.0.0", hoarder));

  it("drops a state that retained more than stateBytes: the next run gets a fresh one, its globals gone", async () => {
    const pool = new SandboxPool({ stateBytes: 256 * 1024 });
    expect(await hoard(pool, "a", 100)).toBe(100);
    expect(await hoard(pool, "a", 100)).toBe(200);
    expect(pool.size).toBe(1);
    expect(await hoard(pool, "a", 2_000)).toBe(2_200);
    expect(pool.size).toBe(0);
    expect(await hoard(pool, "a", 1)).toBe(1);
  });

  it("keeps the total under totalBytes by dropping the least recently used states", async () => {
    const pool = new SandboxPool({ stateBytes: 256 * 1024, totalBytes: 512 * 1024 });
    for (const id of ["a", "b", "c", "d"]) expect(await hoard(pool, id, 1_000)).toBe(1_000);
    expect(pool.retained).toBeLessThanOrEqual(512 * 1024);
    expect(pool.size).toBeLessThan(4);
    expect(await hoard(pool, "d", 1)).toBe(1_001);
    expect(await hoard(pool, "a", 1)).toBe(1);
  });
});
