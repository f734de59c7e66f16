import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { publishBundles } from "../publish/publish-bundles.js";
import { loadSigningKey } from "../signing/signing-key.js";
import { collectCatalog } from "./collect-catalog.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";

let root: string;
let registry: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-collect-"));
  registry = path.join(root, ".ihub", "registry");
  await mkdir(path.join(root, "integrations"), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const write = async (rel: string, text: string) => {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
};

describe("collectCatalog", () => {
  it("reads good folders, skips private ones and reserved folders, and hashes icons by content", async () => {
    await writeSampleIntegration(root, { slug: "alpha" });
    await writeSampleIntegration(root, { slug: "beta", visibility: "unlisted" });
    await writeSampleIntegration(root, { slug: "gamma", visibility: "private" });
    await write("integrations/_modules/util/module.json", "{}");
    const out = await collectCatalog(root, registry);
    expect(out.integrations.map((i) => [i.slug, i.visibility])).toEqual([["alpha", "public"], ["beta", "unlisted"]]);
    expect(out.privateSlugs).toEqual(["gamma"]);
    expect(out.findings).toEqual([]);
    const icon = out.integrations[0]!.icon;
    expect(icon).toMatch(/^icons\/alpha\.[0-9a-f]{10}\.svg$/);
    expect(new TextDecoder().decode(out.icons.get(icon))).toContain("<svg");
    expect(out.integrations[0]!.readmeHtml).toContain("<h3>Alpha</h3>");
  });

  it("turns broken manifests into findings with file and pointer, and still builds the rest", async () => {
    await writeSampleIntegration(root, { slug: "good" });
    await write("integrations/not-json/integration.json", "{ nope");
    await write("integrations/no-manifest/README.md", "# hi");
    await writeSampleIntegration(root, { slug: "bad-tier" });
    const manifest = JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(path.join(root, "integrations/bad-tier/integration.json"), "utf8")));
    await write("integrations/bad-tier/integration.json", JSON.stringify({ ...manifest, trustTier: "trust-me" }));
    await writeSampleIntegration(root, { slug: "renamed" });
    await write("integrations/renamed/integration.json", JSON.stringify({ ...manifest, slug: "other" }));

    const out = await collectCatalog(root, registry);
    expect(out.integrations.map((i) => i.slug)).toEqual(["good"]);
    expect(out.findings.map((f) => [f.integration, f.code, f.file, f.pointer])).toEqual([
      ["bad-tier", "IH_CATALOG_MANIFEST", "integrations/bad-tier/integration.json", "/trustTier"],
      ["no-manifest", "IH_CATALOG_MANIFEST", "integrations/no-manifest/integration.json", null],
      ["not-json", "IH_CATALOG_MANIFEST", "integrations/not-json/integration.json", null],
      ["renamed", "IH_CATALOG_MANIFEST", "integrations/renamed/integration.json", "/slug"],
    ]);
    for (const f of out.findings) expect(f.hint).toMatch(/ihub validate/);
  });

  it("reports a malformed registry index and falls back to the CHANGELOG versions", async () => {
    await writeSampleIntegration(root, { slug: "alpha", version: "2.0.0", history: [{ version: "1.0.0", date: "2026-01-01", notes: "- First." }] });
    await mkdir(path.join(registry, "alpha"), { recursive: true });
    await writeFile(path.join(registry, "alpha", "index.json"), JSON.stringify({ format: 1, slug: "alpha", latest: "9.9.9", versions: { "9.9.9": { hacked: true } } }));
    let out = await collectCatalog(root, registry);
    expect(out.findings.map((f) => [f.code, f.integration])).toEqual([["IH_CATALOG_REGISTRY", "alpha"]]);
    expect(out.integrations[0]!.versions.map((v) => [v.version, v.source])).toEqual([["2.0.0", "changelog"], ["1.0.0", "changelog"]]);

    await writeFile(path.join(registry, "alpha", "index.json"), "not json");
    out = await collectCatalog(root, registry);
    expect(out.findings[0]!.message).toMatch(/not valid JSON/);

    await writeFile(path.join(registry, "alpha", "index.json"), JSON.stringify({ format: 1, slug: "beta", latest: null, versions: {} }));
    out = await collectCatalog(root, registry);
    expect(out.findings[0]).toMatchObject({ code: "IH_CATALOG_REGISTRY", pointer: "/slug" });
  });

  it("uses a placeholder icon when the manifest's icon file is missing", async () => {
    await writeSampleIntegration(root, { slug: "alpha" });
    await rm(path.join(root, "integrations/alpha/icon.svg"));
    const out = await collectCatalog(root, registry);
    expect(out.integrations[0]!.icon).toMatch(/^icons\/alpha\.[0-9a-f]{10}\.svg$/);
    expect(out.icons.size).toBe(1);
  });

  it("reads each published version's own contents from its bundle, and reports a bundle that fails its integrity", async () => {
    const key = await loadSigningKey(root, { IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const publish = async () => publishBundles((await buildSignedBundles(root, ["alpha"], key)).bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
    // 1.0.0 had no alert handler and an optional region; 2.0.0 is today's sample; 2.1.0 is in the repository only.
    await writeSampleIntegration(root, {
      slug: "alpha",
      version: "1.0.0",
      patch: (m) => {
        delete m.handlers.on_alert;
        (m.configSchema as { required: string[] }).required = [];
        m.handlers.get_status!.inputSchema = { type: "object", properties: { deviceId: { type: "string", examples: ["old-1"] } } };
      },
    });
    await publish();
    await writeSampleIntegration(root, { slug: "alpha", version: "2.0.0" });
    await publish();
    await writeSampleIntegration(root, { slug: "alpha", version: "2.1.0" });

    let out = await collectCatalog(root, registry);
    expect(out.findings).toEqual([]);
    const alpha = out.integrations[0]!;
    expect(alpha.versions.map((v) => v.version)).toEqual(["2.0.0", "1.0.0"]);
    expect(alpha.sourceVersion).toBe("2.1.0");
    expect(Object.keys(alpha.versionDetails).sort()).toEqual(["1.0.0", "2.0.0"]);
    expect(alpha.versionDetails["1.0.0"]!.handlers.map((h) => h.name)).toEqual(["get_status", "poll"]);
    expect(alpha.versionDetails["1.0.0"]!.config.find((r) => r.name === "region")!.required).toBe(false);
    expect(alpha.versionDetails["2.0.0"]!.handlers.map((h) => h.name)).toEqual(["get_status", "poll", "on_alert"]);
    // bundles hold no tests: an unchanged handler keeps today's tested example, a changed one gets its schema's
    expect(alpha.versionDetails["2.0.0"]!.handlers[0]!.example).toEqual({ source: "test", input: { deviceId: "dev-7" }, output: { online: true, battery: 81 } });
    expect(alpha.versionDetails["1.0.0"]!.handlers[0]!.example).toEqual({ source: "schema", input: { deviceId: "old-1" }, output: undefined });

    const tgz = path.join(registry, "alpha", "1.0.0.tgz");
    const bytes = await readFile(tgz);
    bytes[bytes.length - 10]! ^= 0xff;
    await writeFile(tgz, bytes);
    out = await collectCatalog(root, registry);
    expect(out.findings.map((f) => [f.code, f.integration, f.message])).toEqual([["IH_CATALOG_BUNDLE", "alpha", expect.stringContaining("integrity")]]);
    expect(Object.keys(out.integrations[0]!.versionDetails)).toEqual(["2.0.0"]);
  });
});
