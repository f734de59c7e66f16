/** Marks a published version as yanked, with a reason. The bundle stays: existing installs keep working, warned. */
import { IhubError } from "../errors.js";
import { readRecord, rebuildIndexes, withRegistryLock, writeRecord } from "./dir-registry.js";
import type { VersionRecord } from "@ihub/runtime/registry";

export async function yankVersion(dir: string, slug: string, version: string, reason: string, now = new Date()): Promise<{ record: VersionRecord; changed: boolean }> {
  return withRegistryLock(dir, async () => {
    const record = await readRecord(dir, slug, version);
    if (!record) throw new IhubError("IH_YANK_NOT_FOUND", `${slug}@${version} is not published in ${dir}`, { hint: "Check the slug and version (ihub publish lists what it published)." });
    // The first yank's reason and time stand; yanking again changes nothing.
    if (record.yanked) return { record, changed: false };
    const yanked = { ...record, yanked: { reason, at: now.toISOString() } };
    await writeRecord(dir, yanked);
    await rebuildIndexes(dir, [slug], now);
    return { record: yanked, changed: true };
  });
}
