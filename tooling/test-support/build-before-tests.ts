/**
 * vitest's global setup: compiles dist/ from the current sources before any test file runs, so
 * the tests that start the real `ihub` (tooling/bin/ihub.js runs dist/) never run a stale build,
 * even when only some test files are run after an edit.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL("../bin/build.js", import.meta.url))], { stdio: ["ignore", "ignore", "inherit"] });
}
