/**
 * The path a handler passes to ctx.device.http is relative to the alias's binding. It may not
 * carry a scheme or host, and after resolving dot segments it may not climb above the binding's
 * base path, so a handler can only reach what the installer bound.
 */
import { DeviceError } from "./device-error.js";

const FORBIDDEN = /[\u0000-\u001f\u007f\\#]/;

export type SplitPath = { path: string; query: Record<string, string> };

/**
 * Non-empty segments of unreserved and sub-delimiter characters, none of them "." or "..": such a
 * path is already normal (nothing to decode, drop or climb), as most calls' paths are.
 */
const NORMAL_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+\/?$/;

/** The normalised path (leading "/", no dot segments) and any query written into it. */
export function normalizeDevicePath(alias: string, raw: string): SplitPath {
  if (raw.length <= 8192 && NORMAL_PATH.test(raw)) return { path: raw, query: {} };
  const bad = (why: string) => new DeviceError("HTTP_BAD_PATH", `path ${JSON.stringify(raw.slice(0, 200))} ${why}`, { alias });
  if (raw.length > 8192) throw bad("is longer than 8192 characters");
  if (FORBIDDEN.test(raw)) throw bad("contains a control character, backslash or fragment");
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(raw) || raw.startsWith("//")) throw bad("must be a path, not a URL: the host comes from the alias's binding");
  const q = raw.indexOf("?");
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? {} : Object.fromEntries(new URLSearchParams(raw.slice(q + 1)));
  const out: string[] = [];
  for (const segment of pathPart.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw bad("has a malformed percent-encoding");
    }
    if (decoded.includes("/") && (decoded.includes(".") || decoded.includes("\\"))) throw bad("hides a path separator in percent-encoding");
    if (segment === "." || segment === "") continue;
    if (decoded === "..") {
      if (segment !== "..") throw bad("hides a dot segment in percent-encoding");
      if (out.length === 0) throw bad("climbs above the alias's base path");
      out.pop();
      continue;
    }
    if (decoded === ".") throw bad("hides a dot segment in percent-encoding");
    out.push(segment);
  }
  const trailing = pathPart.endsWith("/") && out.length > 0 ? "/" : "";
  return { path: "/" + out.join("/") + trailing, query };
}

/** The binding's base URL joined with a normalised path and query. */
export function joinBaseUrl(baseUrl: string, path: string, query: Record<string, string>): URL {
  const url = new URL(baseUrl);
  url.pathname = url.pathname.replace(/\/+$/, "") + path;
  url.search = new URLSearchParams(query).toString();
  url.hash = "";
  return url;
}
