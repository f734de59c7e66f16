import { describe, expect, it } from "vitest";
import { REGISTRY_FORMAT, type VersionRecord } from "@ihub/runtime/registry";
import { buildIntegrationIndex, buildRegistryIndex, latestVersion } from "./build-indexes.js";

const record = (version: string, extra: Partial<VersionRecord> = {}): VersionRecord => ({
  format: REGISTRY_FORMAT,
  slug: "weather",
  version,
  integrity: { sha256: `sha256-${"A".repeat(43)}=`, sha512: `sha512-${"A".repeat(86)}==` },
  signature: { algorithm: "ed25519", keyId: "ed25519:x", value: "c2ln" },
  size: 1,
  contentDigest: "0".repeat(64),
  tag: `weather@${version}`,
  commit: null,
  publishedAt: "2026-01-01T00:00:00.000Z",
  manifest: { name: `Weather ${version}`, description: "d", trustTier: "community", visibility: "public", deprecated: false },
  ...extra,
});
const yanked = { reason: "broken", at: "2026-02-01T00:00:00.000Z" };

describe("index building", () => {
  it("latest is the highest stable, non-yanked version", () => {
    expect(latestVersion([record("1.0.0"), record("1.10.0"), record("1.9.0")])).toBe("1.10.0");
    expect(latestVersion([record("1.0.0"), record("2.0.0-rc.1")])).toBe("1.0.0");
    expect(latestVersion([record("1.0.0"), record("1.1.0", { yanked })])).toBe("1.0.0");
    expect(latestVersion([record("2.0.0-rc.1"), record("2.0.0-rc.2")])).toBe("2.0.0-rc.2");
    expect(latestVersion([record("1.0.0", { yanked })])).toBeNull();
  });

  it("lists every record by version, in semver order", () => {
    const index = buildIntegrationIndex("weather", [record("1.10.0"), record("1.2.0"), record("1.9.0")]);
    expect(Object.keys(index.versions)).toEqual(["1.2.0", "1.9.0", "1.10.0"]);
    expect(index.latest).toBe("1.10.0");
  });

  it("describes each integration by its latest version and counts every version", () => {
    const idx = buildRegistryIndex(
      [buildIntegrationIndex("weather", [record("1.0.0"), record("2.0.0", { yanked })]), buildIntegrationIndex("empty", [])],
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(idx.integrations.weather).toMatchObject({ latest: "1.0.0", name: "Weather 1.0.0", versions: 2, updatedAt: yanked.at });
    expect(idx.integrations.empty).toBeUndefined();
  });
});
