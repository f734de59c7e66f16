/** Publishes signed bundles into a directory registry: bundle first, then its record, then the indexes. */
import { readFile } from "node:fs/promises";
import { integrityMatches, type RegistryKeys, type VersionRecord } from "@ihub/runtime/registry";
import { writeFileAtomic } from "./atomic-write.js";
import { ensureKey, readRecord, rebuildIndexes, registryPaths, withRegistryLock, writeRecord } from "./dir-registry.js";

export type PublishItem = { record: VersionRecord; bytes: Uint8Array };

export type PublishOutcome =
  | { status: "published"; record: VersionRecord }
  /** Same version, same content digest: nothing to do (a missing bundle file or OCI digest is filled in). */
  | { status: "unchanged"; record: VersionRecord; repaired: string[] }
  /** Same version, different content: published versions are immutable. */
  | { status: "conflict"; record: VersionRecord; existing: VersionRecord };

async function bundleIntact(file: string, record: VersionRecord): Promise<boolean> {
  const bytes = await readFile(file).catch(() => null);
  return bytes !== null && integrityMatches(bytes, record.integrity);
}

async function publishOne(dir: string, item: PublishItem): Promise<PublishOutcome> {
  const { record, bytes } = item;
  const bundleFile = registryPaths(dir).bundle(record.slug, record.version);
  const existing = await readRecord(dir, record.slug, record.version);
  if (!existing) {
    await writeFileAtomic(bundleFile, bytes);
    await writeRecord(dir, record);
    return { status: "published", record };
  }
  if (existing.contentDigest !== record.contentDigest) return { status: "conflict", record, existing };

  const repaired: string[] = [];
  // The same content may have been packed by another zlib; the registry keeps the bytes its record signs.
  if (!(await bundleIntact(bundleFile, existing)) && integrityMatches(bytes, existing.integrity)) {
    await writeFileAtomic(bundleFile, bytes);
    repaired.push("bundle");
  }
  if (record.ociDigest && !existing.ociDigest) {
    await writeRecord(dir, { ...existing, ociDigest: record.ociDigest });
    repaired.push("ociDigest");
  }
  return { status: "unchanged", record: existing, repaired };
}

/** `keys` are the keys.json entries of the keys that signed `items`. */
export async function publishToDir(dir: string, items: readonly PublishItem[], keys: RegistryKeys["keys"]): Promise<PublishOutcome[]> {
  return withRegistryLock(dir, async () => {
    for (const key of keys) await ensureKey(dir, key);
    const outcomes: PublishOutcome[] = [];
    for (const item of items) outcomes.push(await publishOne(dir, item));
    await rebuildIndexes(dir, items.map((i) => i.record.slug));
    return outcomes;
  });
}
