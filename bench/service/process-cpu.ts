/**
 * CPU time of other processes, read from /proc (Linux): the fleet bench's runtimes and PostgreSQL
 * backends are separate processes, so process.cpuUsage() of the bench does not see them.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

type Stat = { ppid: number; cpuMs: number };

/** Fields after the parenthesised command name: state is field 3, ppid 4, utime 14, stime 15. */
function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // exited meanwhile
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND };
}

/** User plus system CPU time, in ms, of the given processes. */
export function cpuMsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.cpuMs ?? 0), 0);
}

/** A process and its children right now (PostgreSQL: the postmaster and its backends and workers). */
export function withChildren(pid: number): number[] {
  const children = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => stat(child)?.ppid === pid);
  return [pid, ...children];
}

/** The parent of a process: a backend's parent is the postmaster. */
export function parentOf(pid: number): number {
  const s = stat(pid);
  if (!s) throw new Error(`process ${pid} is gone`);
  return s.ppid;
}
