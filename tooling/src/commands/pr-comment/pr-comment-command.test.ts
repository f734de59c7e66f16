/** `ihub pr-comment` as a process: environment, exit codes and output, against a loopback GitHub. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runIhub } from "../../../test-support/ihub-process.js";
import { tempDirs } from "../../../test-support/temp-repo.js";
import { startFakeGitHub, type FakeGitHub } from "../../../test-support/fake-github-server.js";

const TOKEN = "ghs_doNotPrintMe0123456789";
const temp = tempDirs("ihub-pr-comment-cli-");
let dir: string;
let server: FakeGitHub | undefined;

beforeAll(async () => {
  dir = await temp.make();
  // What `ihub version --json` prints when no integration changed.
  await writeFile(path.join(dir, "version.json"), JSON.stringify({ format: "ihub.version/v1", ok: true, against: { kind: "merge-base", ref: "main" }, mergeBase: "0".repeat(40), integrations: [] }));
  await writeFile(path.join(dir, "event.json"), JSON.stringify({ pull_request: { number: 42 } }));
  await writeFile(path.join(dir, "test.json"), JSON.stringify(failingTestReport));
});

/** One failed case, as `ihub test --json` reports it. */
const failingTestReport = {
  format: "ihub.test/v1",
  ok: false,
  counts: { integrations: 1, pass: 0, fail: 1, broken: 0, cases: 1 },
  integrations: [
    {
      slug: "acme-billing",
      ok: false,
      cases: [{ status: "fail", file: "tests/get-invoice.test.json", name: "reads an invoice", handler: "get_invoice", mismatches: [{ kind: "output", pointer: "/expect/output/total", line: 12, column: 16, message: "output differs at /total", expected: 10, actual: 12, diff: "- 10\n+ 12" }] }],
    },
  ],
};
afterEach(async () => server?.close());
afterAll(() => temp.cleanup());

// Blank the variables a CI machine running these tests has set, so the child sees only ours.
const quiet = { IHUB_QUIET: "1", GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "", GITHUB_SERVER_URL: "", GITHUB_RUN_ID: "", GITHUB_TOKEN: "" };
const githubEnv = (baseUrl: string) => ({ ...quiet, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/hub", GITHUB_EVENT_PATH: path.join(dir, "event.json"), GITHUB_API_URL: baseUrl });
const run = (args: string[], env: Record<string, string>) => runIhub(["pr-comment", "--version", "version.json", ...args], { cwd: dir, env: { ...quiet, ...env } });

describe("ihub pr-comment", () => {
  it("--dry-run prints the Markdown without a token or a network", async () => {
    const { code, stdout } = await run(["--dry-run"], { GITHUB_TOKEN: "" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<!-- ihub:pr-comment -->\n\n### ✅ ihub: no integration changed\n/);
  });

  it("on GitHub Actions also writes the job summary and annotates the failed case's line", async () => {
    const summary = path.join(dir, "summary.md");
    const { code, stdout } = await run(["--test", "test.json", "--dry-run"], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary });
    expect(code).toBe(0);
    const body = await readFile(summary, "utf8");
    expect(body).toContain("| ❌ acme-billing | — | ❌ 1 of 1 failing | — |");
    expect(stdout).toBe(`::error file=integrations/acme-billing/tests/get-invoice.test.json,line=12,col=16,title=output%3A reads an invoice::output differs at /total%0A- 10%0A+ 12\n${body}`);
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
    const [noToken, noInput] = await Promise.all([run([], { ...githubEnv("http://127.0.0.1:9"), GITHUB_TOKEN: "" }), runIhub(["pr-comment", "--dry-run", "--json"], { cwd: dir, env: quiet })]);
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
