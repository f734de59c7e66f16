/**
 * The GitHub Releases endpoints ihub uses, through octokit: list every release with its assets
 * (one paginated walk rather than one lookup per tag), create a release for an existing tag, and
 * upload an asset to the release's own upload URL (uploads.github.com, an Enterprise Server's
 * uploads path, or a test server, as GitHub answered it). Failures become IH_GITHUB_API errors
 * with the token redacted.
 */
import { RequestError } from "octokit";
import { githubApiError, type StatusHints } from "./api-error.js";
import type { GitHubClient } from "./github-client.js";
import type { RepositoryTarget } from "./pull-request-context.js";

export type GitHubRelease = { id: number; tag: string; uploadUrl: string; assets: string[]; url: string };

const HINTS: StatusHints = {
  401: "The token is invalid or expired: pass `secrets.GITHUB_TOKEN` as GITHUB_TOKEN.",
  403: "The token may not write releases: give the job `permissions: contents: write`, or wait if this is a rate limit.",
  404: "The repository is not visible to the token: check GITHUB_REPOSITORY and GITHUB_API_URL.",
  422: "GitHub refused the release or asset; check that the tag was pushed (`git push origin --tags`) before `ihub release` runs.",
};

/** GitHub's answer when a release's tag or an asset's name is taken: 422 with an `already_exists` error. */
function isAlreadyThere(error: unknown): boolean {
  if (!(error instanceof RequestError) || error.status !== 422) return false;
  const errors = (error.response?.data as { errors?: { code?: string }[] } | undefined)?.errors ?? [];
  return errors.some((e) => e.code === "already_exists");
}

type ApiRelease = { id: number; tag_name: string; upload_url: string; html_url: string; assets: { name: string }[] };
const view = (r: ApiRelease): GitHubRelease => ({ id: r.id, tag: r.tag_name, uploadUrl: r.upload_url, assets: r.assets.map((a) => a.name), url: r.html_url });

export function githubReleases(client: GitHubClient, target: RepositoryTarget) {
  const { owner, repo, token } = target;
  const where = `${owner}/${repo}`;
  const failed = (error: unknown, doing: string) => githubApiError(error, token, doing, HINTS);

  async function byTag(tag: string): Promise<GitHubRelease | null> {
    try {
      return view((await client.rest.repos.getReleaseByTag({ owner, repo, tag })).data as ApiRelease);
    } catch (error) {
      if (error instanceof RequestError && error.status === 404) return null;
      throw failed(error, `reading the release of ${tag} in ${where}`);
    }
  }

  return {
    /** Every release of the repository, by tag. */
    async list(): Promise<Map<string, GitHubRelease>> {
      try {
        const all = (await client.paginate(client.rest.repos.listReleases, { owner, repo, per_page: 100 })) as ApiRelease[];
        return new Map(all.map((r) => [r.tag_name, view(r)]));
      } catch (error) {
        throw failed(error, `listing the releases of ${where}`);
      }
    },

    /** Creates the release of an existing tag (`created`); when another run created it first, that one. */
    async create(release: { tag: string; name: string; body: string; prerelease: boolean }): Promise<{ release: GitHubRelease; created: boolean }> {
      try {
        const { data } = await client.rest.repos.createRelease({ owner, repo, tag_name: release.tag, name: release.name, body: release.body, prerelease: release.prerelease, draft: false });
        return { release: view(data as ApiRelease), created: true };
      } catch (error) {
        // 422 already_exists: a concurrent run won the race; its release is as good as ours.
        const existing = isAlreadyThere(error) ? await byTag(release.tag) : null;
        if (existing) return { release: existing, created: false };
        throw failed(error, `creating the release of ${release.tag} in ${where}`);
      }
    },

    /** Uploads the asset; false when the release already holds one of that name (another run's upload landed first). */
    async upload(release: GitHubRelease, asset: { name: string; contentType: string; bytes: Uint8Array }): Promise<boolean> {
      try {
        await client.request({
          method: "POST",
          url: release.uploadUrl,
          name: asset.name,
          data: asset.bytes,
          headers: { "content-type": asset.contentType, "content-length": asset.bytes.length },
        });
        return true;
      } catch (error) {
        if (isAlreadyThere(error)) return false;
        throw failed(error, `uploading ${asset.name} to the release of ${release.tag} in ${where}`);
      }
    },
  };
}

export type GitHubReleases = ReturnType<typeof githubReleases>;
