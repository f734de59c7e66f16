/** Listed pages only: unlisted integrations are reachable by URL but never advertised. */
import type { APIRoute } from "astro";
import { href, listed } from "../lib/catalog.ts";

export const GET: APIRoute = ({ site }) => {
  const loc = (path: string) => (site ? new URL(href(path), site).href : href(path));
  const urls = [loc(""), ...listed().map((i) => loc(i.url))];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
    .map((u) => `  <url><loc>${u.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</loc></url>`)
    .join("\n")}\n</urlset>\n`;
  return new Response(body, { headers: { "Content-Type": "application/xml" } });
};
