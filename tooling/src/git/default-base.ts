/** The base ref the version gate compares with when `--base` is not given. */
import fs from "node:fs";
import git from "isomorphic-git";
import { UsageError } from "../errors.js";

/** Tried in order: CI checkouts usually have only the remote-tracking branch, local clones the branch. */
export const DEFAULT_BASE_REFS = ["origin/main", "main", "origin/master", "master"] as const;

export async function defaultBaseRef(root: string): Promise<string> {
  for (const ref of DEFAULT_BASE_REFS) {
    if (await git.resolveRef({ fs, dir: root, ref }).then(() => true, () => false)) return ref;
  }
  throw new UsageError(`none of ${DEFAULT_BASE_REFS.join(", ")} exists in this repository`, "Pass --base REF with the branch, tag or commit to compare with.");
}
