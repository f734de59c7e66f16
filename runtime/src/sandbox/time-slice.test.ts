/**
 * Lua runs on the host's thread, so a handler that computes without I/O gives the event loop a
 * turn every slice: other invocations and the service's sockets keep moving, and the handler's
 * result is the same as if it had run in one go, also inside pcall and user coroutines.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, invoke, type InvokeResult } from "./index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";

// About ten million VM instructions: far more than one slice on any machine fengari runs on.
const SPIN = `local x = 0
  for i = 1, 2500000 do x = x + i % 7 end`;
const SUM = Array.from({ length: 2_500_000 }, (_, i) => (i + 1) % 7).reduce((a, b) => a + b, 0);

async function whileCounting(body: string): Promise<{ result: InvokeResult; turns: number }> {
  let turns = 0;
  let counting = true;
  const count = () => {
    if (!counting) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  const result = await invoke({ ...handlerBundle(body), ctx: testCtx(), input: {}, limits: DEFAULT_LIMITS, host: recordingHost() });
  counting = false;
  return { result, turns };
}

describe("time slices", () => {
  it("lets the event loop run while a handler computes, with the same result", async () => {
    const { result, turns } = await whileCounting(`${SPIN}\n return x`);
    expect(result).toMatchObject({ ok: true, output: SUM });
    expect(turns).toBeGreaterThan(1);
  });

  it("suspends and resumes inside pcall", async () => {
    const { result, turns } = await whileCounting(`local ok, v = pcall(function() ${SPIN}\n return x end)\n return { ok = ok, v = v }`);
    expect(result).toMatchObject({ ok: true, output: { ok: true, v: SUM } });
    expect(turns).toBeGreaterThan(1);
  });

  it("leaves a user coroutine's yields to the user", async () => {
    const { result } = await whileCounting(`local co = coroutine.wrap(function() ${SPIN}\n coroutine.yield(x) return -1 end)\n return { co(), co() }`);
    expect(result).toMatchObject({ ok: true, output: [SUM, -1] });
  });

  it("still ends a runaway loop at its limit", async () => {
    const { result, turns } = await whileCounting("while true do end");
    expect(result).toMatchObject({ ok: false, error: { kind: "limit" } });
    expect(turns).toBeGreaterThan(1);
  });
});
