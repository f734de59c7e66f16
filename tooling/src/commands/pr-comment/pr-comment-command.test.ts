/** `ihub pr-comment` as a process: environment, exit codes and output, against a loopback GitHub. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runIhub } from "../../cli/ihub-process.js";
import { tempDirs } from "../../git/temp-repo.js";
import { startFakeGitHub, type FakeGitHub } from "../../github/fake-github-server.js";

const TOKEN = "ghs_doNotPrintMe0123456789";
const temp = tempDirs("ihub-pr-comment-cli-");
let dir: string;
let server: FakeGitHub | undefined;

beforeAll(async () => {
  dir = await temp.make();
  // What `ihub version --json` prints when no integration changed.
  await writeFile(path.join(dir, "version.json"), JSON.stringify({ ok: true, against: { kind: "merge-base", ref: "main" }, mergeBase: "0".repeat(40), integrations: [] }));
  await writeFile(path.join(dir, "event.json"), JSON.stringify({ pull_request: { number: 42 } }));
});
afterEach(async () => server?.close());
afterAll(() => temp.cleanup());

const githubEnv = (baseUrl: string) => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/hub", GITHUB_EVENT_PATH: path.join(dir, "event.json"), GITHUB_API_URL: baseUrl, IHUB_QUIET: "1" });
const run = (args: string[], env: Record<string, string>) => runIhub(["pr-comment", "--version", "version.json", ...args], { cwd: dir, env });

describe("ihub pr-comment", () => {
  it("--dry-run prints the Markdown without a token or a network", async () => {
    const { code, stdout } = await run(["--dry-run"], { GITHUB_TOKEN: "" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<!-- ihub:pr-comment -->\n\n### ✅ ihub: no integration changed\n/);
  });

  it("posts the comment, then finds it again on the next run", async () => {
    server = await startFakeGitHub({ owner: "acme", repo: "hub", pr: 42 });
    const first = await run([], githubEnv(server.baseUrl));
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe("created the ihub comment on acme/hub#42: https://github.example/acme/hub/pull/42#issuecomment-1001\n");
    const second = await run(["--json"], githubEnv(server.baseUrl));
    expect(JSON.parse(second.stdout)).toMatchObject({ format: "ihub.pr-comment/v1", ok: true, action: "unchanged", repository: "acme/hub", pr: 42, commentId: 1001 });
    expect(server.requests.map((r) => `${r.method} ${r.authorization}`)).toEqual(["GET", "POST", "GET"].map((m) => `${m} token ${TOKEN}`));
  });

  it("exits 2 with a hint when the token or the inputs are missing", async () => {
    const [noToken, noInput] = await Promise.all([run([], { ...githubEnv("http://127.0.0.1:9"), GITHUB_TOKEN: "" }), runIhub(["pr-comment", "--dry-run", "--json"], { cwd: dir })]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/GITHUB_TOKEN is not set\n\s+hint .*secrets\.GITHUB_TOKEN/);
    expect(noInput.code).toBe(2);
    expect(JSON.parse(noInput.stdout)).toMatchObject({ ok: false, error: { code: "IH_USAGE", message: expect.stringMatching(/at least one of --validate, --test, --version/) } });
  });

  it("exits 1 on a 403 with the status and a hint, and never prints the token", async () => {
    server = await startFakeGitHub({ owner: "acme", repo: "hub", pr: 42 });
    server.failWith("GET", 403, "Resource not accessible by integration");
    const { code, stdout, stderr } = await run([], githubEnv(server.baseUrl));
    expect(code).toBe(1);
    expect(stderr).toMatch(/IH_GITHUB_API listing the comments of acme\/hub#42 failed: GET .* answered 403: Resource not accessible by integration/);
    expect(stderr).toMatch(/hint .*permissions: pull-requests: write/);
    expect(stdout + stderr).not.toContain(TOKEN);
  });
});
