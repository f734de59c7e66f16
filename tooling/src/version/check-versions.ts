/**
 * `ihub version` without the printing: reads each integration on the base side and at HEAD plus
 * the registry's versions, and plans each one (plan-version.ts). The base side is either
 * - "merge-base" (a pull request, `--base REF`): the merge base of REF and HEAD, for the
 *   integrations changed since then (git/changed-integrations.ts); or
 * - "release" (`--since-release`, what the pipeline runs on main): for every integration, the
 *   commit of its highest `<slug>@<version>` tag, i.e. the previous release. An integration
 *   without a tag is new to git, and only the registry's floor and immutability apply to it.
 *   On main the merge base with main is HEAD itself, so only release tags say what changed
 *   since the last release; see docs/release.md.
 *
 * HEAD means the working tree: the version gate sees what `ihub bundle` would pack right now,
 * uncommitted edits included, so a contributor gets the verdict before committing. In CI the
 * working tree is the checked-out commit, so both readings agree there.
 */
import semver from "semver";
import type { RegistryLocation } from "@ihub/runtime/registry";
import type { FileSource } from "../bundle/bundle-contents.js";
import { gitFileSource } from "../bundle/git-file-source.js";
import { IhubError } from "../errors.js";
import { changedIntegrations } from "../git/changed-integrations.js";
import { listReleaseTags, type ReleaseTag } from "../git/release-tags.js";
import { headCommit } from "../publish/head-commit.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { listIntegrationDirs } from "../repo/list-integrations.js";
import { progress } from "../report/progress.js";
import { planVersion, type VersionPlan } from "./plan-version.js";
import { readPublishedVersions } from "./read-published.js";
import { readSnapshot } from "./read-snapshot.js";
import type { Side } from "./snapshot.js";

export type VersionBase = { kind: "merge-base"; ref: string } | { kind: "release" };

export type VersionReport = {
  against: VersionBase;
  /** The HEAD commit the working tree sits on. */
  head: string;
  /** The merge-base commit ("merge-base" mode), else null. */
  mergeBase: string | null;
  /** What each plan's base side was read from: a commit id or a release tag; null when there was none. */
  comparedWith: Record<string, string | null>;
  plans: VersionPlan[];
  ok: boolean;
};

type BaseSide = { label: string | null; read(): Promise<Side> };

/** The highest release tag of each slug: the previous release the next one is measured from. */
function latestTags(tags: readonly ReleaseTag[]): Map<string, ReleaseTag> {
  const out = new Map<string, ReleaseTag>();
  for (const t of tags) {
    const prior = out.get(t.slug);
    if (!prior || semver.gt(t.version, prior.version)) out.set(t.slug, t);
  }
  return out;
}

async function baseSides(root: string, against: VersionBase): Promise<{ mergeBase: string | null; sides: Map<string, BaseSide> }> {
  const sides = new Map<string, BaseSide>();
  if (against.kind === "merge-base") {
    const changed = await changedIntegrations(root, { base: against.ref });
    const source = gitFileSource(root, changed.mergeBase);
    for (const slug of changed.slugs) sides.set(slug, { label: changed.mergeBase, read: () => readSnapshot(source, slug) });
    return { mergeBase: changed.mergeBase, sides };
  }
  const latest = latestTags(await listReleaseTags(root));
  const sources = new Map<string, FileSource>(); // one tree walk per tagged commit
  const sourceAt = (commit: string) => sources.get(commit) ?? sources.set(commit, gitFileSource(root, commit)).get(commit)!;
  for (const { slug } of await listIntegrationDirs(root)) {
    const tag = latest.get(slug);
    sides.set(slug, tag ? { label: tag.tag, read: () => readSnapshot(sourceAt(tag.commit), slug) } : { label: null, read: async () => ({ kind: "absent" }) });
  }
  return { mergeBase: null, sides };
}

export async function checkVersions(root: string, opts: { against: VersionBase; registry: RegistryLocation }): Promise<VersionReport> {
  const head = await headCommit(root);
  if (head === null) {
    throw new IhubError("IH_GIT_NO_HEAD", `${root} is not a git repository with at least one commit`, { hint: "The version gate compares commits: run it in a clone of the repository.", exitCode: 2 });
  }
  const { mergeBase, sides } = await baseSides(root, opts.against);
  const atHead = fsFileSource(root);
  const bar = progress("version", sides.size);
  const plans: VersionPlan[] = [];
  const comparedWith: Record<string, string | null> = {};
  for (const [slug, side] of [...sides].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [base, head, published] = await Promise.all([side.read(), readSnapshot(atHead, slug), readPublishedVersions(opts.registry, slug)]);
    plans.push(planVersion({ slug, base, head, published }));
    comparedWith[slug] = side.label;
    bar.tick(slug);
  }
  bar.done();
  return { against: opts.against, head, mergeBase, comparedWith, plans, ok: plans.every((p) => p.sufficient) };
}
