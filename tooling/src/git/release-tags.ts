/**
 * The git side of release tags, through isomorphic-git: list the `<slug>@<version>` tags with
 * the commit and content digest each pins, and create one annotated tag. No decisions here:
 * what to tag is planned in commands/tag/plan-tags.ts.
 */
import fs from "node:fs";
import git, { Errors } from "isomorphic-git";
import { IhubError } from "../errors.js";
import { parseTagDigest, parseTagName } from "../repo/tag-name.js";

export type ReleaseTag = {
  tag: string;
  slug: string;
  version: string;
  /** The commit the tag points at (an annotated tag is peeled). */
  commit: string;
  /** The content digest the annotated tag's message carries; null for a lightweight tag or a message without one. */
  contentDigest: string | null;
};

export type Tagger = { name: string; email: string; timestamp?: number; timezoneOffset?: number };

async function readReleaseTag(root: string, tag: string, cache: object): Promise<ReleaseTag | null> {
  const parsed = parseTagName(tag);
  if (!parsed) return null;
  const oid = await git.resolveRef({ fs, dir: root, ref: `refs/tags/${tag}` });
  const { type } = await git.readObject({ fs, dir: root, oid, format: "parsed", cache });
  if (type === "tag") {
    const { tag: annotated } = await git.readTag({ fs, dir: root, oid, cache });
    return { tag, ...parsed, commit: annotated.object, contentDigest: parseTagDigest(annotated.message) };
  }
  return type === "commit" ? { tag, ...parsed, commit: oid, contentDigest: null } : null;
}

/** Release tags of the repository, peeled to their commits. Tags that are not `<slug>@<semver>` are ignored. */
export async function listReleaseTags(root: string): Promise<ReleaseTag[]> {
  const cache = {};
  const tags: ReleaseTag[] = [];
  for (const tag of await git.listTags({ fs, dir: root })) {
    const release = await readReleaseTag(root, tag, cache);
    if (release) tags.push(release);
  }
  return tags;
}

/**
 * Who signs the tag as tagger: the standard GIT_COMMITTER_* variables, else the repository's
 * user.name/user.email, else a fixed identity so a fresh clone on a machine without git config
 * can still run the pipeline (isomorphic-git reads no global config).
 */
export async function taggerIdentity(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Tagger> {
  const config = async (path: string) => ((await git.getConfig({ fs, dir: root, path }).catch(() => undefined)) as string | undefined) || undefined;
  return {
    name: env.GIT_COMMITTER_NAME || (await config("user.name")) || "ihub",
    email: env.GIT_COMMITTER_EMAIL || (await config("user.email")) || "ihub@localhost",
  };
}

/**
 * Creates the annotated tag, never moving an existing one. Returns the tag as it now is: when a
 * concurrent run created the same name first, that run's tag, for the caller to compare.
 */
export async function createReleaseTag(root: string, opts: { tag: string; commit: string; message: string; tagger: Tagger }): Promise<{ created: boolean; tag: ReleaseTag }> {
  let created = true;
  try {
    await git.annotatedTag({ fs, dir: root, ref: opts.tag, object: opts.commit, message: opts.message, tagger: opts.tagger, force: false });
  } catch (error) {
    if (!(error instanceof Errors.AlreadyExistsError)) {
      throw new IhubError("IH_TAG_WRITE_FAILED", `cannot create tag ${opts.tag}: ${(error as Error).message}`, { hint: "Check that .git is writable.", cause: error });
    }
    created = false;
  }
  const tag = await readReleaseTag(root, opts.tag, {});
  if (!tag) throw new IhubError("IH_TAG_WRITE_FAILED", `tag ${opts.tag} does not point at a commit`, { hint: "Delete the stray tag by hand, then tag again." });
  return { created, tag };
}
