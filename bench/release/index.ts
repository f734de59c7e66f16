/**
 * Release path at scale: bundle 1,000 generated integrations, publish them to a directory
 * registry, serve it with `ihub registry serve` (its own process) on 127.0.0.1, then
 * resolve + pull + verify 1,000 times with the runtime's registry client. Baselines from the
 * same run: plain `tar czf` of the same files, and a bare fetch of index + bundle.
 */
import { integrationPath, TESTS_DIR } from "@ihub/runtime/layout";
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistryClient } from "@ihub/runtime/registry";
import { buildSignedBundles } from "../../tooling/src/bundle/sign-built.js";
import { writeSampleIntegration } from "../../tooling/test-support/sample-integration.js";
import { publishBundles } from "../../tooling/src/publish/publish-bundles.js";
import { fsFileSource } from "../../tooling/src/repo/fs-file-source.js";
import { loadSigningKey } from "../../tooling/src/signing/signing-key.js";
import { percentile, printTable } from "../lib/table.js";

const COUNT = 1_000;
const PULLS = 1_000;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.env.IHUB_QUIET = "1";

const work = await mkdtemp(path.join(tmpdir(), "ihub-bench-release-"));
let server: ReturnType<typeof spawn> | undefined;
try {
  const slugs = Array.from({ length: COUNT }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  for (const slug of slugs) await writeSampleIntegration(work, { kind: "ping", slug, body: `${slug} `.repeat(40) });
  const key = await loadSigningKey(work, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });

  let t = performance.now();
  const { bundles, failures } = await buildSignedBundles(work, slugs, key);
  const bundleMs = performance.now() - t;
  if (failures.length) throw new Error(`bundling failed: ${failures[0]!.error.message}`);

  // Baselines: the same bundled files, through plain tar czf.
  const source = fsFileSource(work);
  const fileLists = await Promise.all(slugs.map(async (s) => (await source.list(integrationPath(s))).filter((f) => !f.includes(`/${TESTS_DIR}/`))));
  const listFile = path.join(work, "files.txt");
  await writeFile(listFile, fileLists.flat().join("\n") + "\n");
  t = performance.now();
  spawnSync("tar", ["czf", path.join(work, "all.tgz"), "-C", work, "-T", listFile], { stdio: "inherit" });
  const tarOneMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < COUNT; i++) spawnSync("tar", ["czf", path.join(work, "one.tgz"), "-C", work, ...fileLists[i]!]);
  const tarEachMs = performance.now() - t;

  t = performance.now();
  const registry = path.join(work, "registry");
  await publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
  const publishMs = performance.now() - t;

  server = spawn(process.execPath, [path.join(repoRoot, "tooling/bin/ihub.js"), "registry", "serve", "--dir", registry, "--port", "0", "--json", "--root", work], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    server!.stdout!.on("data", (c: Buffer) => {
      out += c;
      try {
        resolve(JSON.parse(out).url);
      } catch {
        /* the JSON document is not complete yet */
      }
    });
    server!.once("exit", (code) => reject(new Error(`registry serve exited with ${code}`)));
  });

  const order = Array.from({ length: PULLS }, (_, i) => slugs[(i * 7919) % COUNT]!);
  const fetchSamples: number[] = [];
  for (const slug of order) {
    const s = performance.now();
    const index = (await (await fetch(new URL(`${slug}/index.json`, url))).json()) as { latest: string };
    await (await fetch(new URL(`${slug}/${index.latest}.tgz`, url))).arrayBuffer();
    fetchSamples.push(performance.now() - s);
  }

  const client = createRegistryClient({ registry: url, cacheDir: path.join(work, "cache"), trustedKeys: [key.publicKeyPem] });
  const pullSamples: number[] = [];
  for (const slug of order) {
    const s = performance.now();
    const pulled = await client.pull(`${slug}@^1`);
    pullSamples.push(performance.now() - s);
    if (pulled.cached) throw new Error("every pull must be a cold one");
  }

  const p50 = percentile(pullSamples, 50);
  printTable(`release: ${COUNT} integrations, ${PULLS} cold pulls over loopback HTTP`, [
    { name: `bundle + sign ${COUNT}`, value: bundleMs / 1000, unit: "s", baseline: { name: "tar czf each", value: tarEachMs / 1000 }, target: { text: "<= 10 s", met: bundleMs <= 10_000 } },
    { name: `bundle + sign ${COUNT}`, value: bundleMs / 1000, unit: "s", baseline: { name: "one tar czf", value: tarOneMs / 1000 } },
    { name: `publish ${COUNT} to dir`, value: publishMs / 1000, unit: "s" },
    { name: "resolve+pull+verify p50", value: p50, unit: "ms", baseline: { name: "bare fetch p50", value: percentile(fetchSamples, 50) }, target: { text: "<= 20 ms", met: p50 <= 20 } },
    { name: "resolve+pull+verify p99", value: percentile(pullSamples, 99), unit: "ms", baseline: { name: "bare fetch p99", value: percentile(fetchSamples, 99) } },
  ]);
} finally {
  server?.kill("SIGTERM");
  await rm(work, { recursive: true, force: true });
}
