import { describe, expect, it } from "vitest";
import type { IntegrationIndex, VersionRecord } from "@ihub/runtime/registry";
import { buildEntry, caretRange, compareEntries } from "./build-entry.js";
import { integrationEntrySchema } from "./catalog-schema.js";
import type { IntegrationSource } from "./read-integration.js";
import { sampleManifest } from "../../test-support/sample-integration.js";

function source(over: Partial<IntegrationSource> = {}, manifest = sampleManifest({ slug: "acme", version: "1.2.0" })): IntegrationSource {
  return {
    slug: manifest.slug,
    manifest,
    readme: "# Acme",
    changelog: "## 1.2.0 - 2026-05-01\n- Faster.\n\n## 1.0.0 - 2026-01-01\n- First.\n\n## 0.3.0 - 2025-12-01\n- Beta.\n",
    icon: null,
    lua: { "handlers/main.lua": 'return { get_status = function(ctx, i) return ctx.device.http("api", { method = "GET", path = "/devices" }) end }' },
    openapi: {},
    tests: [],
    ...over,
  };
}

const record = (version: string, yanked = false): VersionRecord => ({
  format: 1,
  slug: "acme",
  version,
  integrity: { sha256: "sha256-" + "A".repeat(43) + "=", sha512: "sha512-" + "B".repeat(86) + "==" },
  signature: { algorithm: "ed25519", keyId: "k", value: "sig" },
  size: 10,
  contentDigest: "c".repeat(64),
  tag: `acme@${version}`,
  commit: null,
  publishedAt: "2026-07-01T00:00:00Z",
  ...(yanked ? { yanked: { reason: "broken", at: "2026-07-02T00:00:00Z" } } : {}),
  manifest: { name: "Acme", description: "d", trustTier: "community", visibility: "public", deprecated: false },
});

describe("buildEntry", () => {
  it("carries the OAuth provider, billing and the connected-account handler, and says no when a manifest has none", () => {
    const m = sampleManifest({ slug: "acme", version: "1.2.0" });
    m.auth = { type: "oauth2", provider: "hubspot", scopes: ["crm.objects.contacts.read"] };
    m.billing = true;
    m.connectedAccount = { handler: "get_status" };
    const entry = buildEntry(source({}, m), null, "icons/acme.x.svg")!;
    expect(integrationEntrySchema.parse(entry)).toEqual(entry);
    expect(entry.auth).toMatchObject({ type: "oauth2", provider: "hubspot", scopes: ["crm.objects.contacts.read"] });
    expect([entry.billing, entry.connectedAccount]).toEqual([true, "get_status"]);
    const plain = buildEntry(source(), null, "icons/acme.x.svg")!;
    expect([plain.auth.provider, plain.billing, plain.connectedAccount]).toEqual([undefined, false, null]);
  });

  it("takes versions from CHANGELOG headings before anything is published, marking major bumps breaking", () => {
    const entry = buildEntry(source(), null, "icons/acme.x.svg")!;
    expect(integrationEntrySchema.parse(entry)).toEqual(entry);
    expect(entry.versions.map((v) => [v.version, v.date, v.breaking, v.source, v.tag])).toEqual([
      ["1.2.0", "2026-05-01", false, "changelog", "acme@1.2.0"],
      ["1.0.0", "2026-01-01", true, "changelog", "acme@1.0.0"],
      ["0.3.0", "2025-12-01", false, "changelog", "acme@0.3.0"],
    ]);
    expect(entry.latestVersion).toBe("1.2.0");
    expect(entry.install).toBe("acme@^1");
    expect(entry.versions[0]!.changelog).toBe("- Faster.");
  });

  it("adds the manifest's version when the CHANGELOG lacks it", () => {
    const entry = buildEntry(source({ changelog: null }), null, "i")!;
    expect(entry.versions).toEqual([{ version: "1.2.0", tag: "acme@1.2.0", changelog: "", source: "manifest", breaking: false }]);
  });

  it("uses the registry's versions once published: newest installable is latest, all yanked means yanked", () => {
    const index: IntegrationIndex = { format: 1, slug: "acme", latest: "1.0.0", versions: { "1.0.0": record("1.0.0"), "1.2.0": record("1.2.0", true) } };
    const entry = buildEntry(source(), index, "i")!;
    expect(entry.versions.map((v) => [v.version, v.source, Boolean(v.yanked), v.contentDigest])).toEqual([
      ["1.2.0", "registry", true, "c".repeat(64)],
      ["1.0.0", "registry", false, "c".repeat(64)],
    ]);
    expect(entry.latestVersion).toBe("1.0.0");
    expect(entry.yanked).toBe(false);
    const allYanked = buildEntry(source(), { ...index, versions: { "1.2.0": record("1.2.0", true) } }, "i")!;
    expect([allYanked.yanked, allYanked.latestVersion]).toEqual([true, "1.2.0"]);
  });

  it("leaves private integrations out and never carries a credential default", () => {
    const m = sampleManifest({ slug: "acme", visibility: "private" });
    expect(buildEntry(source({}, m), null, "i")).toBeNull();
    const withDefault = sampleManifest({ slug: "acme" });
    (withDefault.auth.fields as { properties: Record<string, Record<string, unknown>> }).properties.apiKey!.default = "sk_live_leak";
    expect(JSON.stringify(buildEntry(source({}, withDefault), null, "i"))).not.toContain("sk_live_leak");
  });

  it("takes a handler's example from a passing test case, else from its schema", () => {
    const tests = [
      { name: "fails", handler: "get_status", input: { deviceId: "bad" }, expect: { error: { code: "E" } } },
      { name: "ok", handler: "get_status", input: { deviceId: "d1" }, expect: { output: { online: true } } },
    ];
    const entry = buildEntry(source({ tests }), null, "i")!;
    expect(entry.handlers.find((h) => h.name === "get_status")!.example).toEqual({ source: "test", input: { deviceId: "d1" }, output: { online: true } });
    const fromSchema = buildEntry(source(), null, "i")!;
    expect(fromSchema.handlers.find((h) => h.name === "get_status")!.example).toEqual({ source: "schema", input: { deviceId: "dev-42" }, output: undefined });
  });
});

describe("caretRange and listing order", () => {
  it("pins the breaking part of the version", () => {
    expect([caretRange("3.4.5"), caretRange("0.4.5"), caretRange("0.0.3"), caretRange("1.0.0-rc.1")]).toEqual(["^3", "^0.4", "^0.0", "^1"]);
  });

  it("sorts deprecated and yanked entries last, then by name", () => {
    const make = (slug: string, name: string, extra: object = {}) => ({ ...buildEntry(source({}, sampleManifest({ slug, name })), null, "i")!, ...extra });
    const list = [make("b", "Beta", { yanked: true }), make("z", "Zulu"), make("a", "Alpha", { deprecated: { message: "old" } }), make("m", "Mike")];
    expect(list.sort(compareEntries).map((e) => e.slug)).toEqual(["m", "z", "a", "b"]);
  });
});
