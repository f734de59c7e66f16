/**
 * For tests: a real HTTP server on 127.0.0.1 that speaks the GitHub endpoints ihub uses (the
 * three issue-comment endpoints of the sticky comment; listing, reading by tag and creating
 * releases and uploading their assets), with GitHub's Link-header pagination, and records every
 * request it receives. `failWith` makes the requests of one method (and, if given, a path that
 * matches) answer an error status instead, until `recover`; `before` lets another client's write
 * land just ahead of one, for races.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Comment = { id: number; body: string; user: { login: string } };
export type FakeAsset = { id: number; name: string; contentType: string; bytes: Buffer };
export type FakeRelease = { id: number; tag_name: string; name: string; body: string; prerelease: boolean; assets: FakeAsset[] };
/** `body` is the parsed JSON of an API request, the raw bytes of an asset upload. */
export type ReceivedRequest = { method: string; path: string; query: Record<string, string>; authorization: string | undefined; body: unknown };

export type FakeGitHub = {
  baseUrl: string;
  comments: Comment[];
  releases: FakeRelease[];
  requests: ReceivedRequest[];
  failWith(method: string, status: number, message: string, path?: RegExp): void;
  recover(): void;
  /** Runs `change` once, just before the next request of `method` to a matching path is handled: another client's write landing first. */
  before(method: string, path: RegExp, change: () => void): void;
  /** A release as GitHub would hold it, with the next id. */
  addRelease(release: Omit<FakeRelease, "id">): FakeRelease;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage, raw: boolean): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (raw) return bytes;
  const text = bytes.toString("utf8");
  return text ? JSON.parse(text) : null;
}

export async function startFakeGitHub(opts: { owner: string; repo: string; pr?: number; comments?: Comment[] }): Promise<FakeGitHub> {
  const comments = [...(opts.comments ?? [])];
  const releases: FakeRelease[] = [];
  const requests: ReceivedRequest[] = [];
  const failures: { method: string; path?: RegExp; status: number; message: string }[] = [];
  const interleaved: { method: string; path: RegExp; change: () => void }[] = [];
  const repoPath = `/repos/${opts.owner}/${opts.repo}`;
  const releaseByTag = new RegExp(`^${repoPath}/releases/tags/(.+)$`);
  const releaseAssets = new RegExp(`^${repoPath}/releases/(\\d+)/assets$`);
  let nextId = Math.max(1000, ...comments.map((c) => c.id)) + 1;
  const listPath = `/repos/${opts.owner}/${opts.repo}/issues/${opts.pr}/comments`;
  const commentPath = new RegExp(`^/repos/${opts.owner}/${opts.repo}/issues/comments/(\\d+)$`);

  const addRelease = (release: Omit<FakeRelease, "id">) => {
    const added = { id: nextId++, ...release };
    releases.push(added);
    return added;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req, releaseAssets.test(url.pathname));
    requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(data));
    };
    const html = (id: number) => `https://github.example/${opts.owner}/${opts.repo}/pull/${opts.pr}#issuecomment-${id}`;
    const view = (c: Comment) => ({ ...c, html_url: html(c.id) });

    const hook = interleaved.findIndex((h) => h.method === req.method && h.path.test(url.pathname));
    if (hook >= 0) interleaved.splice(hook, 1)[0]!.change();
    const failure = failures.find((f) => f.method === req.method && (!f.path || f.path.test(url.pathname)));
    if (failure) return send(failure.status, { message: failure.message, documentation_url: "https://docs.github.com/rest" });
    /** One page of `items` as GitHub pages a list: `per_page`, `page` and a Link header to the next and last pages. */
    const sendPage = <T>(items: T[], render: (item: T) => unknown) => {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const link = (p: number, rel: string) => `<${baseUrl}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = page < last ? [link(page + 1, "next"), link(last, "last")] : [];
      return send(200, slice.map(render), links.length ? { link: links.join(", ") } : {});
    };
    const releaseView = (r: FakeRelease) => ({
      id: r.id,
      tag_name: r.tag_name,
      name: r.name,
      body: r.body,
      prerelease: r.prerelease,
      html_url: `https://github.example/${opts.owner}/${opts.repo}/releases/tag/${encodeURIComponent(r.tag_name)}`,
      upload_url: `${baseUrl}${repoPath}/releases/${r.id}/assets{?name,label}`,
      assets: r.assets.map((a) => ({ id: a.id, name: a.name, size: a.bytes.length, content_type: a.contentType })),
    });
    if (req.method === "GET" && url.pathname === `${repoPath}/releases`) return sendPage(releases, releaseView);
    const tagMatch = releaseByTag.exec(url.pathname);
    if (req.method === "GET" && tagMatch) {
      const release = releases.find((r) => r.tag_name === decodeURIComponent(tagMatch[1]!));
      return release ? send(200, releaseView(release)) : send(404, { message: "Not Found" });
    }
    if (req.method === "POST" && url.pathname === `${repoPath}/releases`) {
      const input = body as { tag_name: string; name: string; body: string; prerelease?: boolean };
      if (releases.some((r) => r.tag_name === input.tag_name)) {
        return send(422, { message: "Validation Failed", errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }] });
      }
      return send(201, releaseView(addRelease({ tag_name: input.tag_name, name: input.name, body: input.body, prerelease: input.prerelease ?? false, assets: [] })));
    }
    const assetMatch = releaseAssets.exec(url.pathname);
    if (req.method === "POST" && assetMatch) {
      const release = releases.find((r) => r.id === Number(assetMatch[1]));
      const name = url.searchParams.get("name") ?? "";
      if (!release) return send(404, { message: "Not Found" });
      if (release.assets.some((a) => a.name === name)) return send(422, { message: "Validation Failed", errors: [{ resource: "ReleaseAsset", code: "already_exists", field: "name" }] });
      const asset: FakeAsset = { id: nextId++, name, contentType: req.headers["content-type"] ?? "", bytes: (body as Buffer | null) ?? Buffer.alloc(0) };
      release.assets.push(asset);
      return send(201, { id: asset.id, name, size: asset.bytes.length });
    }
    if (req.method === "GET" && url.pathname === listPath) return sendPage(comments, view);
    if (req.method === "POST" && url.pathname === listPath) {
      const created = { id: nextId++, body: (body as { body: string }).body, user: { login: "github-actions[bot]" } };
      comments.push(created);
      return send(201, view(created));
    }
    const match = commentPath.exec(url.pathname);
    const existing = match ? comments.find((c) => c.id === Number(match[1])) : undefined;
    if (req.method === "PATCH" && existing) {
      existing.body = (body as { body: string }).body;
      return send(200, view(existing));
    }
    send(404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    comments,
    releases,
    requests,
    failWith: (method, status, message, path) => void failures.push({ method, path, status, message }),
    recover: () => void failures.splice(0),
    before: (method, path, change) => void interleaved.push({ method, path, change }),
    addRelease,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
