/**
 * `ihub runtime start` as a real child process on a given database (a SQLite file or a
 * postgres:// URL), with helpers to call its HTTP API. Stop every process it started with
 * `killAll()` in the test file's afterAll.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../tooling/bin/ihub.js", import.meta.url));

export type RuntimeProcessOptions = { root: string; registry: string; trustedKeyFile: string; adminToken: string; vaultKeyHex: string };
export type RuntimeProcess = Awaited<ReturnType<ReturnType<typeof runtimeProcesses>["start"]>>;

export function runtimeProcesses(opts: RuntimeProcessOptions) {
  const children: ChildProcess[] = [];
  async function start(db: string) {
    // The log goes to a file, as it would to a collector: writes to a pipe are synchronous, so a
    // pipe this process read late (busy, or starved of CPU under load) would stall the runtime.
    const logFile = path.join(opts.root, `runtime-${children.length + 1}.log`);
    const logFd = openSync(logFile, "w");
    const child = spawn(process.execPath, [BIN, "runtime", "start", "--root", opts.root, "--registry", opts.registry, "--db", db, "--trusted-key", opts.trustedKeyFile, "--port", "0", "--json"], {
      env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: opts.adminToken, IHUB_RUNTIME_KEY: opts.vaultKeyHex },
      stdio: ["ignore", "pipe", logFd],
    });
    closeSync(logFd);
    children.push(child);
    const logs = () => readFileSync(logFile, "utf8");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      void exited.then(() => reject(new Error(`runtime exited: ${logs()}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    const call = async (method: string, p: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(url + p, { method, headers: { authorization: `Bearer ${token}`, ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as any };
    };
    return { child, url, exited, call, logs };
  }
  return {
    start,
    killAll() {
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    },
  };
}

/** Polls a condition on another process until it holds; the test's timeout bounds the wait. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}
