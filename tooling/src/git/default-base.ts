/**
 * `--base`, the same in every verb that compares with a base (validate --changed, test --changed,
 * version): one option, one help text, one default.
 */
import fs from "node:fs";
import { Option } from "commander";
import { UsageError } from "../errors.js";

/** Tried in order: CI checkouts usually have only the remote-tracking branch, local clones the branch. */
export const DEFAULT_BASE_REFS = ["origin/main", "main", "origin/master", "master"] as const;

export function baseOption(): Option {
  return new Option("--base <ref>", `branch, tag or commit to compare with, via its merge base with HEAD (default: the first of ${DEFAULT_BASE_REFS.join(", ")} that exists)`);
}

/** `--base` as given, else the first of DEFAULT_BASE_REFS the repository has. */
export async function resolveBase(root: string, given: unknown): Promise<string> {
  if (typeof given === "string") return given;
  // isomorphic-git is loaded only when a base is needed: `ihub --help` and `validate <one>` do not pay for it.
  const { default: git } = await import("isomorphic-git");
  for (const ref of DEFAULT_BASE_REFS) {
    if (await git.resolveRef({ fs, dir: root, ref }).then(() => true, () => false)) return ref;
  }
  throw new UsageError(`none of ${DEFAULT_BASE_REFS.join(", ")} exists in this repository`, "Pass --base REF with the branch, tag or commit to compare with.");
}
