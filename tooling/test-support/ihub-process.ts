/** The real `ihub` binary as a child process, for tests that check exit codes and both output streams. */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = path.join(REPO_ROOT, "tooling", "bin", "ihub.js");

export type IhubRun = { code: number; stdout: string; stderr: string };

/**
 * Runs `ihub ...args` in `cwd` (default: the repository) with NO_COLOR set unless `env` says
 * otherwise; `nodeArgs` go to node before the script (e.g. `--import` of a test's loader hook),
 * `bin` replaces the real one (e.g. a copy without its build).
 */
export function runIhub(args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; nodeArgs?: readonly string[]; bin?: string } = {}): Promise<IhubRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, NO_COLOR: "1", ...opts.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
