/**
 * One comment per pull request that the bot keeps up to date instead of adding a new one per
 * push: the first issue comment whose body starts with `marker` is updated, else one is
 * created. Matching the start, not anywhere, keeps a person quoting the bot's comment (`> <!--`)
 * from being edited. An identical body is left alone, so re-runs add no edit history.
 */
import { githubApiError } from "./api-error.js";
import type { GitHubClient } from "./github-client.js";

export type IssueRef = { owner: string; repo: string; pr: number };
export type StickyResult = { action: "created" | "updated" | "unchanged"; id: number; url: string };

async function findComment(client: GitHubClient, ref: IssueRef, marker: string): Promise<{ id: number; body: string; url: string } | null> {
  // Pages of 100 (the maximum), stopping at the first match: busy PRs have hundreds of comments.
  const pages = client.paginate.iterator(client.rest.issues.listComments, { owner: ref.owner, repo: ref.repo, issue_number: ref.pr, per_page: 100 });
  for await (const page of pages) {
    const found = page.data.find((c) => c.body?.trimStart().startsWith(marker));
    if (found) return { id: found.id, body: found.body ?? "", url: found.html_url };
  }
  return null;
}

export async function upsertStickyComment(client: GitHubClient, ref: IssueRef, opts: { marker: string; body: string; token: string }): Promise<StickyResult> {
  const where = `${ref.owner}/${ref.repo}#${ref.pr}`;
  const existing = await findComment(client, ref, opts.marker).catch((e: unknown) => {
    throw githubApiError(e, opts.token, `listing the comments of ${where}`);
  });
  const { owner, repo } = ref;
  try {
    if (!existing) {
      const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: ref.pr, body: opts.body });
      return { action: "created", id: data.id, url: data.html_url };
    }
    if (existing.body === opts.body) return { action: "unchanged", id: existing.id, url: existing.url };
    const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: opts.body });
    return { action: "updated", id: data.id, url: data.html_url };
  } catch (e) {
    throw githubApiError(e, opts.token, `${existing ? "updating" : "creating"} the comment on ${where}`);
  }
}
