/**
 * `npm run bench -- catalog`: builds the catalog (site + JSON) for 1,000 generated integrations
 * and prints the build time and the size of every generated page.
 *
 * Baseline: reading and JSON-parsing the 1,000 manifests in the same run, the least any catalog
 * build must do, so the ratio shows what the model, the pages and Astro cost on top of it.
 * Target: the whole build in <= 20 s on 2 cores; every page < 100 KB (gzip, as served).
 */
import { readFile, rm, mkdtemp, mkdir } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildCatalog } from "../../tooling/src/catalog/build-catalog.js";
import { writeSampleIntegration } from "../../tooling/test-support/sample-integration.js";
import { listIntegrationDirs } from "../../tooling/src/repo/list-integrations.js";
import { percentile, printTable } from "../lib/table.js";
import { listFiles } from "../../site/test/fixture-site.js";

const COUNT = Number(process.env.BENCH_CATALOG_COUNT ?? 1000);
const TARGET_S = 20;
const PAGE_BUDGET_KB = 100;

const tiers = ["first_party", "vendor_official", "verified_partner", "verified_publisher", "community"] as const;
const auths = ["none", "api_key", "bearer_token", "oauth2", "basic"] as const;
const categories = ["messaging", "payments", "iot", "crm", "storage", "monitoring", "support", "analytics", "devtools", "weather"];

const base = await mkdtemp(path.join(tmpdir(), "ihub-bench-catalog-"));
const root = path.join(base, "repo");
try {
  await mkdir(path.join(root, "integrations"), { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    await writeSampleIntegration(root, {
      slug: `bench-${String(i).padStart(4, "0")}`,
      version: `${1 + (i % 3)}.${i % 5}.0`,
      trustTier: tiers[i % tiers.length],
      authType: auths[i % auths.length],
      categories: [categories[i % categories.length]!, categories[(i * 7 + 3) % categories.length]!].filter((c, k, a) => a.indexOf(c) === k),
      visibility: i % 50 === 0 ? "unlisted" : i % 97 === 0 ? "private" : "public",
      ...(i % 40 === 0 ? { deprecated: { message: "Replaced by a newer integration." } } : {}),
      history: i % 3 === 0 ? [] : [{ version: "1.0.0", date: "2026-01-01", notes: "- First release." }],
    });
  }

  const t0 = performance.now();
  for (const dir of await listIntegrationDirs(root)) JSON.parse(await readFile(path.join(dir.dir, "integration.json"), "utf8"));
  const baselineS = (performance.now() - t0) / 1000;

  // Wall time on a shared machine also counts other processes, so the CPU time of this process
  // (all its threads) and the load average are printed beside it.
  const load = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const result = await buildCatalog({ root, registryDir: path.join(root, ".ihub", "registry"), outDir: path.join(base, "out") });
  const buildS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;

  const pages = (await listFiles(result.outDir)).filter((f) => f.endsWith(".html"));
  const raw: number[] = [];
  const gz: number[] = [];
  let largest = { file: "", kb: 0 };
  for (const file of pages) {
    const bytes = await readFile(path.join(result.outDir, file));
    raw.push(bytes.length / 1024);
    const g = gzipSync(bytes).length / 1024;
    gz.push(g);
    if (g > largest.kb) largest = { file, kb: g };
  }
  const baseline = { name: "read+parse manifests", value: baselineS };
  printTable(`catalog build: ${COUNT} integrations, ${result.pages} pages (${result.listed.length} listed, ${result.unlisted.length} unlisted)`, [
    { name: "build total (read, model, Astro, JSON)", value: buildS, unit: "s", baseline, target: { text: `<= ${TARGET_S} s`, met: buildS <= TARGET_S } },
    { name: "  of it CPU (user + system)", value: cpuS, unit: "s", baseline },
    { name: "  read + model", value: result.ms.read / 1000, unit: "s", baseline },
    { name: "  Astro site", value: result.ms.site / 1000, unit: "s", baseline },
    { name: "  catalog JSON + icons", value: result.ms.json / 1000, unit: "s", baseline },
    { name: "page size min (raw)", value: Math.min(...raw), unit: "KB" },
    { name: "page size p50 (raw)", value: percentile(raw, 50), unit: "KB" },
    { name: "page size max (raw)", value: Math.max(...raw), unit: "KB" },
    { name: "page size p50 (gzip)", value: percentile(gz, 50), unit: "KB" },
    { name: "page size max (gzip)", value: Math.max(...gz), unit: "KB", target: { text: `< ${PAGE_BUDGET_KB} KB`, met: Math.max(...gz) < PAGE_BUDGET_KB } },
  ]);
  console.log(`largest page: ${largest.file} (${largest.kb.toFixed(1)} KB gzip); ${cpus().length} cores, load average ${load.toFixed(2)} at the start`);
} finally {
  await rm(base, { recursive: true, force: true });
}
