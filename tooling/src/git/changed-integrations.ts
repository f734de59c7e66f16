/**
 * Which integrations a change touches, for `ihub validate --changed` and `ihub version`.
 *
 * `changedIntegrations(root, { base })` compares the merge base of `base` and HEAD with HEAD,
 * plus everything uncommitted (index and working tree), and maps changed paths to integration
 * folders:
 * - `integrations/<slug>/...`           marks `<slug>`;
 * - `integrations/_modules/<name>/...`  marks every integration whose manifest lists `<name>`
 *                                       under dependencies.modules;
 * - `schemas/...`                       marks every integration.
 *
 * Committed changes are found by comparing tree ids level by level (root -> integrations/ ->
 * one entry per integration), so the cost is a handful of tree reads however large the repo is.
 * Uncommitted changes under integrations/ and schemas/ come from worktree-changes.ts (git's own
 * stat-then-hash method), or from isomorphic-git's statusMatrix for index formats it does not read.
 */
import fs from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import git from "./isomorphic-git.js";
import { IhubError } from "../errors.js";
import { listIntegrationDirs } from "../repo/list-integrations.js";
import { INTEGRATIONS_DIR, MANIFEST_FILE, RESERVED_PREFIX, SHARED_MODULES_DIR } from "@ihub/runtime/layout";
import { worktreeChanges } from "./worktree-changes.js";

export const SCHEMAS_DIR = "schemas";

export type ChangeReason =
  | { kind: "committed" }
  | { kind: "uncommitted" }
  | { kind: "module"; module: string }
  | { kind: "schemas" };

export type ChangedIntegrations = {
  /** Folder names of changed integrations, sorted; includes ones deleted since the base. */
  slugs: string[];
  /** Why each slug is in `slugs` (one or more reasons). */
  reasons: Record<string, ChangeReason[]>;
  /** Slugs in `slugs` whose folder no longer exists in the working tree. */
  removed: string[];
  /** The merge-base commit the committed changes are measured from. */
  mergeBase: string;
};

type TreeEntry = { path: string; oid: string; type: string };

async function resolveCommit(dir: string, cache: object, ref: string): Promise<string> {
  let oid: string;
  try {
    oid = await git.resolveRef({ fs, dir, ref });
  } catch {
    try {
      oid = await git.expandOid({ fs, dir, oid: ref, cache });
    } catch {
      throw new IhubError("IH_GIT_REF", `cannot resolve git ref "${ref}"`, { hint: "Pass a branch, tag or commit that exists locally (fetch it first in CI).", exitCode: 2 });
    }
  }
  // Annotated tags point at a tag object; follow them to the commit.
  for (;;) {
    const obj = await git.readObject({ fs, dir, oid, cache });
    if (obj.type === "commit") return oid;
    if (obj.type === "tag") oid = (obj.object as { object: string }).object;
    else throw new IhubError("IH_GIT_REF", `git ref "${ref}" does not name a commit`, { exitCode: 2 });
  }
}

async function treeEntries(dir: string, cache: object, oid: string | undefined): Promise<Map<string, TreeEntry>> {
  if (!oid) return new Map();
  const { tree } = await git.readTree({ fs, dir, oid, cache });
  return new Map(tree.map((e) => [e.path, e]));
}

/** Names of the entries that differ (added, removed or changed) between two trees. */
function differing(a: Map<string, TreeEntry>, b: Map<string, TreeEntry>): string[] {
  const out: string[] = [];
  for (const [name, e] of a) if (b.get(name)?.oid !== e.oid) out.push(name);
  for (const name of b.keys()) if (!a.has(name)) out.push(name);
  return out;
}

type RawChanges = { integrations: Set<string>; modules: Set<string>; schemas: boolean };

/** Classifies a repository path; null for paths outside integrations/ and schemas/. */
function classify(filepath: string, into: RawChanges): void {
  const parts = filepath.split("/");
  if (parts[0] === SCHEMAS_DIR) into.schemas = true;
  else if (parts[0] === INTEGRATIONS_DIR && parts.length > 2) {
    const name = parts[1]!;
    if (name === SHARED_MODULES_DIR) {
      if (parts.length > 3) into.modules.add(parts[2]!);
    } else if (!name.startsWith(RESERVED_PREFIX) && !name.startsWith(".")) into.integrations.add(name);
  }
}

