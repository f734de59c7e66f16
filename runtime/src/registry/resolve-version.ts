/** Picking a version for `slug@range`: pure, so every rule is tested without a registry. */
import semver from "semver";
import { SLUG_PATTERN } from "../manifest/manifest-schema.js";
import { RegistryError } from "./registry-error.js";

export type VersionSpec = { slug: string; range: string };
export type Candidate = { version: string; yanked?: { reason: string } | undefined };
export type Choice = { version: string; warnings: string[] };

/** `slug`, `slug@1.2.3`, `slug@^1`, `slug@>=1.0.0 <2`. No range means any stable version. */
export function parseVersionSpec(spec: string): VersionSpec {
  const at = spec.indexOf("@");
  const slug = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? "*" : spec.slice(at + 1).trim() || "*";
  if (!new RegExp(SLUG_PATTERN).test(slug)) throw new RegistryError("REG_BAD_SPEC", `${JSON.stringify(spec)} does not start with a valid slug`, { hint: "Write slug@range, e.g. weather@^1.2." });
  if (semver.validRange(range) === null) throw new RegistryError("REG_BAD_SPEC", `${JSON.stringify(range)} is not a semver range`, { hint: "For example 1.2.3, ^1.2, ~1.2.0 or >=1 <2." });
  return { slug, range };
}

/**
 * The versions `spec` may resolve to, best first: satisfying and not yanked, highest first.
 * Prereleases only match when the range names a prerelease of the same major.minor.patch
 * (semver's own rule). A yanked version is only offered when pinned exactly and the caller
 * allows it explicitly. The caller takes the first it trusts, so a newer version signed by a
 * stranger does not block the ones before it.
 */
export function installableVersions(spec: VersionSpec, candidates: readonly Candidate[], opts: { allowYanked?: boolean } = {}): Choice[] {
  const matching = candidates.filter((c) => semver.valid(c.version) && semver.satisfies(c.version, spec.range)).sort((a, b) => semver.rcompare(a.version, b.version));
  const live = matching.filter((c) => !c.yanked);
  if (live.length) return live.map((c) => ({ version: c.version, warnings: [] }));
  const yanked = matching[0];
  if (!yanked) {
    throw new RegistryError("REG_NO_MATCH", `no version of ${spec.slug} satisfies ${spec.range}`, {
      hint: candidates.length ? `Published: ${candidates.map((c) => c.version).join(", ")}.` : `${spec.slug} has no published version.`,
    });
  }
  const pinned = semver.valid(spec.range) !== null;
  if (pinned && opts.allowYanked) return [{ version: yanked.version, warnings: [`${spec.slug}@${yanked.version} is yanked: ${yanked.yanked!.reason}`] }];
  throw new RegistryError("REG_YANKED", `${spec.slug}@${yanked.version} is yanked (${yanked.yanked!.reason}) and no other version satisfies ${spec.range}`, {
    hint: "Pick a newer version, or pin the exact version and allow yanked versions explicitly.",
  });
}
