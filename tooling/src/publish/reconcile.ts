/**
 * `ihub publish --reconcile`: the repository's `<slug>@<version>` tags are the truth. Every
 * tagged version is rebuilt from its tagged commit and published where it is missing (bundle,
 * record or OCI tag), and every index is rebuilt from the records, so a publish that failed
 * half-way is repaired without a version bump.
 */
import { stat } from "node:fs/promises";
import { readIntegrationIndex, type RegistryLocation } from "@ihub/runtime/registry";
import { gitFileSource } from "../bundle/git-file-source.js";
import { buildSignedBundles } from "../bundle/sign-built.js";
import { listReleaseTags } from "../git/release-tags.js";
import type { SigningKey } from "../signing/signing-key.js";
import { listRegistrySlugs, readRecords, rebuildIndexes, registryPaths, withRegistryLock } from "./dir-registry.js";
import { publishBundles, type PublishOptions, type PublishResult } from "./publish-bundles.js";

const exists = (file: string) => stat(file).then(() => true, () => false);

/** Slugs whose index.json is missing or lists other versions than the records hold. */
async function staleIndexes(dir: string): Promise<string[]> {
  const stale: string[] = [];
  for (const slug of await listRegistrySlugs(dir)) {
    const records = (await readRecords(dir, slug)).map((r) => r.version).sort();
    // An index that is missing or unreadable in any way is stale: it is rebuilt from the records.
    const read = await readIntegrationIndex({ dir }, slug);
    const listed = read.ok ? Object.keys(read.index.versions).sort() : null;
    if (JSON.stringify(listed) !== JSON.stringify(records)) stale.push(slug);
  }
  return stale;
}

export async function reconcile(
  root: string,
  slugs: readonly string[],
  targets: readonly RegistryLocation[],
  key: SigningKey,
  opts: Omit<PublishOptions, "commit"> = {},
): Promise<{ results: PublishResult[]; repairs: string[]; conflicts: number }> {
  const tags = (await listReleaseTags(root)).filter((t) => !slugs.length || slugs.includes(t.slug));
  const results: PublishResult[] = [];
  const repairs: string[] = [];
  let conflicts = 0;
  // Looked at before publishing, which rebuilds the indexes it touches and would hide the damage.
  const dirs = targets.flatMap((t) => (t.kind === "dir" ? [t.dir] : []));
  const damaged = new Map<string, { stale: string[]; topMissing: boolean }>();
  for (const dir of dirs) damaged.set(dir, { stale: await staleIndexes(dir), topMissing: !(await exists(registryPaths(dir).index)) });

  for (const tag of tags) {
    const { bundles, failures } = await buildSignedBundles(root, [tag.slug], key, gitFileSource(root, tag.commit));
    const bundle = bundles[0];
    if (!bundle) {
      conflicts++;
      repairs.push(`${tag.tag}: cannot rebuild from ${tag.commit.slice(0, 7)}: ${failures[0]?.error.message}`);
      continue;
    }
    if (bundle.version !== tag.version || (tag.contentDigest && tag.contentDigest !== bundle.contentDigest)) {
      conflicts++;
      repairs.push(`${tag.tag}: the tagged tree builds ${bundle.slug}@${bundle.version} with content ${bundle.contentDigest}, the tag says ${tag.version} / ${tag.contentDigest}`);
      continue;
    }
    for (const r of await publishBundles([bundle], targets, key, { commit: tag.commit, ...opts })) {
      results.push(r);
      if (r.status === "conflict") conflicts++;
      if (r.status === "published") repairs.push(`${tag.tag}: published to ${r.target} (was missing)`);
      if (r.status === "unchanged" && r.detail) repairs.push(`${tag.tag}: ${r.detail} in ${r.target}`);
    }
  }

  for (const dir of dirs) {
    const before = damaged.get(dir)!;
    await withRegistryLock(dir, async () => rebuildIndexes(dir, new Set([...before.stale, ...(await staleIndexes(dir))])));
    for (const slug of before.stale) repairs.push(`${slug}/index.json rebuilt from its records in ${dir}`);
    if (before.topMissing) repairs.push(`index.json rebuilt in ${dir}`);
  }
  return { results, repairs, conflicts };
}
