/** Sequential timing loops: one call at a time, so throughput is what one core sustains. */
import { percentile } from "../lib/table.js";

/**
 * Milliseconds per call. `perCpuSecond` divides by the CPU time the process spent (GC threads
 * included), which other load on a shared machine inflates less than wall time.
 */
export type Timing = { p50: number; p99: number; perSecond: number; perCpuSecond: number };

export function summarize(samples: number[], wallMs: number, cpuMs = wallMs, callsPerSample = 1): Timing {
  const calls = samples.length * callsPerSample;
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: (calls / wallMs) * 1000, perCpuSecond: (calls / cpuMs) * 1000 };
}

/**
 * Runs each call `warmup` times untimed, then `iterations` rounds of all calls in turn, so
 * calls compared with each other share the machine's conditions. The CPU time of a round is
 * split between its calls by their wall time.
 */
export async function measureTogether<K extends string>(iterations: number, warmup: number, calls: Record<K, () => Promise<unknown>>): Promise<Record<K, Timing>> {
  const names = Object.keys(calls) as K[];
  for (let i = 0; i < warmup; i++) for (const n of names) await calls[n]();
  const samples = Object.fromEntries(names.map((n) => [n, new Array<number>(iterations)])) as Record<K, number[]>;
  const wall = Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
  let roundsWall = 0;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    for (const n of names) {
      const t = performance.now();
      await calls[n]();
      const ms = performance.now() - t;
      samples[n][i] = ms;
      wall[n] += ms;
      roundsWall += ms;
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n], wall[n], (cpuMs * wall[n]) / roundsWall)])) as Record<K, Timing>;
}

export async function measure(iterations: number, warmup: number, call: () => Promise<unknown>): Promise<Timing> {
  return (await measureTogether(iterations, warmup, { call })).call;
}
