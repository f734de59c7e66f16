/**
 * One GitHub Release per `<slug>@<version>` tag, made idempotent by looking before writing: the
 * releases are listed once, a tag without one gets it, a release without all its assets gets the
 * missing ones, and a complete release is left alone. Every tag is judged on every run, so one
 * that failed (GitHub down, the version not yet published) is finished on the next run, without
 * a version bump. A failure of one tag is reported with it and does not stop the others.
 */
import type { ReleaseTag } from "../git/release-tags.js";
import type { GitHubRelease, GitHubReleases } from "../github/github-releases.js";
import { IhubError } from "../errors.js";
import { assetNames, readReleaseMaterial } from "./release-material.js";

export type ReleaseOutcome =
  | { tag: string; status: "created" | "completed"; url: string; uploaded: string[] }
  | { tag: string; status: "unchanged"; url: string }
  | { tag: string; status: "failed"; error: ReturnType<IhubError["toJSON"]> };

/** What a tag still needs, from what GitHub holds: pure, so the decision is tested without a server. */
export function planRelease(existing: GitHubRelease | undefined, assets: readonly string[]): { create: boolean; upload: string[] } {
  return { create: !existing, upload: assets.filter((name) => !existing?.assets.includes(name)) };
}

async function syncOne(github: GitHubReleases, registryDir: string, tag: ReleaseTag, existing: GitHubRelease | undefined): Promise<ReleaseOutcome> {
  const plan = planRelease(existing, Object.values(assetNames(tag.slug, tag.version)));
  // A complete release costs no read of the registry: only the names were needed to judge it.
  if (!plan.create && !plan.upload.length) return { tag: tag.tag, status: "unchanged", url: existing!.url };
  const material = await readReleaseMaterial(registryDir, tag.slug, tag.version);
  const { release, created } = existing ? { release: existing, created: false } : await github.create(material);
  const uploaded: string[] = [];
  for (const asset of material.assets) {
    // A release another run created meanwhile may already hold some assets, or get them while this one uploads.
    if (!plan.upload.includes(asset.name) || release.assets.includes(asset.name)) continue;
    if (await github.upload(release, asset)) uploaded.push(asset.name);
  }
  return { tag: tag.tag, status: created ? "created" : "completed", url: release.url, uploaded };
}

export async function syncReleases(github: GitHubReleases, registryDir: string, tags: readonly ReleaseTag[], progress?: (tag: string) => void): Promise<ReleaseOutcome[]> {
  if (!tags.length) return [];
  const releases = await github.list();
  const outcomes: ReleaseOutcome[] = [];
  for (const tag of tags) {
    progress?.(tag.tag);
    try {
      outcomes.push(await syncOne(github, registryDir, tag, releases.get(tag.tag)));
    } catch (error) {
      if (!(error instanceof IhubError)) throw error;
      outcomes.push({ tag: tag.tag, status: "failed", error: error.toJSON() });
    }
  }
  return outcomes;
}
