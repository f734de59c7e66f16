/**
 * `ihub catalog --serve`: the built site on a local HTTP server, under the same base path it was
 * built for, so links and assets resolve as they will where it is published. sirv serves the
 * files (index.html for folders, ETags); a path outside the site answers with the site's 404 page.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import sirv from "sirv";

export function createSiteServer(outDir: string, base = "/"): http.Server {
  const prefix = base.endsWith("/") ? base : `${base}/`;
  // dev mode looks files up per request, so a rebuild into the same folder shows at once.
  const serve = sirv(outDir, { dev: true, etag: true });
  const notFound = async (res: http.ServerResponse) => {
    const page = await readFile(path.join(outDir, "404.html")).catch(() => Buffer.from("not found\n"));
    res.writeHead(404, { "content-type": page.subarray(0, 15).toString().startsWith("<!") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8" }).end(page);
  };
  return http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
    // The site lives under its base; the bare root leads there, as a reader would expect.
    if (prefix !== "/" && (url === "/" || url === prefix.slice(0, -1))) return void res.writeHead(302, { location: prefix }).end();
    if (!url.startsWith(prefix)) return void notFound(res);
    req.url = url.slice(prefix.length - 1);
    serve(req, res, () => void notFound(res));
  });
}
