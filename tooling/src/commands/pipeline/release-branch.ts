/**
 * Whether this pipeline run may release (tag, bundle, publish, build the catalog): only on the
 * release branch, `main` unless `--release-branch` or IHUB_RELEASE_BRANCH names another. The
 * branch is git's current branch; a detached HEAD (how CI checks out a tag, a pull request's
 * merge commit or a given sha) falls back to GITHUB_REF_NAME, the branch or ref the Actions run
 * is for. Anything else runs the gates only and says why.
 */
import fs from "node:fs";
import git from "../../git/isomorphic-git.js";

export const DEFAULT_RELEASE_BRANCH = "main";
export const RELEASE_BRANCH_ENV = "IHUB_RELEASE_BRANCH";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the run is: git's branch (null when HEAD is detached or there is no repository), and the CI's ref name. */
export type Checkout = { branch: string | null; ciRef: string | null };

export type ReleaseGuard = { releaseBranch: string; branch: string | null; release: boolean; reason: string | null };

/** The decision, from the checkout alone: pure, so every case is tested without a repository. */
export function judgeRelease(checkout: Checkout, releaseBranch: string): ReleaseGuard {
  const branch = checkout.branch ?? checkout.ciRef;
  const source = checkout.branch ? "branch" : "GITHUB_REF_NAME";
  if (branch === releaseBranch) return { releaseBranch, branch, release: true, reason: null };
  const where = branch === null ? "no branch is checked out (a detached HEAD, or no git repository) and GITHUB_REF_NAME is not set" : `on ${source} ${branch}, not ${releaseBranch}`;
  return { releaseBranch, branch, release: false, reason: `${where}: tag, bundle, publish and catalog run only on the release branch` };
}

export async function readCheckout(root: string, env: Env): Promise<Checkout> {
  const branch = await git.currentBranch({ fs, dir: root, fullname: false }).catch(() => undefined);
  return { branch: branch ?? null, ciRef: env.GITHUB_REF_NAME || null };
}

/** `--release-branch` as given, else IHUB_RELEASE_BRANCH, else main. */
export function releaseBranchOf(given: unknown, env: Env): string {
  return typeof given === "string" && given ? given : env[RELEASE_BRANCH_ENV] || DEFAULT_RELEASE_BRANCH;
}
