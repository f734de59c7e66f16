import fs from "node:fs";
import git from "isomorphic-git";

/** The commit a publish records: HEAD of the repository, or null outside a git repository. */
export async function headCommit(root: string): Promise<string | null> {
  return git.resolveRef({ fs, dir: root, ref: "HEAD" }).catch(() => null);
}
