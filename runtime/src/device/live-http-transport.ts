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

export function liveHttpTransport(bindings: Record<string, HttpBinding>): HttpTransport {
  return {
    send(ex: HttpExchange, maxResponseBytes: number): Promise<HttpReply> {
      const binding = Object.hasOwn(bindings, ex.alias) ? bindings[ex.alias] : undefined;
      if (!binding) return Promise.reject(new DeviceError("UNBOUND_ALIAS", `alias "${ex.alias}" has no binding in this install`, { alias: ex.alias }));
      const url = joinBaseUrl(binding.baseUrl, ex.path, ex.query);
      // The URL in errors carries no query: APIs put tokens there.
      const summary = { alias: ex.alias, method: ex.method, url: `${url.origin}${url.pathname}` };
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        return Promise.reject(new DeviceError("HTTP_TRANSPORT", `${ex.method} ${summary.url} failed: only http and https bindings are supported`, summary));
      }
      return exchange(ex, url, summary, maxResponseBytes, performance.now() + ex.timeoutMs, IDEMPOTENT.has(ex.method));
    },
  };
}

function exchange(ex: HttpExchange, url: URL, summary: Summary, maxResponseBytes: number, deadline: number, mayRetry: boolean): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve, reject) => {
    const protocol = url.protocol as "http:" | "https:";
    let req: http.ClientRequest;
    let replied = false;
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        req.destroy();
      },
      Math.max(0, deadline - performance.now()),
    );
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
        exchange(ex, url, summary, maxResponseBytes, deadline, false).then(resolve, reject);
        return;
      }
      return fail(new DeviceError("HTTP_TRANSPORT", replied ? `${ex.method} ${summary.url}: reading the reply failed` : `${ex.method} ${summary.url} failed: ${code ?? error.message}`, summary));
    };
    try {
      req = (protocol === "https:" ? https : http).request({
        protocol,
        // WHATWG URLs keep the brackets of an IPv6 host; sockets want the bare address.
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
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
