/**
 * What the GitHub Release of a `<slug>@<version>` tag is made of, read from the directory
 * registry the pipeline published to: the bundle (checked against its record's integrity), its
 * version record with the signature, and the body, which is that version's CHANGELOG section as
 * the bundle itself carries it, so the release says what was published rather than what the
 * repository says today. A version the registry does not hold has no release yet.
 */
import { readFile } from "node:fs/promises";
import semver from "semver";
import { BUNDLE_DOCS } from "@ihub/runtime/layout";
import { integrityMatches, readArchive } from "@ihub/runtime/registry";
import { parseChangelog } from "../catalog/changelog.js";
import { IhubError } from "../errors.js";
import { readRecord, registryPaths } from "../publish/dir-registry.js";

export type ReleaseAsset = { name: string; contentType: string; bytes: Uint8Array };
export type ReleaseMaterial = { tag: string; name: string; body: string; prerelease: boolean; assets: ReleaseAsset[] };

const CHANGELOG = BUNDLE_DOCS[1];

/** The asset names of a version: `<slug>-<version>.tgz` and its signed record; GitHub allows no `@` in them. */
export const assetNames = (slug: string, version: string) => ({ bundle: `${slug}-${version}.tgz`, record: `${slug}-${version}.record.json` });

export async function readReleaseMaterial(registryDir: string, slug: string, version: string): Promise<ReleaseMaterial> {
  const tag = `${slug}@${version}`;
  const record = await readRecord(registryDir, slug, version);
  const hint = "Publish it first: `ihub publish --reconcile` publishes every tagged version the registry lacks; the release follows on the next run.";
  if (!record) throw new IhubError("IH_RELEASE_NOT_PUBLISHED", `${tag} is tagged but not in the registry ${registryDir}`, { hint });
  const bytes = await readFile(registryPaths(registryDir).bundle(slug, version)).catch(() => null);
  if (!bytes || !integrityMatches(bytes, record.integrity)) {
    throw new IhubError("IH_RELEASE_NOT_PUBLISHED", `${tag}: the registry's bundle is ${bytes ? "not the one its record signs" : "missing"}`, { hint });
  }
  const changelog = (await readArchive(bytes)).find((f) => f.path === CHANGELOG);
  const entry = changelog ? parseChangelog(changelog.bytes.toString("utf8")).find((e) => e.version === version) : undefined;
  const names = assetNames(slug, version);
  return {
    tag,
    name: `${record.manifest.name} ${version}`,
    body: entry?.body || `No ${CHANGELOG} entry for ${version}.`,
    prerelease: semver.prerelease(version) !== null,
    assets: [
      { name: names.bundle, contentType: "application/gzip", bytes },
      { name: names.record, contentType: "application/json", bytes: await readFile(registryPaths(registryDir).record(slug, version)) },
    ],
  };
}
