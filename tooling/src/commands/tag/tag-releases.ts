/**
 * `ihub tag` without the printing: reads each integration from the HEAD commit and the working
 * tree, looks up its release tag, plans (plan-tags.ts) and creates the tags the plan calls for.
 */
import { readBundleContent } from "../../bundle/build-bundle.js";
import type { FileSource } from "../../bundle/bundle-contents.js";
import { gitFileSource } from "../../bundle/git-file-source.js";
import type { BuildFailure } from "../../bundle/sign-built.js";
import { IhubError } from "../../errors.js";
import { createReleaseTag, listReleaseTags, taggerIdentity, type ReleaseTag, type Tagger } from "../../git/release-tags.js";
import { headCommit } from "../../publish/head-commit.js";
import { fsFileSource } from "../../repo/fs-file-source.js";
import { tagMessage, tagName } from "../../repo/tag-name.js";
import { progress } from "../../report/progress.js";
import { planTag, type Content, type TagAction, type TagInput } from "./plan-tags.js";

export type TagReport = { head: string; actions: TagAction[]; failures: BuildFailure[] };

async function contentAt(source: FileSource, slug: string): Promise<Content> {
  const { manifest, contentDigest } = await readBundleContent(source, slug);
  return { version: manifest.version, contentDigest };
}

/** The digest an existing tag pins: its message's, else (a lightweight tag) rebuilt from its commit. */
async function pinnedDigest(root: string, tag: ReleaseTag, slug: string): Promise<string> {
  if (tag.contentDigest) return tag.contentDigest;
  return contentAt(gitFileSource(root, tag.commit), slug).then(
    (c) => c.contentDigest,
    () => "unreadable", // a tag whose tree holds no valid bundle still owns the name
  );
}

export async function tagReleases(root: string, slugs: readonly string[], opts: { dryRun?: boolean; tagger?: Tagger } = {}): Promise<TagReport> {
  const head = await headCommit(root);
  if (!head) throw new IhubError("IH_GIT_NO_HEAD", `${root} is not a git repository with at least one commit`, { hint: "Tags name commits: commit the integrations first.", exitCode: 2 });
  const atHead = gitFileSource(root, head);
  const working = fsFileSource(root);
  const tags = new Map((await listReleaseTags(root)).map((t) => [t.tag, t]));
  const tagger = opts.tagger ?? (await taggerIdentity(root));
  const actions: TagAction[] = [];
  const failures: BuildFailure[] = [];
  const bar = progress("tagging", slugs.length);
  for (const slug of slugs) {
    try {
      const now = await contentAt(working, slug);
      // Missing or broken at HEAD while fine in the working tree: not committed yet.
      const committed = await contentAt(atHead, slug).catch((error: unknown) => {
        if (error instanceof IhubError) return null;
        throw error;
      });
      const tag = tags.get(tagName(slug, now.version));
      const input: TagInput = { slug, atHead: committed, working: now, existing: tag ? { commit: tag.commit, contentDigest: await pinnedDigest(root, tag, slug) } : null };
      let action = planTag(input, head);
      if (action.type === "create" && !opts.dryRun) {
        const { created, tag: written } = await createReleaseTag(root, { tag: action.tag, commit: head, message: tagMessage(slug, action.version, action.contentDigest), tagger });
        // Another run created the name between our read and our write: judge its tag instead.
        if (!created) action = planTag({ ...input, existing: { commit: written.commit, contentDigest: await pinnedDigest(root, written, slug) } }, head);
      }
      actions.push(action);
    } catch (error) {
      if (!(error instanceof IhubError)) throw error;
      failures.push({ slug, error });
    }
    bar.tick(slug);
  }
  bar.done();
  return { head, actions, failures };
}
