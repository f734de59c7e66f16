/** The sticky comment through octokit against a real loopback server: what GitHub would receive. */
import { afterEach, describe, expect, it } from "vitest";
import { IhubError } from "../errors.js";
import { startFakeGitHub, type Comment, type FakeGitHub } from "../../test-support/fake-github-server.js";
import { githubClient } from "./github-client.js";
import { upsertStickyComment } from "./sticky-comment.js";

const TOKEN = "ghs_secretTokenValue123";
const MARKER = "<!-- test:sticky -->";
const ref = { owner: "acme", repo: "hub", pr: 42 };
const listPath = "/repos/acme/hub/issues/42/comments";
let server: FakeGitHub | undefined;
afterEach(async () => server?.close());

/** 150 comments by people: two pages of 100, so the marker search has to follow the Link header. */
const chatter = (): Comment[] => Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: i === 3 ? `> ${MARKER} quoted by a person` : `comment ${i}`, user: { login: "dev" } }));

async function upsert(body: string, comments: Comment[]) {
  server = await startFakeGitHub({ ...ref, comments });
  return upsertStickyComment(githubClient({ token: TOKEN, baseUrl: server.baseUrl }), ref, { marker: MARKER, body, token: TOKEN });
}

const line = (r: { method: string; path: string; query: Record<string, string> }) => `${r.method} ${r.path}${r.query.page ? ` page=${r.query.page}` : ""}`;

describe("upsertStickyComment", () => {
  it("creates the comment when no comment starts with the marker, after reading every page", async () => {
    const result = await upsert(`${MARKER}\nfirst`, chatter());
    expect(result).toMatchObject({ action: "created", id: 1001, url: expect.stringContaining("#issuecomment-1001") });
    expect(server!.requests.map(line)).toEqual([`GET ${listPath}`, `GET ${listPath} page=2`, `POST ${listPath}`]);
    expect(server!.requests[0]!.query.per_page).toBe("100");
    for (const r of server!.requests) expect(r.authorization).toBe(`token ${TOKEN}`);
    expect(server!.requests[2]!.body).toEqual({ body: `${MARKER}\nfirst` });
  });

  it("updates the marked comment in place, found on the second page", async () => {
    const comments = [...chatter(), { id: 777, body: `${MARKER}\nold`, user: { login: "github-actions[bot]" } }];
    const result = await upsert(`${MARKER}\nnew`, comments);
    expect(result).toMatchObject({ action: "updated", id: 777 });
    expect(server!.requests.map(line)).toEqual([`GET ${listPath}`, `GET ${listPath} page=2`, "PATCH /repos/acme/hub/issues/comments/777"]);
    expect(server!.requests[2]).toMatchObject({ authorization: `token ${TOKEN}`, body: { body: `${MARKER}\nnew` } });
    expect(server!.comments.find((c) => c.id === 777)!.body).toBe(`${MARKER}\nnew`);
  });

  it("leaves an identical comment alone and stops paging at the match", async () => {
    const result = await upsert(`${MARKER}\nsame`, [{ id: 5, body: `${MARKER}\nsame`, user: { login: "bot" } }, ...chatter()]);
    expect(result).toMatchObject({ action: "unchanged", id: 5 });
    expect(server!.requests.map(line)).toEqual([`GET ${listPath}`]);
  });

  it("turns a 403 into IH_GITHUB_API with the status, GitHub's message and a permissions hint, never the token", async () => {
    server = await startFakeGitHub({ ...ref, comments: [] });
    server.failWith("POST", 403, `Resource not accessible by integration (sent ${TOKEN})`);
    const error = await upsertStickyComment(githubClient({ token: TOKEN, baseUrl: server.baseUrl }), ref, { marker: MARKER, body: "x", token: TOKEN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IhubError);
    const e = error as IhubError;
    expect(e).toMatchObject({ code: "IH_GITHUB_API", exitCode: 1 });
    expect(e.message).toBe(`creating the comment on acme/hub#42 failed: POST ${server.baseUrl}${listPath} answered 403: Resource not accessible by integration (sent [REDACTED]) - https://docs.github.com/rest`);
    expect(e.hint).toMatch(/permissions: pull-requests: write/);
    expect(JSON.stringify({ ...e.toJSON(), stack: e.stack })).not.toContain(TOKEN);
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });
});
