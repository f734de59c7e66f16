/**
 * What `ihub tag` does for each integration, as a pure function of what the repository holds:
 * no disk and no git here, so every case is tested with plain data.
 *
 * Tags are immutable: `<slug>@<version>` is created once, at the commit whose tree holds that
 * content, and the tag's message carries the content digest. Running again with the same
 * content is a no-op; a tag that pins other content is a conflict (the version needs a bump,
 * which `ihub version` demands first). An integration whose working tree differs from HEAD is
 * refused, because the tag would name a commit that does not hold what `ihub bundle` packs.
 */
import { tagName } from "../../repo/tag-name.js";

export type Content = { version: string; contentDigest: string };

export type TagInput = {
  slug: string;
  /** The integration in the HEAD commit; null when HEAD does not hold it (not committed yet). */
  atHead: Content | null;
  /** The integration in the working tree: what `ihub bundle` and `ihub publish` pack. */
  working: Content;
  /** The release tag of the working tree's version, when it exists already. */
  existing: { commit: string; contentDigest: string } | null;
};

type Base = { slug: string; version: string; tag: string; contentDigest: string };

export type TagAction =
  | (Base & { type: "create"; commit: string })
  /** The tag exists and pins the same content: nothing to do. */
  | (Base & { type: "exists"; commit: string })
  /** The tag exists and pins other content: tags never move. */
  | (Base & { type: "conflict"; commit: string; existingDigest: string })
  /** The working tree's bundle content differs from HEAD's: commit first. */
  | (Base & { type: "uncommitted"; headDigest: string | null });

export type TagActionType = TagAction["type"];

/** Whether the action leaves the repository as `ihub tag` promises (the exit code follows from it). */
export const isTagOk = (a: TagAction): boolean => a.type === "create" || a.type === "exists";

export function planTag(input: TagInput, head: string): TagAction {
  const { slug, working, atHead, existing } = input;
  const base: Base = { slug, version: working.version, tag: tagName(slug, working.version), contentDigest: working.contentDigest };
  if (!atHead || atHead.version !== working.version || atHead.contentDigest !== working.contentDigest) {
    return { ...base, type: "uncommitted", headDigest: atHead?.contentDigest ?? null };
  }
  if (!existing) return { ...base, type: "create", commit: head };
  if (existing.contentDigest === working.contentDigest) return { ...base, type: "exists", commit: existing.commit };
  return { ...base, type: "conflict", commit: existing.commit, existingDigest: existing.contentDigest };
}
