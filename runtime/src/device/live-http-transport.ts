/**
 * Sends device calls to the real binding with fetch. Redirects are returned, not followed, so an
 * injected credential never travels to a host the installer did not bind; the body is read with
 * a byte cap and the call aborted at its timeout.
 */
import { DeviceError } from "./device-error.js";
import type { HttpExchange, HttpReply, HttpTransport } from "./http-exchange.js";
import { joinBaseUrl } from "./http-path.js";

export type HttpBinding = { baseUrl: string };

async function readCapped(res: Response, max: number, fail: () => DeviceError): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw fail();
  }
  // HTTP/1.1 framing ends the body at a declared length, so it cannot outgrow the check above;
  // reading it whole is much cheaper than iterating the stream.
  if (Number.isInteger(declared) && declared >= 0) return Buffer.from(await res.arrayBuffer()).toString("utf8");
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) {
        await res.body.cancel().catch(() => undefined);
        throw fail();
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function liveHttpTransport(bindings: Record<string, HttpBinding>): HttpTransport {
  return {
    async send(ex: HttpExchange, maxResponseBytes: number): Promise<HttpReply> {
      const binding = bindings[ex.alias];
      if (!binding) throw new DeviceError("UNBOUND_ALIAS", `alias "${ex.alias}" has no binding in this install`, { alias: ex.alias });
      const url = joinBaseUrl(binding.baseUrl, ex.path, ex.query);
      // The URL in errors carries no query: APIs put tokens there.
      const summary = { alias: ex.alias, method: ex.method, url: `${url.origin}${url.pathname}` };
      // A timer cleared when the call ends, not AbortSignal.timeout: that one costs several times
      // more to create and stays armed (holding the request) for the whole timeout.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException("device call timed out", "TimeoutError")), ex.timeoutMs);
      try {
        return await exchange(ex, url, summary, controller.signal, maxResponseBytes);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function exchange(ex: HttpExchange, url: URL, summary: { alias: string; method: string; url: string }, signal: AbortSignal, maxResponseBytes: number): Promise<HttpReply> {
  let res: Response;
  try {
    res = await fetch(url, { method: ex.method, headers: ex.headers, body: ex.body, redirect: "manual", signal });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") throw new DeviceError("HTTP_TIMEOUT", `${ex.method} ${summary.url} timed out after ${ex.timeoutMs} ms`, summary);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DeviceError("HTTP_TRANSPORT", `${ex.method} ${summary.url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`, summary);
  }
  const fail = () => new DeviceError("HTTP_RESPONSE_TOO_LARGE", `${ex.method} ${summary.url} replied with more than ${maxResponseBytes} bytes`, { ...summary, status: res.status });
  let body: string;
  try {
    body = await readCapped(res, maxResponseBytes, fail);
  } catch (error) {
    if (error instanceof DeviceError) throw error;
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") throw new DeviceError("HTTP_TIMEOUT", `${ex.method} ${summary.url} timed out after ${ex.timeoutMs} ms`, summary);
    throw new DeviceError("HTTP_TRANSPORT", `${ex.method} ${summary.url}: reading the reply failed`, summary);
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return { status: res.status, headers, body };
}
