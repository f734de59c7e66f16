/**
 * `ihub version` without the printing: finds the integrations changed since the merge base,
 * reads each at the merge base (its commit tree) and at HEAD, reads the registry's versions, and
 * plans each one.
 *
 * HEAD means the working tree: the version gate sees what `ihub bundle` would pack right now,
 * uncommitted edits included, so a contributor gets the verdict before committing. In CI the
 * working tree is the checked-out commit, so both readings agree there.
 */
import type { RegistryLocation } from "../../../runtime/src/registry/registry-location.js";
import { gitFileSource } from "../bundle/git-file-source.js";
import { IhubError } from "../errors.js";
import { changedIntegrations } from "../git/changed-integrations.js";
import { headCommit } from "../publish/head-commit.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { progress } from "../report/progress.js";
import { planVersion, type VersionPlan } from "./plan-version.js";
import { readPublishedVersions } from "./read-published.js";
import { readSnapshot } from "./read-snapshot.js";

export type VersionReport = {
  base: string;
  mergeBase: string;
  plans: VersionPlan[];
  ok: boolean;
};

export async function checkVersions(root: string, opts: { base: string; registry: RegistryLocation }): Promise<VersionReport> {
  if ((await headCommit(root)) === null) {
    throw new IhubError("IH_GIT_NO_HEAD", `${root} is not a git repository with at least one commit`, { hint: "The version gate compares commits: run it in a clone of the repository.", exitCode: 2 });
  }
  const changed = await changedIntegrations(root, { base: opts.base });
  const atBase = gitFileSource(root, changed.mergeBase);
  const atHead = fsFileSource(root);
  const bar = progress("version", changed.slugs.length);
  const plans: VersionPlan[] = [];
  for (const slug of changed.slugs) {
    const [base, head, published] = await Promise.all([readSnapshot(atBase, slug), readSnapshot(atHead, slug), readPublishedVersions(opts.registry, slug)]);
    plans.push(planVersion({ slug, base, head, published }));
    bar.tick(slug);
  }
  bar.done();
  return { base: opts.base, mergeBase: changed.mergeBase, plans, ok: plans.every((p) => p.sufficient) };
}
