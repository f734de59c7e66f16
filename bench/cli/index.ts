/**
 * `npm run bench -- cli`: what starting the compiled `ihub` (which bench/run.ts builds first) costs,
 * against `node -e 0` measured in the same run. On a real git repository of
 * 1,000 generated integrations (bench/validate/generate-repo.ts) times, each as the median of
 * fresh processes: `ihub --help`, `ihub --version`, `ihub validate <one>` and
 * `ihub validate --changed --base <commit>` with one integration changed since that commit.
 * Targets: --help and --version within 3x `node -e 0`; --changed within 0.3 s. To tell start-up
 * from work, `ihub validate` on an empty repository is timed too: node plus the validator's modules.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import git from "isomorphic-git";
import { INTEGRATIONS_DIR } from "@ihub/runtime/layout";
import { percentile, printTable, type BenchRow } from "../lib/table.js";
import { generateRepo } from "../validate/generate-repo.js";

const COUNT = 1000;
const RUNS = 9;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(repoRoot, "tooling", "bin", "ihub.js");
const author = { name: "bench", email: "bench@example.com" };

/** Median wall-clock ms of RUNS fresh `node ...args` processes; each must exit with one of `codes`. */
function medianMs(args: string[], codes: readonly number[] = [0]): number {
  const samples = Array.from({ length: RUNS }, () => {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, IHUB_QUIET: "1" }, maxBuffer: 1 << 26 });
    const ms = performance.now() - started;
    if (!codes.includes(r.status ?? -1)) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return ms;
  });
  return percentile(samples, 50);
}

const work = await mkdtemp(path.join(os.tmpdir(), "ihub-bench-cli-"));
try {
  const slugs = await generateRepo(repoRoot, work, COUNT);
  await git.init({ fs, dir: work, defaultBranch: "main" });
  await git.add({ fs, dir: work, filepath: INTEGRATIONS_DIR });
  const base = await git.commit({ fs, dir: work, message: "base", author });
  const changedSlug = slugs[Math.floor(COUNT / 2)]!;
  const readme = path.join(INTEGRATIONS_DIR, changedSlug, "README.md");
  await writeFile(path.join(work, readme), (await readFile(path.join(work, readme), "utf8")) + "\nOne more line.\n");
  await git.add({ fs, dir: work, filepath: readme });
  await git.commit({ fs, dir: work, message: "change one", author });

  const changedRun = spawnSync(process.execPath, [BIN, "validate", "--root", work, "--changed", "--base", base, "--json"], { encoding: "utf8" });
  const checked = (JSON.parse(changedRun.stdout) as { integrations: string[] }).integrations;
  if (checked.join() !== changedSlug) throw new Error(`--changed checked ${checked.join(", ")}, not ${changedSlug}`);

  // Validation findings (exit 1) are part of the work measured, not a failure of the benchmark.
  const findings = [0, 1] as const;
  const node = medianMs(["-e", "0"]);
  const help = medianMs([BIN, "--help"]);
  const version = medianMs([BIN, "--version"]);
  const one = medianMs([BIN, "validate", "--root", work, changedSlug], findings);
  const changed = medianMs([BIN, "validate", "--root", work, "--changed", "--base", base], findings);
  const emptyRoot = path.join(work, "empty");
  await fs.promises.mkdir(path.join(emptyRoot, INTEGRATIONS_DIR), { recursive: true });
  const startUp = medianMs([BIN, "validate", "--root", emptyRoot]);

  const baseline = { name: "node -e 0", value: node };
  const rows: BenchRow[] = [
    { name: "node -e 0", value: node, unit: "ms" },
    { name: "ihub --help", value: help, unit: "ms", baseline, target: { text: "<= 3x node", met: help <= 3 * node } },
    { name: "ihub --version", value: version, unit: "ms", baseline, target: { text: "<= 3x node", met: version <= 3 * node } },
    { name: "ihub validate (empty repo)", value: startUp, unit: "ms", baseline },
    { name: `ihub validate <one> (of ${COUNT})`, value: one, unit: "ms", baseline },
    { name: `ihub validate --changed (1 of ${COUNT})`, value: changed, unit: "ms", baseline, target: { text: "<= 300 ms", met: changed <= 300 } },
  ];
  printTable(`cli: compiled ihub start-up, median of ${RUNS} processes each; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`, rows);
} finally {
  await rm(work, { recursive: true, force: true });
}
