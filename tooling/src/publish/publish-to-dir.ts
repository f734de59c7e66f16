/** Publishes signed bundles into a directory registry: bundle first, then its record, then the indexes. */
import { mkdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { type Integrity, integrityMatches, type RegistryKeys, type VersionRecord } from "@ihub/runtime/registry";
import { writeFileAtomic } from "./atomic-write.js";
import { ensureKey, readRecord, rebuildIndexes, registryPaths, withRegistryLock, writeRecord } from "./dir-registry.js";

/**
 * A bundle to publish: its bytes in memory (a local publish), or a file staged beside the registry
 * whose bytes were checked against the record as they arrived (registry/publish-body.ts).
 */
export type PublishItem = { record: VersionRecord; bytes: Uint8Array } | { record: VersionRecord; file: string };

/** Whether the item's bytes carry `integrity`; a staged file's were checked against its own record. */
function carries(item: PublishItem, integrity: Integrity): boolean {
  if ("bytes" in item) return integrityMatches(item.bytes, integrity);
  return item.record.integrity.sha256 === integrity.sha256 && item.record.integrity.sha512 === integrity.sha512;
}

/** Puts the bundle at `file` whole: written beside it and renamed, or a staged file renamed into place. */
async function placeBundle(item: PublishItem, file: string): Promise<void> {
  if ("bytes" in item) return writeFileAtomic(file, item.bytes);
  await mkdir(path.dirname(file), { recursive: true });
  await rename(item.file, file);
}

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
  const { record } = item;
  const bundleFile = registryPaths(dir).bundle(record.slug, record.version);
  const existing = await readRecord(dir, record.slug, record.version);
  if (!existing) {
    await placeBundle(item, bundleFile);
    await writeRecord(dir, record);
    return { status: "published", record };
  }
  if (existing.contentDigest !== record.contentDigest) return { status: "conflict", record, existing };

  const repaired: string[] = [];
  // The same content may have been packed by another zlib; the registry keeps the bytes its record signs.
  if (!(await bundleIntact(bundleFile, existing)) && carries(item, existing.integrity)) {
    await placeBundle(item, bundleFile);
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
