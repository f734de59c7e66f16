/**
 * The one place an Octokit is built: token auth against the given API root (GitHub.com, an
 * Enterprise Server, or a test server on loopback), with octokit's retry and throttling.
 */
import { Octokit } from "octokit";

export type GitHubClient = Octokit;

export function githubClient(opts: { token: string; baseUrl: string }): GitHubClient {
  return new Octokit({
    auth: opts.token,
    baseUrl: opts.baseUrl,
    userAgent: "ihub-pr-comment",
    // Octokit's default logger writes to the console; deprecation notes should not break --json.
    log: { debug: () => {}, info: () => {}, warn: (m: string) => process.stderr.write(`${m}\n`), error: (m: string) => process.stderr.write(`${m}\n`) },
  });
}
