/**
 * The shape of one ctx.device.http call after the host checked and normalised it, and of the
 * reply. Transports (live fetch, recorded fixtures) speak only these types.
 */
import type { SplitPath } from "./http-path.js";

export type HttpExchange = SplitPath & {
  alias: string;
  method: string;
  /** Lower-case names; includes the injected auth header. */
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
};

export type HttpReply = { status: number; headers: Record<string, string>; body: string };

export interface HttpTransport {
  send(exchange: HttpExchange, maxResponseBytes: number): Promise<HttpReply>;
}

/** What the handler receives: `json` is the parsed body when the reply says it is JSON and it parses, else nil. */
export type HttpResponse = { status: number; headers: Record<string, string>; body: string; json: unknown };
