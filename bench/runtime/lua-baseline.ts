/** Runs baseline.lua under the native lua5.4 interpreter (Debian package lua5.4). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { summarize, type Timing } from "./measure.js";

const here = fileURLToPath(new URL(".", import.meta.url));

export function luaAvailable(): boolean {
  return spawnSync("lua5.4", ["-v"]).status === 0;
}

/** `mode` "load" recompiles handlers.lua before each call; "warm" compiles it once. Samples average `batch` calls. */
export function runLuaBaseline(handler: string, samples: number, batch: number, mode: "warm" | "load", docFile?: string): Timing {
  const r = spawnSync("lua5.4", [`${here}baseline.lua`, here, handler, String(samples), String(batch), mode, ...(docFile ? [docFile] : [])], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`lua5.4 baseline failed: ${r.stderr || r.error?.message}`);
  const { totalMs, samples: times } = JSON.parse(r.stdout) as { totalMs: number; samples: number[] };
  // os.clock is CPU time, so the wall and CPU rates are one number here.
  return summarize(times, totalMs, totalMs, batch);
}
