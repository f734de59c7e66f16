/**
 * ctx.device.http(alias, { method, path, params, query, headers, body | json, timeoutMs }) on the
 * host: checks every argument, fills the path template, injects auth, sends through a transport
 * and shapes the reply. Hostile values (CR/LF in headers, paths escaping the base, params that
 * would change the path, oversized bodies) fail with a DeviceError.
 */
import { z } from "zod";
import { httpMethods } from "../manifest/manifest-schema.js";
import type { AuthHeader } from "./auth-header.js";
import { DeviceError } from "./device-error.js";
import type { HttpExchange, HttpResponse, HttpTransport } from "./http-exchange.js";
import { normalizeDevicePath } from "./http-path.js";
import { fillPathTemplate } from "./path-template.js";

export const HTTP_DEFAULTS = { timeoutMs: 30_000, maxResponseBytes: 5 * 1024 * 1024, maxRequestBytes: 5 * 1024 * 1024 } as const;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the transport or the host; a handler choosing them could smuggle requests. */
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization"]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** Lua's empty table arrives as [] or {}; both mean "none". */
const record = z.union([z.record(z.string(), scalar), z.array(z.never()).max(0)]).optional();

/** The request table of ctx.device.http; the capability table documents each field (a test keeps both in step). */
export const httpArgsSchema = z.strictObject({
  method: z.string().optional(),
  path: z.string(),
  params: record,
  query: record,
  headers: record,
  body: z.string().optional(),
  json: z.unknown().optional(),
  timeoutMs: z.number().positive().optional(),
});

export type HttpCallOptions = {
  transport: HttpTransport;
  authHeader: AuthHeader | null;
  maxResponseBytes?: number;
  /** Upper bound for a call's timeoutMs, usually what is left of the invocation's wall clock. */
  maxTimeoutMs?: number;
};

function toRecord(v: Record<string, string | number | boolean> | never[] | undefined): Record<string, string> {
  return Array.isArray(v) || v === undefined ? {} : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

type HttpArgs = z.infer<typeof httpArgsSchema>;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const scalarRecord = (v: unknown) =>
  v === undefined || (Array.isArray(v) && v.length === 0) || (isPlain(v) && Object.values(v).every((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean"));
const ARG_CHECKS: Record<string, (v: unknown) => boolean> = {
  method: (v) => v === undefined || typeof v === "string",
  path: (v) => typeof v === "string",
  params: scalarRecord,
  query: scalarRecord,
  headers: scalarRecord,
  body: (v) => v === undefined || typeof v === "string",
  json: () => true,
  timeoutMs: (v) => v === undefined || (typeof v === "number" && v > 0),
};

/**
 * The options as httpArgsSchema accepts them. Values from Lua are plain JSON data, for which
 * the checks above decide exactly what the schema would, at a fraction of its cost; anything
 * else, and every refusal, goes through the schema for its message.
 */
function httpArgs(alias: string, rawArgs: unknown): HttpArgs {
  if (isPlain(rawArgs) && "path" in rawArgs && Object.keys(rawArgs).every((k) => Object.hasOwn(ARG_CHECKS, k) && ARG_CHECKS[k]!(rawArgs[k]))) return rawArgs as HttpArgs;
  const parsed = httpArgsSchema.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DeviceError("HTTP_BAD_REQUEST", `ctx.device.http options: ${issue.path.join(".") || "(options)"}: ${issue.message}`, { alias });
  }
  return parsed.data;
}

export function buildExchange(alias: string, rawArgs: unknown, opts: Pick<HttpCallOptions, "authHeader" | "maxTimeoutMs">): HttpExchange {
  const args = httpArgs(alias, rawArgs);
  const method = (args.method ?? "GET").toUpperCase();
  if (!(httpMethods as readonly string[]).includes(method)) throw new DeviceError("HTTP_BAD_REQUEST", `method ${JSON.stringify(method.slice(0, 20))} is not one of ${httpMethods.join(", ")}`, { alias });
  const { path: template, query: pathQuery } = normalizeDevicePath(alias, args.path);
  const path = fillPathTemplate(alias, template, Array.isArray(args.params) ? undefined : args.params);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(toRecord(args.headers))) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw new DeviceError("HTTP_BAD_HEADER", `header name ${JSON.stringify(name.slice(0, 100))} is not a valid HTTP token`, { alias, method });
    if (/[\r\n\u0000]/.test(value)) throw new DeviceError("HTTP_BAD_HEADER", `header ${name} contains CR, LF or NUL`, { alias, method });
    if (RESERVED_HEADERS.has(lower)) throw new DeviceError("HTTP_BAD_HEADER", `header ${name} is set by the runtime, not by handlers`, { alias, method });
    headers[lower] = value;
  }
  if (args.body !== undefined && args.json !== undefined) throw new DeviceError("HTTP_BAD_REQUEST", "pass either body or json, not both", { alias, method });
  let body = args.body;
  if (args.json !== undefined) {
    body = JSON.stringify(args.json);
    headers["content-type"] ??= "application/json";
  }
  if (body !== undefined && Buffer.byteLength(body) > HTTP_DEFAULTS.maxRequestBytes) {
    throw new DeviceError("HTTP_BAD_REQUEST", `request body is larger than ${HTTP_DEFAULTS.maxRequestBytes} bytes`, { alias, method });
  }
  // The injected credential wins over anything the handler set under the same name.
  if (opts.authHeader) headers[opts.authHeader.name.toLowerCase()] = opts.authHeader.value;
  const ceiling = opts.maxTimeoutMs ?? HTTP_DEFAULTS.timeoutMs;
  // Rounded up: a call bounded by the invocation's deadline must not give up before it, or the
  // handler would see a device timeout where the invocation's own timeout is due.
  return { alias, method, path, query: { ...pathQuery, ...toRecord(args.query) }, headers, body, timeoutMs: Math.max(1, Math.ceil(Math.min(args.timeoutMs ?? ceiling, ceiling))) };
}

export function shapeResponse(reply: { status: number; headers: Record<string, string>; body: string }): HttpResponse {
  let json: unknown = null;
  if (/\bjson\b|\+json/i.test(reply.headers["content-type"] ?? "") && reply.body !== "") {
    try {
      json = JSON.parse(reply.body);
    } catch {
      json = null;
    }
  }
  return { status: reply.status, headers: reply.headers, body: reply.body, json };
}

export async function httpCall(alias: string, rawArgs: unknown, opts: HttpCallOptions): Promise<HttpResponse> {
  const exchange = buildExchange(alias, rawArgs, opts);
  const reply = await opts.transport.send(exchange, opts.maxResponseBytes ?? HTTP_DEFAULTS.maxResponseBytes);
  return shapeResponse(reply);
}
