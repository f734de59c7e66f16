import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDirs } from "../../test-support/temp-repo.js";
import { pullRequestTarget, workflowRunUrl } from "./pull-request-context.js";

const temp = tempDirs("ihub-pr-context-");
afterAll(() => temp.cleanup());

async function eventFile(event: unknown): Promise<string> {
  const file = path.join(await temp.make(), "event.json");
  await writeFile(file, JSON.stringify(event));
  return file;
}

const base = { GITHUB_TOKEN: "t0ken", GITHUB_REPOSITORY: "acme/hub" };

describe("pullRequestTarget", () => {
  it("reads the PR number from the pull_request event and defaults the API to api.github.com", async () => {
    const env = { ...base, GITHUB_EVENT_PATH: await eventFile({ action: "synchronize", pull_request: { number: 42 } }) };
    expect(await pullRequestTarget(env)).toEqual({ token: "t0ken", owner: "acme", repo: "hub", pr: 42, baseUrl: "https://api.github.com" });
  });

  it("takes --pr over the event and GITHUB_API_URL for GitHub Enterprise", async () => {
    const env = { ...base, GITHUB_API_URL: "https://ghe.example/api/v3/", GITHUB_EVENT_PATH: await eventFile({ push: {} }) };
    expect(await pullRequestTarget(env, { pr: "7" })).toMatchObject({ pr: 7, baseUrl: "https://ghe.example/api/v3" });
  });

  it("is a usage error with a hint for each missing piece", async () => {
    const usage = (message: RegExp, hint: RegExp) => expect.objectContaining({ code: "IH_USAGE", exitCode: 2, message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
    await expect(pullRequestTarget({ ...base, GITHUB_TOKEN: "" }, { pr: "1" })).rejects.toEqual(usage(/GITHUB_TOKEN is not set/, /secrets\.GITHUB_TOKEN/));
    await expect(pullRequestTarget({ ...base, GITHUB_REPOSITORY: "hub" }, { pr: "1" })).rejects.toEqual(usage(/owner\/repo/, /GITHUB_REPOSITORY=owner\/repo/));
    await expect(pullRequestTarget(base)).rejects.toEqual(usage(/GITHUB_EVENT_PATH not set/, /--pr N/));
    await expect(pullRequestTarget({ ...base, GITHUB_EVENT_PATH: await eventFile({ ref: "refs/heads/main" }) })).rejects.toEqual(usage(/no pull_request\.number/, /pull_request/));
    await expect(pullRequestTarget(base, { pr: "x1" })).rejects.toEqual(usage(/--pr is not a pull request number/, /--pr N/));
    await expect(pullRequestTarget({ ...base, GITHUB_API_URL: "ftp://x" }, { pr: "1" })).rejects.toEqual(usage(/not an http\(s\) URL/, /api\/v3/));
  });

  it("links the workflow run only when Actions says which one", () => {
    expect(workflowRunUrl({ GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/hub", GITHUB_RUN_ID: "9" })).toBe("https://github.com/acme/hub/actions/runs/9");
    expect(workflowRunUrl({ GITHUB_REPOSITORY: "acme/hub" })).toBeNull();
  });
});
