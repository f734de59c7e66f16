/**
 * `npm run bench [-- name ...]`: runs bench/<name>/index.ts for each name (all when none given),
 * each in its own process so one benchmark's heap and JIT state do not colour the next.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(here, e.name, "index.ts")))
  .map((e) => e.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${all.join(", ")}`);
  process.exit(2);
}
// Benchmarks that start `ihub` run the compiled CLI: build it from the sources being measured.
if (spawnSync(process.execPath, [path.join(here, "..", "tooling", "bin", "build.js")], { stdio: "inherit" }).status !== 0) process.exit(1);
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  // The runner's own flags (`npm run bench`: tsx, and the condition that resolves @ihub/runtime to its sources).
  const r = spawnSync(process.execPath, [...process.execArgv, path.join(here, name, "index.ts")], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
