/**
 * For tests: a real HTTP server on 127.0.0.1 that speaks the three issue-comment endpoints the
 * sticky comment uses, with GitHub's Link-header pagination, and records every request it
 * receives. `failWith` makes every request to one method answer an error status instead.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Comment = { id: number; body: string; user: { login: string } };
export type ReceivedRequest = { method: string; path: string; query: Record<string, string>; authorization: string | undefined; body: unknown };

export type FakeGitHub = {
  baseUrl: string;
  comments: Comment[];
  requests: ReceivedRequest[];
  failWith(method: string, status: number, message: string): void;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : null;
}

export async function startFakeGitHub(opts: { owner: string; repo: string; pr: number; comments?: Comment[] }): Promise<FakeGitHub> {
  const comments = [...(opts.comments ?? [])];
  const requests: ReceivedRequest[] = [];
  const failures = new Map<string, { status: number; message: string }>();
  let nextId = Math.max(1000, ...comments.map((c) => c.id)) + 1;
  const listPath = `/repos/${opts.owner}/${opts.repo}/issues/${opts.pr}/comments`;
  const commentPath = new RegExp(`^/repos/${opts.owner}/${opts.repo}/issues/comments/(\\d+)$`);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(data));
    };
    const html = (id: number) => `https://github.example/${opts.owner}/${opts.repo}/pull/${opts.pr}#issuecomment-${id}`;
    const view = (c: Comment) => ({ ...c, html_url: html(c.id) });

    const failure = failures.get(req.method ?? "");
    if (failure) return send(failure.status, { message: failure.message, documentation_url: "https://docs.github.com/rest" });
    if (req.method === "GET" && url.pathname === listPath) {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const slice = comments.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(comments.length / perPage));
      const link = (p: number, rel: string) => `<${baseUrl}${listPath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = page < last ? [link(page + 1, "next"), link(last, "last")] : [];
      return send(200, slice.map(view), links.length ? { link: links.join(", ") } : {});
    }
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
    requests,
    failWith: (method, status, message) => void failures.set(method, { status, message }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
