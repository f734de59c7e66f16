/**
 * `npm run bench -- validate`: 1,000 generated integrations (see generate-repo.ts) in a real git
 * repository, then
 * - a full cold `ihub validate` of all of them (a fresh process each time, as CI runs it);
 * - `ihub validate --changed --base <base commit>` after one integration changed in a commit;
 * - the floor: reading every file and JSON-parsing every manifest in this process, the least
 *   any validator must do;
 * - the start-up of the same command on an empty repository (node, tsx and the validator's
 *   modules), which every run pays before it validates anything: its share of the full run;
 * - the full validation in this process (validateRepo, one thread), wall and CPU time: the
 *   validation work without the start-up.
 * Each process run is repeated and the median shown. Targets: full <= 5 s on 2 cores and within
 * 5x the floor, changed-only <= 0.5 s.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import git from "isomorphic-git";
import os, { loadavg } from "node:os";
import { changedIntegrations } from "../../tooling/src/git/changed-integrations.js";
import { INTEGRATIONS_DIR, MANIFEST_FILE } from "@ihub/runtime/layout";
import { validateRepo } from "../../tooling/src/validate/validate-repo.js";
import { percentile, printTable } from "../lib/table.js";
import { generateRepo } from "./generate-repo.js";

const COUNT = Number(process.env.BENCH_VALIDATE_COUNT ?? 1000);
const RUNS = 3;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(repoRoot, "tooling", "bin", "ihub.js");
const author = { name: "bench", email: "bench@example.com" };

/** Wall-clock ms of one `ihub` process; the JSON document it prints is returned for a sanity check. */
function ihub(args: string[]): { ms: number; doc: { integrations: string[]; counts: Record<string, number> } } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args, "--json"], { encoding: "utf8", env: { ...process.env, IHUB_QUIET: "1" }, maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`ihub ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, doc: JSON.parse(r.stdout) };
}

function median(runs: () => { ms: number; doc: { integrations: string[]; counts: Record<string, number> } }) {
  const results = Array.from({ length: RUNS }, runs);
  return { ms: percentile(results.map((r) => r.ms), 50), doc: results[0]!.doc };
}

/** The floor: every file of every integration read, every manifest parsed. */
async function floor(root: string): Promise<number> {
  const started = performance.now();
  const base = path.join(root, INTEGRATIONS_DIR);
  const entries = await readdir(base, { withFileTypes: true, recursive: true });
  await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const bytes = await readFile(path.join(e.parentPath, e.name));
        if (e.name === MANIFEST_FILE) JSON.parse(bytes.toString("utf8"));
      }),
  );
  return performance.now() - started;
}

const work = await mkdtemp(path.join(tmpdir(), "ihub-bench-validate-"));
try {
  const slugs = await generateRepo(repoRoot, work, COUNT);
  await git.init({ fs, dir: work, defaultBranch: "main" });
  await git.add({ fs, dir: work, filepath: INTEGRATIONS_DIR });
  const base = await git.commit({ fs, dir: work, message: "base", author });

  const floors = [await floor(work), await floor(work), await floor(work)];
  const floorMs = percentile(floors, 50);
  const full = median(() => ihub(["validate", "--root", work]));
  if (full.doc.integrations.length !== COUNT) throw new Error(`full run checked ${full.doc.integrations.length} integrations, not ${COUNT}`);
  const twoJobs = median(() => ihub(["validate", "--root", work, "--jobs", "2"]));

  const changedSlug = slugs[Math.floor(COUNT / 2)]!;
  const changelog = path.join(INTEGRATIONS_DIR, changedSlug, "README.md");
  await writeFile(path.join(work, changelog), (await readFile(path.join(work, changelog), "utf8")) + "\nOne more line.\n");
  await git.add({ fs, dir: work, filepath: changelog });
  await git.commit({ fs, dir: work, message: "change one", author });
  const changed = median(() => ihub(["validate", "--root", work, "--changed", "--base", base]));
  if (changed.doc.integrations.join() !== changedSlug) throw new Error(`--changed checked ${changed.doc.integrations.join(", ")}, not ${changedSlug}`);

  // What every process pays before validating anything: node, tsx and the validator's modules.
  const emptyRoot = path.join(work, "empty");
  await fs.promises.mkdir(path.join(emptyRoot, INTEGRATIONS_DIR), { recursive: true });
  const start = median(() => ihub(["validate", "--root", emptyRoot]));

  // The same work in this process, on one thread: CPU time is what a run costs whatever else the
  // machine is doing (wall-clock rows stretch with the load average).
  const measure = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
  const inProcess = await measure(() => validateRepo(work, { workers: 0 }));
  const changedCpu = (await measure(async () => validateRepo(work, { only: (await changedIntegrations(work, { base })).slugs, workers: 0 }))).cpuMs;

  const fullS = full.ms / 1000;
  printTable(`validate: ${COUNT} integrations (${full.doc.counts.error ?? 0} errors, ${full.doc.counts.warning ?? 0} warnings), median of ${RUNS} cold processes; load average ${loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`, [
    { name: `full validate ${COUNT}`, value: fullS, unit: "s", baseline: { name: "floor (read+parse)", value: floorMs / 1000 }, target: { text: "<= 5 s, <= 5x floor", met: fullS <= 5 && full.ms <= 5 * floorMs } },
    { name: `full validate ${COUNT}, --jobs 2`, value: twoJobs.ms / 1000, unit: "s", baseline: { name: "one thread", value: fullS } },
    { name: "start-up (empty repo)", value: start.ms / 1000, unit: "s", baseline: { name: "full validate", value: fullS } },
    { name: "full, in process, wall", value: inProcess.wallMs, unit: "ms", baseline: { name: "floor (read+parse)", value: floorMs } },
    { name: "full, in process, CPU time", value: inProcess.cpuMs, unit: "ms", baseline: { name: "floor (read+parse)", value: floorMs } },
    { name: "--changed (1 changed)", value: changed.ms, unit: "ms", baseline: { name: "start-up (empty repo)", value: start.ms }, target: { text: "<= 500 ms", met: changed.ms <= 500 } },
    { name: "--changed, in process, CPU", value: changedCpu, unit: "ms" },
    { name: "floor (read+parse)", value: floorMs, unit: "ms" },
  ]);
} finally {
  await rm(work, { recursive: true, force: true });
}
