/**
 * Vitest global setup: before any test runs, the system packages the suite drives (browser, OCI
 * registry, Lua, PostgreSQL, git, `script`) must be installed. A missing one stops the whole run
 * here, naming it and the command that installs it, instead of failing or skipping tests one by
 * one later. `npm test` installs them first (its pretest); this also covers `npx vitest`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const INSTALLER = fileURLToPath(new URL("../../.ci/install-system-packages", import.meta.url));

export function setup(): void {
  const check = spawnSync("bash", [INSTALLER, "--check"], { encoding: "utf8" });
  if (check.error) throw new Error(`could not check the system packages with ${INSTALLER}: ${check.error.message}`);
  if (check.status !== 0) throw new Error(check.stderr.trim());
}