async function committedChanges(dir: string, cache: object, from: string, to: string): Promise<RawChanges> {
  const out: RawChanges = { integrations: new Set(), modules: new Set(), schemas: false };
  if (from === to) return out;
  const [fromCommit, toCommit] = await Promise.all([git.readCommit({ fs, dir, oid: from, cache }), git.readCommit({ fs, dir, oid: to, cache })]);
  const [fromRoot, toRoot] = await Promise.all([treeEntries(dir, cache, fromCommit.commit.tree), treeEntries(dir, cache, toCommit.commit.tree)]);
  if (fromRoot.get(SCHEMAS_DIR)?.oid !== toRoot.get(SCHEMAS_DIR)?.oid) out.schemas = true;
  const a = fromRoot.get(INTEGRATIONS_DIR);
  const b = toRoot.get(INTEGRATIONS_DIR);
  if (a?.oid === b?.oid) return out;
  const [fromInt, toInt] = await Promise.all([treeEntries(dir, cache, a?.oid), treeEntries(dir, cache, b?.oid)]);
  for (const name of differing(fromInt, toInt)) {
    if (name === SHARED_MODULES_DIR) {
      const [fm, tm] = await Promise.all([treeEntries(dir, cache, fromInt.get(name)?.oid), treeEntries(dir, cache, toInt.get(name)?.oid)]);
      for (const mod of differing(fm, tm)) out.modules.add(mod);
    } else {
      // A file directly under integrations/ (e.g. a README) is not an integration.
      const entry = toInt.get(name) ?? fromInt.get(name);
      if (entry?.type === "tree") classify(`${INTEGRATIONS_DIR}/${name}/x`, out);
    }
  }
  return out;
}

async function uncommittedChanges(dir: string, cache: object, head: string): Promise<RawChanges> {
  const out: RawChanges = { integrations: new Set(), modules: new Set(), schemas: false };
  const paths = await worktreeChanges(dir, cache, head, [INTEGRATIONS_DIR, SCHEMAS_DIR]);
  if (paths) {
    for (const filepath of paths) classify(filepath, out);
    return out;
  }
  const rows = await git.statusMatrix({ fs, dir, cache, filepaths: [INTEGRATIONS_DIR, SCHEMAS_DIR] });
  for (const [filepath, head, workdir, stage] of rows) {
    if (head === 1 && workdir === 1 && stage === 1) continue;
    classify(filepath, out);
  }
  return out;
}

async function moduleDependents(root: string, modules: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const dirs = await listIntegrationDirs(root).catch(() => []);
  await Promise.all(
    dirs.map(async (d) => {
      const text = await readFile(path.join(d.dir, MANIFEST_FILE), "utf8").catch(() => null);
      if (text === null) return;
      let deps: unknown;
      try {
        deps = (JSON.parse(text) as { dependencies?: { modules?: unknown } })?.dependencies?.modules;
      } catch {
        return; // an unparsable manifest is validate's finding, not a reason to fail here
      }
      if (!deps || typeof deps !== "object") return;
      const used = Object.keys(deps).filter((m) => modules.has(m));
      if (used.length) out.set(d.slug, used);
    }),
  );
  return out;
}

/**
 * Integrations changed between the merge base of `base` and HEAD, plus uncommitted changes.
 * `root` is the repository's top folder (the one holding .git and integrations/).
 */
export async function changedIntegrations(root: string, opts: { base: string }): Promise<ChangedIntegrations> {
  const cache = {};
  const head = await resolveCommit(root, cache, "HEAD");
  const baseOid = await resolveCommit(root, cache, opts.base);
  const bases = await git.findMergeBase({ fs, dir: root, oids: [baseOid, head], cache });
  const mergeBase = (bases as string[])[0];
  if (!mergeBase) throw new IhubError("IH_GIT_REF", `"${opts.base}" and HEAD have no common ancestor`, { hint: "Fetch enough history for the merge base (e.g. fetch-depth: 0 in CI).", exitCode: 2 });

  const [committed, uncommitted] = await Promise.all([committedChanges(root, cache, mergeBase, head), uncommittedChanges(root, cache, head)]);
  const reasons: Record<string, ChangeReason[]> = {};
  const add = (slug: string, reason: ChangeReason) => (reasons[slug] ??= []).push(reason);
  for (const slug of committed.integrations) add(slug, { kind: "committed" });
  for (const slug of uncommitted.integrations) add(slug, { kind: "uncommitted" });

  const current = new Set((await listIntegrationDirs(root).catch(() => [])).map((d) => d.slug));
  if (committed.schemas || uncommitted.schemas) for (const slug of current) add(slug, { kind: "schemas" });
  const modules = new Set([...committed.modules, ...uncommitted.modules]);
  if (modules.size) {
    for (const [slug, used] of await moduleDependents(root, modules)) for (const module of used) add(slug, { kind: "module", module });
  }
  const slugs = Object.keys(reasons).sort();
  return { slugs, reasons, removed: slugs.filter((s) => !current.has(s)), mergeBase };
}
