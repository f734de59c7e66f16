/**
 * The directory registry (layout in runtime/src/registry/registry-schema.ts). Every change runs
 * under one lock on the registry folder, writes through temp file + rename, and ends by
 * rebuilding the indexes from the records, so concurrent publishers serialise and lose nothing.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import type { z } from "zod";
import { type IntegrationIndex, integrationIndexSchema, REGISTRY_FORMAT, registryFiles, type RegistryKeys, registryKeysSchema, type VersionRecord, versionRecordSchema } from "@ihub/runtime/registry";
import { toPointer } from "@ihub/runtime/json";
import { IhubError } from "../errors.js";
import { buildIntegrationIndex, buildRegistryIndex } from "./build-indexes.js";
import { jsonText, writeFileAtomic } from "./atomic-write.js";

export const LOCK_FILE = ".publish.lock";

/** The registry layout's files as paths below `dir`. */
export const registryPaths = (dir: string) => {
  const at = (rel: string) => path.join(dir, ...rel.split("/"));
  return {
    index: at(registryFiles.index),
    keys: at(registryFiles.keys),
    slugIndex: (slug: string) => at(registryFiles.slugIndex(slug)),
    bundle: (slug: string, version: string) => at(registryFiles.bundle(slug, version)),
    records: (slug: string) => at(registryFiles.records(slug)),
    record: (slug: string, version: string) => at(registryFiles.record(slug, version)),
  };
};

/** Runs `fn` holding the registry lock. Waits (with backoff) for other publishers; a lock left by a crashed one goes stale. */
export async function withRegistryLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, LOCK_FILE),
      stale: 15_000,
      retries: { retries: 400, factor: 1.2, minTimeout: 10, maxTimeout: 100, randomize: true },
    });
  } catch (cause) {
    throw new IhubError("IH_REGISTRY_LOCKED", `could not lock registry ${dir}`, {
      hint: `Another publisher holds ${LOCK_FILE}; retry, or remove it if no publisher is running.`,
      cause,
    });
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function readDocument<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IhubError("IH_REGISTRY_CORRUPT", `${file} is not valid JSON`, { location: { file }, hint: "Restore it from the records or backups, then run `ihub publish --reconcile`.", cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new IhubError("IH_REGISTRY_CORRUPT", `${file}: ${issue.message}`, {
      location: { file, pointer: toPointer(issue.path) },
      hint: "Restore it from backups, then run `ihub publish --reconcile`.",
    });
  }
  return parsed.data;
}

export function readRecord(dir: string, slug: string, version: string): Promise<VersionRecord | null> {
  return readDocument(registryPaths(dir).record(slug, version), versionRecordSchema);
}

export async function readRecords(dir: string, slug: string): Promise<VersionRecord[]> {
  const files = await readdir(registryPaths(dir).records(slug)).catch(() => [] as string[]);
  const records: VersionRecord[] = [];
  for (const f of files.filter((f) => f.endsWith(".json") && !f.startsWith("."))) {
    const record = await readDocument(path.join(registryPaths(dir).records(slug), f), versionRecordSchema);
    if (record && record.slug === slug && `${record.version}.json` === f) records.push(record);
    else if (record) throw new IhubError("IH_REGISTRY_CORRUPT", `${slug}/records/${f} holds ${record.slug}@${record.version}`, { location: { file: f }, hint: "A record's file name must be its version, inside its slug's folder." });
  }
  return records;
}

/** Slugs that have a records folder: the source of truth, whatever the indexes say. */
export async function listRegistrySlugs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const slugs: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith(".") && (await readdir(registryPaths(dir).records(e.name)).catch(() => null))) slugs.push(e.name);
  }
  return slugs.sort();
}

export async function writeRecord(dir: string, record: VersionRecord): Promise<void> {
  await writeFileAtomic(registryPaths(dir).record(record.slug, record.version), jsonText(versionRecordSchema.parse(record)));
}

/** Rebuilds `<slug>/index.json` for the given slugs, then the top-level index from every slug's index. Call under the lock. */
export async function rebuildIndexes(dir: string, touched: Iterable<string>, now = new Date()): Promise<void> {
  const p = registryPaths(dir);
  for (const slug of new Set(touched)) {
    await writeFileAtomic(p.slugIndex(slug), jsonText(buildIntegrationIndex(slug, await readRecords(dir, slug))));
  }
  const indexes: IntegrationIndex[] = [];
  for (const slug of await listRegistrySlugs(dir)) {
    // An index that is missing or stale against its records is repaired here rather than trusted.
    let index = await readDocument(p.slugIndex(slug), integrationIndexSchema).catch(() => null);
    if (!index || index.slug !== slug) {
      index = buildIntegrationIndex(slug, await readRecords(dir, slug));
      await writeFileAtomic(p.slugIndex(slug), jsonText(index));
    }
    indexes.push(index);
  }
  await writeFileAtomic(p.index, jsonText(buildRegistryIndex(indexes, now)));
}

export function readKeys(dir: string): Promise<RegistryKeys | null> {
  return readDocument(registryPaths(dir).keys, registryKeysSchema);
}

/** Adds the publisher's public key to keys.json (once). Call under the lock. */
export async function ensureKey(dir: string, key: RegistryKeys["keys"][number]): Promise<void> {
  const keys = (await readKeys(dir)) ?? { format: REGISTRY_FORMAT, keys: [] };
  if (keys.keys.some((k) => k.keyId === key.keyId)) return;
  keys.keys.push(key);
  await writeFileAtomic(registryPaths(dir).keys, jsonText(keys));
}
