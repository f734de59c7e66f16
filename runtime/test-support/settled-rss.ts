/**
 * Resident memory once the garbage is gone, for tests that show memory returns to its baseline
 * after hostile requests: full collections first, so what remains is what the process keeps.
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

export function settledRss(): number {
  if (!gc) {
    // Exposed at run time, so the test runner needs no flag; a fresh context picks the global up.
    v8.setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

export const MiB = 2 ** 20;
