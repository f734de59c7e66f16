/**
 * GitHub API failures as ihub errors: the status, the request line and GitHub's message, with a
 * hint per status. The token is never printed: octokit's RequestError already redacts the
 * authorization header and tokens in URLs on its copy of the request; the message comes from
 * GitHub's reply, so the token is masked there too, in case a proxy echoes it back.
 */
import { RequestError } from "octokit";
import { IhubError } from "../errors.js";

/** What to do about a refusal, by status: the comment's by default; each caller may give its own. */
export type StatusHints = Record<number, string>;

const COMMENT_HINTS: StatusHints = {
  401: "The token is invalid or expired: pass `secrets.GITHUB_TOKEN` (or a token with pull-request write access) as GITHUB_TOKEN.",
  403: "The token may not comment: give the job `permissions: pull-requests: write` (pull requests from forks get a read-only token), or wait if this is a rate limit.",
  404: "The repository or pull request is not visible to the token: check GITHUB_REPOSITORY, the PR number and GITHUB_API_URL.",
  422: "GitHub refused the comment body; run with --dry-run to see it.",
};

export function redact(s: string, secret: string): string {
  return secret ? s.split(secret).join("[REDACTED]") : s;
}

export function githubApiError(error: unknown, token: string, doing: string, hints: StatusHints = COMMENT_HINTS): IhubError {
  if (!(error instanceof RequestError)) return new IhubError("IH_GITHUB_API", redact(`${doing} failed: ${(error as Error)?.message ?? String(error)}`, token), { hint: "Check GITHUB_API_URL and the network." });
  const { method, url } = error.request;
  const line = redact(`${method} ${url}`, token);
  // Without a response the request never reached GitHub (octokit reports those as status 500).
  if (!error.response) return new IhubError("IH_GITHUB_API", `${doing} failed: ${line}: ${redact(error.message, token)}`, { hint: "GitHub could not be reached: check GITHUB_API_URL and the network." });
  return new IhubError("IH_GITHUB_API", `${doing} failed: ${line} answered ${error.status}: ${redact(error.message, token)}`, {
    hint: hints[error.status] ?? (error.status >= 500 ? "GitHub had a problem; re-run the job." : "See GitHub's message above."),
  });
}
