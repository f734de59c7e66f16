/** The live transport against a real loopback server: keep-alive, redirects, caps, content coding, timeouts. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpExchange } from "./http-exchange.js";
import { liveHttpTransport } from "./live-http-transport.js";

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/ok": (_req, res) => res.end("ok"),
  "/redirect": (_req, res) => res.writeHead(302, { location: "http://elsewhere.example/" }).end(),
  "/big": (_req, res) => res.end("x".repeat(2000)),
  "/big-chunked": (_req, res) => {
    res.write("x".repeat(1000));
    res.end("x".repeat(1000));
  },
  "/gzip": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync("unzipped text")),
  "/bomb": (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(1024 * 1024))),
  "/hang": () => {},
  "/v1/echo-url?q=x+y": (req, res) => res.end(req.url),
  "/v1/a%20b": (req, res) => res.end(req.url),
  "/headers": (req, res) => res.writeHead(200, { "set-cookie": ["a=1", "b=2"] }).end(JSON.stringify(req.headers)),
};
let url = "";
const sockets = new Set<unknown>();
const server = createServer((req, res) => (routes[req.url ?? ""] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
server.on("connection", (s) => sockets.add(s));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const exchange = (path: string, extra: Partial<HttpExchange> = {}): HttpExchange => ({ alias: "api", method: "GET", path, query: {}, headers: {}, body: undefined, timeoutMs: 5_000, ...extra });
const transport = () => liveHttpTransport({ api: { baseUrl: url } });

describe("liveHttpTransport", () => {
  it("keeps the connection alive from call to call", async () => {
    const t = transport();
    const before = sockets.size;
    for (let i = 0; i < 3; i++) expect(await t.send(exchange("/ok"), 1000)).toMatchObject({ status: 200, body: "ok" });
    expect(sockets.size - before).toBeLessThanOrEqual(1);
  });

  it("sends again on a new connection when the server closed the idle one", async () => {
    const t = transport();
    await t.send(exchange("/ok"), 1000);
    // Drops every idle connection under the agent's feet, as a server's keep-alive timeout does.
    server.closeIdleConnections();
    expect(await t.send(exchange("/ok"), 1000)).toMatchObject({ status: 200, body: "ok" });
  });

  it("joins the binding's base path with the call's path and query", async () => {
    const t = liveHttpTransport({ api: { baseUrl: `${url}/v1/` } });
    expect(await t.send(exchange("/echo-url", { query: { q: "x y" } }), 1000)).toMatchObject({ status: 200, body: "/v1/echo-url?q=x+y" });
    expect(await t.send(exchange("/a b"), 1000)).toMatchObject({ status: 200, body: "/v1/a%20b" });
  });

  it("returns a redirect instead of following it", async () => {
    expect(await transport().send(exchange("/redirect"), 1000)).toMatchObject({ status: 302, headers: { location: "http://elsewhere.example/" } });
  });

  it("caps the body, declared or chunked", async () => {
    for (const path of ["/big", "/big-chunked"]) {
      await expect(transport().send(exchange(path), 1500)).rejects.toMatchObject({ code: "HTTP_RESPONSE_TOO_LARGE", request: { status: 200 } });
    }
  });

  it("decodes a compressed body and caps the decoded size", async () => {
    expect(await transport().send(exchange("/gzip"), 1000)).toMatchObject({ body: "unzipped text" });
    await expect(transport().send(exchange("/bomb"), 64 * 1024)).rejects.toMatchObject({ code: "HTTP_RESPONSE_TOO_LARGE" });
  });

  it("sends a user agent unless the handler set one, and joins repeated reply headers", async () => {
    const r = await transport().send(exchange("/headers", { headers: { "x-a": "1" } }), 10_000);
    expect(JSON.parse(r.body)).toMatchObject({ "user-agent": "ihub-runtime", "x-a": "1" });
    expect(r.headers["set-cookie"]).toBe("a=1, b=2");
    const own = await transport().send(exchange("/headers", { headers: { "user-agent": "mine" } }), 10_000);
    expect(JSON.parse(own.body)).toMatchObject({ "user-agent": "mine" });
  });

  it("ends a call at its timeout with HTTP_TIMEOUT", async () => {
    await expect(transport().send(exchange("/hang", { timeoutMs: 50 }), 1000)).rejects.toMatchObject({ code: "HTTP_TIMEOUT", request: { url: `${url}/hang` } });
  });

  it("refuses an alias without a binding and a connection that fails", async () => {
    await expect(transport().send(exchange("/ok", { alias: "other" }), 1000)).rejects.toMatchObject({ code: "UNBOUND_ALIAS" });
    await expect(liveHttpTransport({ api: { baseUrl: "ftp://127.0.0.1/" } }).send(exchange("/ok"), 1000)).rejects.toMatchObject({ code: "HTTP_TRANSPORT" });
    const closed = liveHttpTransport({ api: { baseUrl: "http://127.0.0.1:1" } });
    await expect(closed.send(exchange("/ok"), 1000)).rejects.toMatchObject({ code: "HTTP_TRANSPORT", message: expect.stringContaining("ECONNREFUSED") });
  });
});
