/**
 * The site the tests look at: the repository's own example integrations plus sample ones that
 * cover every case the catalog must handle (visibility, deprecation, registry versions with a
 * breaking and a yanked one), built once with the real `buildCatalog`.
 */
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { computeIntegrity, type IntegrationIndex, type VersionRecord } from "@ihub/runtime/registry";
import { buildCatalog, type BuildCatalogResult } from "../../tooling/src/catalog/build-catalog.js";
import { packTgz } from "../../tooling/src/bundle/pack-tgz.js";
import { writeSampleIntegration, type SampleOptions } from "../../tooling/test-support/sample-integration.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function record(slug: string, version: string, publishedAt: string, tgz: Uint8Array, yanked?: VersionRecord["yanked"]): VersionRecord {
  return {
    format: 1,
    slug,
    version,
    integrity: computeIntegrity(tgz),
    signature: { algorithm: "ed25519", keyId: "test-key", value: "c2lnbmF0dXJl" },
    size: tgz.byteLength,
    contentDigest: createHash("sha256").update(tgz).update("content").digest("hex"),
    tag: `${slug}@${version}`,
    commit: "a".repeat(40),
    publishedAt,
    ...(yanked ? { yanked } : {}),
    manifest: { name: "Weather Station", description: "d", trustTier: "first_party", visibility: "public", deprecated: false },
  };
}

/**
 * Publishes one version of a sample the way `ihub publish` lays it out: the bundle (the
 * integration's files without its tests) at `<registry>/<slug>/<version>.tgz`, and its record.
 */
async function publishSample(registry: string, sample: SampleOptions & { version: string }, publishedAt: string, yanked?: VersionRecord["yanked"]): Promise<VersionRecord> {
  const scratch = await mkdtemp(path.join(tmpdir(), "ihub-site-bundle-"));
  const dir = await writeSampleIntegration(scratch, sample);
  const entries = [];
  for (const rel of (await listFiles(dir)).filter((f) => !f.startsWith("tests/"))) entries.push({ path: rel, bytes: await readFile(path.join(dir, rel)) });
  const tgz = packTgz(entries);
  await mkdir(path.join(registry, sample.slug), { recursive: true });
  await writeFile(path.join(registry, sample.slug, `${sample.version}.tgz`), tgz);
  await rm(scratch, { recursive: true, force: true });
  return record(sample.slug, sample.version, publishedAt, tgz, yanked);
}

/** The default value of a secret credential field in a sample; no output may contain it. */
export const SECRET_DEFAULT = "sk_live:Lovelace@never-shown~4242";

export type FixtureSite = { root: string; registry: string; out: string; result: BuildCatalogResult; exampleSlugs: string[]; privateExamples: string[] };

