/**
 * Serves a directory registry over HTTP with sirv (ETag + If-None-Match -> 304). Bundles and
 * version records never change once written, so they are cached forever; indexes and keys
 * change on every publish, so clients revalidate them each time. With a publish token it also
 * accepts publishes over HTTP (publish-protocol.ts) signed by the keys it was started with.
 */
import http from "node:http";
import sirv from "sirv";
import { EXIT, IhubError } from "../errors.js";
import { handlePublish, handleYank, type PublishAccess } from "./publish-endpoint.js";
import { PUBLISH_PATH, YANK_PATH } from "./publish-protocol.js";

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

export function cacheControlFor(pathname: string): string {
  return pathname.endsWith(".tgz") || /\/records\/[^/]+\.json$/.test(pathname) ? IMMUTABLE : REVALIDATE;
}

export type ServeOptions = {
  /** When set, POST /-/publish and /-/yank with its bearer token write into `dir`, publishes only under its keys (publish-endpoint.ts). */
  publish?: PublishAccess;
};

export function createRegistryServer(dir: string, opts: ServeOptions = {}): http.Server {
  // dev mode stats files per request: a publisher adds files while the server runs.
  const serve = sirv(dir, { dev: true, etag: true, extensions: [] });
  return http.createServer((req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://registry").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const notFound = () => {
      res.statusCode = 404;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end("not found\n");
    };
    if (opts.publish && (pathname === `/${PUBLISH_PATH}` || pathname === `/${YANK_PATH}`)) {
      void (pathname === `/${PUBLISH_PATH}` ? handlePublish : handleYank)(dir, opts.publish, req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    // Lock files and temp files of an ongoing publish start with a dot: never served.
    if (pathname.split("/").some((s) => s.startsWith("."))) return notFound();
    res.setHeader("cache-control", cacheControlFor(pathname));
    res.setHeader("access-control-allow-origin", "*");
    serve(req, res, notFound);
  });
}

/** Starts listening; a port another process holds is a typed error naming it, not a stack trace. */
export function listen(server: http.Server, port: number, host: string): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") return reject(error);
      reject(new IhubError("IH_PORT_IN_USE", `port ${port} on ${host} is already in use`, { hint: "Stop what listens there, or pass another --port (--port 0 picks a free one).", exitCode: EXIT.usage }));
    });
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      resolve({ url: `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}/` });
    });
  });
}
