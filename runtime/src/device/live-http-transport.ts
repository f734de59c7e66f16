/**
 * Sends device calls to the real binding over node:http(s) with keep-alive agents. Redirects
 * are returned, not followed, so an injected credential never travels to a host the installer
 * did not bind; the body is read with a byte cap (after content decoding, so a small compressed
 * reply cannot inflate past it) and the call is destroyed at its timeout.
 *
 * Not fetch: on Node 20 a fetch costs two to three times the CPU of the same request through
 * node:http, and for a handler making one call that is most of the invocation.
 */
import http from "node:http";
import https from "node:https";
import { DeviceError } from "./device-error.js";
import type { HttpExchange, HttpReply, HttpTransport } from "./http-exchange.js";
import { joinBaseUrl } from "./http-path.js";
import { readReply, ReplyTooLarge } from "./read-reply.js";

export type HttpBinding = { baseUrl: string };

/**
 * Shared by every transport, so installs calling the same API reuse connections. Node's agent
 * retires an idle socket before the server's `Keep-Alive: timeout` hint runs out, and unrefs it,
 * so idle connections never keep the process alive.
 */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** What fetch sends unless told otherwise; some APIs refuse requests without a user agent. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { accept: "*/*", "user-agent": "ihub-runtime", "accept-encoding": "gzip, deflate, br" };

/** Methods that may be sent again when a kept-alive socket turns out closed before any reply. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

type Summary = { alias: string; method: string; url: string };

/** A binding's base URL, parsed once: the parts a request needs. */
type Target = { protocol: "http:" | "https:"; hostname: string; port: string; origin: string; basePath: string; baseUrl: string };

/** Characters the URL parser never escapes in a path: such a path joins the base as a plain string. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** The target, or why the binding cannot be one. */
function parseTarget(baseUrl: string): Target | string {
  if (!URL.canParse(baseUrl)) return "its base URL does not parse";
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") return `only http and https bindings are supported, not ${url.protocol}`;
  // WHATWG URLs keep the brackets of an IPv6 host; sockets want the bare address.
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, hostname, port: url.port, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ""), baseUrl };
}

/** Path and query of the request line, as joinBaseUrl would build them. */
function requestPath(target: Target, ex: HttpExchange): string {
  if (!PLAIN_PATH.test(ex.path)) {
    const url = joinBaseUrl(target.baseUrl, ex.path, ex.query);
    return url.pathname + url.search;
  }
  for (const _ in ex.query) return `${target.basePath}${ex.path}?${new URLSearchParams(ex.query).toString()}`;
  return target.basePath + ex.path;
}

export function liveHttpTransport(bindings: Record<string, HttpBinding>): HttpTransport {
  const targets = new Map<string, Target | string>();
  return {
    send(ex: HttpExchange, maxResponseBytes: number): Promise<HttpReply> {
      const binding = Object.hasOwn(bindings, ex.alias) ? bindings[ex.alias] : undefined;
      if (!binding) return Promise.reject(new DeviceError("UNBOUND_ALIAS", `alias "${ex.alias}" has no binding in this install`, { alias: ex.alias }));
      let target = targets.get(ex.alias);
      if (target === undefined || (typeof target !== "string" && target.baseUrl !== binding.baseUrl)) targets.set(ex.alias, (target = parseTarget(binding.baseUrl)));
      if (typeof target === "string") {
        return Promise.reject(new DeviceError("HTTP_TRANSPORT", `${ex.method} ${binding.baseUrl} failed: ${target}`, { alias: ex.alias, method: ex.method }));
      }
      const path = requestPath(target, ex);
      const q = path.indexOf("?");
      // The URL in errors carries no query: APIs put tokens there.
      const summary = { alias: ex.alias, method: ex.method, url: target.origin + (q === -1 ? path : path.slice(0, q)) };
      return exchange(ex, target, path, summary, maxResponseBytes, performance.now() + ex.timeoutMs, IDEMPOTENT.has(ex.method));
    },
  };
}

function exchange(ex: HttpExchange, target: Target, path: string, summary: Summary, maxResponseBytes: number, deadline: number, mayRetry: boolean): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve, reject) => {
    const { protocol } = target;
    let req: http.ClientRequest;
    let replied = false;
    let timedOut = false;
    // Node may run a timer a little before its time (its loop clock lags); the call gives up
    // only once the deadline really passed, so a caller holding the same deadline sees it passed too.
    const expire = () => {
      const left = deadline - performance.now();
      if (left > 0) {
        timer = setTimeout(expire, Math.ceil(left));
        return;
      }
      timedOut = true;
      req.destroy();
    };
    let timer = setTimeout(expire, Math.max(0, Math.ceil(deadline - performance.now())));
    const fail = (error: DeviceError) => {
      clearTimeout(timer);
      reject(error);
    };
    const transportError = (error: Error) => {
      if (timedOut) return fail(new DeviceError("HTTP_TIMEOUT", `${ex.method} ${summary.url} timed out after ${ex.timeoutMs} ms`, summary));
      const code = (error as { code?: string }).code;
      if (!replied && mayRetry && req.reusedSocket && (code === "ECONNRESET" || code === "EPIPE")) {
        // The server closed the idle connection as this request went out: nothing was answered, send it once more on a new one.
        clearTimeout(timer);
        exchange(ex, target, path, summary, maxResponseBytes, deadline, false).then(resolve, reject);
        return;
      }
      return fail(new DeviceError("HTTP_TRANSPORT", replied ? `${ex.method} ${summary.url}: reading the reply failed` : `${ex.method} ${summary.url} failed: ${code ?? error.message}`, summary));
    };
    try {
      req = (protocol === "https:" ? https : http).request({
        protocol,
        hostname: target.hostname,
        port: target.port,
        path,
        method: ex.method,
        headers: { ...DEFAULT_HEADERS, ...ex.headers },
        agent: agents[protocol],
      });
    } catch (error) {
      // node:http refuses some header bytes that the exchange's own checks let through.
      return fail(new DeviceError("HTTP_TRANSPORT", `${ex.method} ${summary.url} failed: ${(error as Error).message}`, summary));
    }
    req.on("error", transportError);
    req.on("response", (res) => {
      replied = true;
      readReply(res, maxResponseBytes).then(
        (body) => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body });
        },
        (error: unknown) => {
          if (error instanceof ReplyTooLarge) {
            req.destroy();
            return fail(new DeviceError("HTTP_RESPONSE_TOO_LARGE", `${ex.method} ${summary.url} replied with more than ${maxResponseBytes} bytes`, { ...summary, status: res.statusCode ?? 0 }));
          }
          transportError(error as Error);
        },
      );
    });
    req.end(ex.body);
  });
}

/** Lower-case names to one string each; repeated headers (set-cookie) joined as fetch's Headers joins them. */
function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