export async function buildFixtureSite(): Promise<FixtureSite> {
  const base = await mkdtemp(path.join(tmpdir(), "ihub-site-test-"));
  const root = path.join(base, "repo");
  const registry = path.join(base, "registry");
  const out = path.join(base, "out");
  await mkdir(path.join(root, "integrations"), { recursive: true });
  // The examples are copied, so a half-written example elsewhere in the tree cannot change this test's input mid-run.
  await cp(path.join(repoRoot, "integrations"), path.join(root, "integrations"), { recursive: true });
  const exampleSlugs = (await readdir(path.join(root, "integrations"), { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => e.name);
  const privateExamples: string[] = [];
  for (const slug of exampleSlugs) {
    const manifest = JSON.parse(await readFile(path.join(root, "integrations", slug, "integration.json"), "utf8")) as { visibility?: string };
    if (manifest.visibility === "private") privateExamples.push(slug);
  }

  const weatherSample = {
    slug: "zz-weather-station",
    name: "Weather Station",
    trustTier: "first_party",
    categories: ["weather", "iot"],
    authType: "bearer_token",
    history: [
      { version: "1.0.0", date: "2026-01-10", notes: "- First release." },
      { version: "2.0.0", date: "2026-06-01", notes: "- **Breaking:** `region` is now required." },
    ],
    readme: "# Weather Station\n\nReads stations.\n\n<script>alert('x')</script>\n\n[docs](https://example.com/docs) and [a repo file](docs/setup.md).\n",
    // A default on a secret field must never reach a page or the JSON.
    patch: (m) => {
      const fields = m.auth.fields as { properties: Record<string, Record<string, unknown>> };
      fields.properties.apiKey!.default = SECRET_DEFAULT;
      // Backticks in a description are code on the page.
      (m.configSchema as { properties: Record<string, Record<string, unknown>> }).properties.pollMinutes!.description = "How often to poll, in `minutes`.";
      // Form hints real manifests carry: the page shows the label and the help text.
      Object.assign((m.configSchema as { properties: Record<string, Record<string, unknown>> }).properties.labels!, { label: "Device labels", help_text: "As set in the `Devices` app." });
    },
  } satisfies SampleOptions;
  await writeSampleIntegration(root, { ...weatherSample, version: "2.1.0" });
  await writeSampleIntegration(root, {
    slug: "ticket-desk",
    name: "Ticket Desk",
    categories: ["support"],
    authType: "oauth2",
    trustTier: "community",
    // An older version known from the CHANGELOG only: its page has nothing of its own to describe.
    history: [{ version: "0.9.0", date: "2026-02-01", notes: "- Beta." }],
    patch: (m) => {
      m.dependencies = { modules: { "http-errors": "^1.0.0" }, integrations: { "zz-weather-station": "^2.0.0", "not-in-catalog": "^1.0.0" } };
    },
  });
  await writeSampleIntegration(root, { slug: "yanked-probe", name: "Yanked Probe", categories: ["iot"], trustTier: "community" });
  // Before 1.0 a minor may break: its install range stays on one minor.
  await writeSampleIntegration(root, { slug: "beta-vault", name: "Beta Vault", version: "0.4.2", trustTier: "vendor_official", categories: ["storage"], authType: "basic" });
  await writeSampleIntegration(root, { slug: "hidden-gauge", name: "Hidden Gauge", visibility: "unlisted", authType: "none" });
  await writeSampleIntegration(root, { slug: "secret-ledger", name: "Secret Ledger", visibility: "private" });
  await writeSampleIntegration(root, {
    slug: "aa-legacy-pager",
    name: "Legacy Pager",
    trustTier: "verified_publisher",
    categories: ["messaging"],
    deprecated: { message: "The pager API shuts down in 2027.", replacement: "ticket-desk", since: "1.0.0" },
  });

  // Published versions with real bundles; 1.0.0 differs from today's files (no alert handler,
  // `region` optional), so its page must show its own contents.
  const weather: IntegrationIndex = {
    format: 1,
    slug: "zz-weather-station",
    latest: "2.0.0",
    versions: {
      "1.0.0": await publishSample(registry, { ...weatherSample, version: "1.0.0", history: [], patch: (m) => {
        weatherSample.patch(m);
        delete m.handlers.on_alert;
        (m.configSchema as { required: string[] }).required = [];
      } }, "2026-01-10T10:00:00Z"),
      "2.0.0": await publishSample(registry, { ...weatherSample, version: "2.0.0" }, "2026-06-01T10:00:00Z"),
      "2.1.0": await publishSample(registry, { ...weatherSample, version: "2.1.0" }, "2026-09-01T10:00:00Z", { reason: "Sent duplicate readings.", at: "2026-09-02T08:00:00Z" }),
    },
  };
  // Every version yanked: listed, marked and sorted last, but with nothing to install.
  const probe: IntegrationIndex = {
    format: 1,
    slug: "yanked-probe",
    latest: null,
    versions: {
      "1.0.0": await publishSample(registry, { slug: "yanked-probe", version: "1.0.0" }, "2026-03-01T10:00:00Z", { reason: "Leaked readings across installs.", at: "2026-03-05T08:00:00Z" }),
    },
  };
  for (const index of [weather, probe]) await writeFile(path.join(registry, index.slug, "index.json"), JSON.stringify(index));

  const result = await buildCatalog({ root, registryDir: registry, outDir: out, now: new Date("2026-11-22T12:00:00Z") });
  return { root, registry, out, result, exampleSlugs, privateExamples };
}

/** Every file below `dir`, relative, with forward slashes. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}
