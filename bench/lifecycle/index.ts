/**
 * What keeping installs alive costs. The retention purge: 200,000 runs of 1,000 installs over
 * 60 days, purged by tier through the store (runs join their install's tier) next to the same
 * deletes on a copy whose runs carry their tier in a column of their own. The registry poll of a
 * slug with 300 versions over loopback HTTP: the conditional GET an unchanged index costs (304)
 * next to reading it in full.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { RETENTION_POLICIES, retentionMs, retentionTiers } from "@ihub/runtime/manifest";
import { createRegistryClient } from "@ihub/runtime/registry";
import { sqliteServiceStore } from "@ihub/runtime/service";
import { buildTestRegistry, notesManifest } from "@ihub/runtime/test-support";
import { createRegistryServer, listen } from "../../tooling/src/registry/serve-registry.js";
import { printTable, type BenchRow } from "../lib/table.js";

const INSTALLS = 1000;
const RUNS = 200_000;
const VERSIONS = 300;
const POLLS = 200;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-03-01T00:00:00.000Z");
const load = os.loadavg()[0]!;
const work = await mkdtemp(path.join(os.tmpdir(), "ihub-bench-lifecycle-"));

const time = async (fn: () => unknown): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function purgeRows(): Promise<BenchRow[]> {
  const file = path.join(work, "store.sqlite");
  const store = sqliteServiceStore(file);
  await store.createTenant({ id: "t", name: "t", createdAt: 0, bindings: {} }, "hash");
  const tiers = ["short", "medium", "long", "none"] as const;
  for (let i = 0; i < INSTALLS; i++) {
    await store.createInstall({
      id: `i-${i}`, tenantId: "t", slug: "notes", version: "1.0.0", range: "^1", integrity: "ab".repeat(64), config: {}, bindings: {}, credentialFields: [], warnings: [],
      createdAt: 0, updatedAt: 0, retentionTier: tiers[i % tiers.length]!, followRange: false, previous: null, pendingUpgrade: null,
    }, null, []);
  }
  await store.close();
  const db = new Database(file);
  const insert = db.prepare(
    "INSERT INTO runs (id, tenant_id, install_id, handler, trigger, trigger_ref, version, attempt, status, started_at, finished_at, duration_ms, error, limit_hit, logs) VALUES (?, 't', ?, 'echo', 'rpc', NULL, '1.0.0', 1, 'ok', ?, ?, 1, NULL, NULL, ?)",
  );
  const logs = JSON.stringify([{ level: "info", message: "echo", fields: { region: "eu" }, at: "2026-01-01T00:00:00.000Z" }]);
  db.transaction(() => {
    for (let r = 0; r < RUNS; r++) {
      const at = NOW - Math.floor((r / RUNS) * 60 * DAY);
      insert.run(`r-${r}`, `i-${r % INSTALLS}`, at, at + 1, logs);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const copy = path.join(work, "baseline.sqlite");
  await copyFile(file, copy);

  const rules = retentionTiers.map((tier) => ({ tier, before: NOW - retentionMs(tier), keepPayloads: RETENTION_POLICIES[tier].payloads }));
  const measured = sqliteServiceStore(file, { now: () => NOW });
  let counts = { runs: 0 };
  const storeMs = await time(async () => (counts = await measured.purgeExpired(rules)));
  await measured.close();

  const base = new Database(copy);
  base.exec("ALTER TABLE runs ADD COLUMN tier TEXT; UPDATE runs SET tier = (SELECT retention_tier FROM installs WHERE installs.id = runs.install_id); CREATE INDEX runs_tier ON runs (tier, started_at);");
  const del = base.prepare("DELETE FROM runs WHERE tier = ? AND started_at < ? AND status <> 'running'");
  let baseDeleted = 0;
  const baseMs = await time(() => base.transaction(() => rules.forEach((r) => (baseDeleted += del.run(r.tier, r.before).changes)))());
  base.close();
  if (baseDeleted !== counts.runs) throw new Error(`baseline deleted ${baseDeleted} runs, the store ${counts.runs}`);
  return [
    { name: `retention purge: ${counts.runs} of ${RUNS} runs, by install tier`, value: storeMs, unit: "ms", baseline: { name: "tier column on runs", value: baseMs }, target: { text: "<= 5 s", met: storeMs <= 5000 } },
    { name: "per purged run", value: (storeMs * 1000) / counts.runs, unit: "µs", baseline: { name: "tier column on runs", value: (baseMs * 1000) / baseDeleted } },
  ];
}

async function pollRows(): Promise<BenchRow[]> {
  const built = await buildTestRegistry(path.join(work, "registry-src"), [notesManifest("1.0.0")]);
  // One real record, repeated under 300 versions: the poll parses the index, it verifies no signature.
  const indexFile = path.join(built.registry, "notes", "index.json");
  const index = JSON.parse(await readFile(indexFile, "utf8"));
  const record = index.versions["1.0.0"];
  index.versions = Object.fromEntries(Array.from({ length: VERSIONS }, (_, i) => [`1.0.${i}`, { ...record, version: `1.0.${i}` }]));
  index.latest = `1.0.${VERSIONS - 1}`;
  await writeFile(indexFile, JSON.stringify(index));
  const server = createRegistryServer(built.registry);
  const { url } = await listen(server, 0, "127.0.0.1");
  const client = createRegistryClient({ registry: url, cacheDir: path.join(work, "cache"), trustedKeys: [built.publicKeyPem] });
  try {
    const first = await client.pollVersions("notes", null);
    if (!first.changed || first.candidates.length !== VERSIONS) throw new Error("the index did not read back");
    const conditional = await time(async () => {
      for (let i = 0; i < POLLS; i++) if ((await client.pollVersions("notes", first.etag)).changed) throw new Error("an unchanged index came back changed");
    });
    const full = await time(async () => {
      for (let i = 0; i < POLLS; i++) await client.pollVersions("notes", null);
    });
    const bytes = Buffer.byteLength(JSON.stringify(index));
    return [{ name: `registry poll, unchanged index of ${VERSIONS} versions (${Math.round(bytes / 1024)} KiB), 304`, value: (conditional * 1000) / POLLS, unit: "µs", baseline: { name: "full read", value: (full * 1000) / POLLS } }];
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

try {
  const rows = [...(await purgeRows()), ...(await pollRows())];
  printTable(`lifecycle (load average ${load.toFixed(2)} at start)`, rows);
} finally {
  await rm(work, { recursive: true, force: true });
}
