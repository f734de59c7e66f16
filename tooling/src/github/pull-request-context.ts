/**
 * Where ihub's GitHub calls go (the pull-request comment, the releases), from the environment
 * GitHub Actions sets: the token, `owner/repo`, the pull request number (from the event payload,
 * or given) and the API base URL, which GitHub Enterprise Server and tests change. Every missing
 * piece is a usage error with a hint that says which workflow line provides it.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";

export type PullRequestTarget = { token: string; owner: string; repo: string; pr: number; baseUrl: string };

export const DEFAULT_API_URL = "https://api.github.com";

type Env = Readonly<Record<string, string | undefined>>;

function prNumber(value: unknown, from: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${from} is not a pull request number: ${JSON.stringify(value)}`, "Pass --pr N with the pull request's number.");
  return n;
}

async function prFromEvent(eventPath: string | undefined): Promise<number> {
  if (!eventPath) {
    throw new UsageError("no pull request number: --pr not given and GITHUB_EVENT_PATH not set", "Run on a `pull_request` workflow event, or pass --pr N.");
  }
  let event: unknown;
  try {
    event = JSON.parse(await readFile(eventPath, "utf8"));
  } catch (error) {
    throw new UsageError(`GITHUB_EVENT_PATH ${eventPath} cannot be read as JSON: ${(error as Error).message}`, "Pass --pr N, or run inside GitHub Actions.");
  }
  const number = (event as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  if (number === undefined) throw new UsageError("the workflow event has no pull_request.number (not a pull_request event)", "Run the step only on `pull_request` events (`if: github.event_name == 'pull_request'`), or pass --pr N.");
  return prNumber(number, "pull_request.number");
}

export type RepositoryTarget = Omit<PullRequestTarget, "pr">;

/** The token, `owner/repo` and API root every GitHub call of ihub needs. */
export function repositoryTarget(env: Env): RepositoryTarget {
  const token = env.GITHUB_TOKEN;
  if (!token) throw new UsageError("GITHUB_TOKEN is not set", "In the workflow step add `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`; locally, export a token (ihub pr-comment also has --dry-run).");
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length) throw new UsageError(`GITHUB_REPOSITORY must be owner/repo, got ${JSON.stringify(env.GITHUB_REPOSITORY ?? "")}`, "GitHub Actions sets it; elsewhere export GITHUB_REPOSITORY=owner/repo.");
  const baseUrl = (env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`GITHUB_API_URL is not an http(s) URL: ${baseUrl}`, `Unset it for ${DEFAULT_API_URL}, or give the API root of your GitHub Enterprise Server (https://HOST/api/v3).`);
  return { token, owner, repo, baseUrl };
}

export async function pullRequestTarget(env: Env, opts: { pr?: string } = {}): Promise<PullRequestTarget> {
  const target = repositoryTarget(env);
  const pr = opts.pr !== undefined ? prNumber(opts.pr, "--pr") : await prFromEvent(env.GITHUB_EVENT_PATH);
  return { ...target, pr };
}

/** The workflow run's page, for the comment's "see the job log" link; null outside Actions. */
export function workflowRunUrl(env: Env): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server.replace(/\/+$/, "")}/${repository}/actions/runs/${run}` : null;
}
