/**
 * The SandboxHost of one invocation: dispatches each ctx call the sandbox forwards, checks it
 * against the manifest at call time by the capability table's permission rules, runs it against the install's store and device transports,
 * records it, and redacts every credential out of what it records or raises.
 */
import { buildAuthHeader, type AuthHeader } from "../device/auth-header.js";
import { DeviceError } from "../device/device-error.js";
import type { HttpExchange, HttpReply, HttpResponse, HttpTransport } from "../device/http-exchange.js";
import { buildExchange, HTTP_DEFAULTS, shapeResponse } from "../device/http-call.js";
import { buildSqlExchange, type SqlExchange, type SqlRow, type SqlTransport } from "../device/sql-call.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import type { Redactor } from "../redact/redactor.js";
import { HostCallError } from "../sandbox/host-error.js";
import type { SandboxHost } from "../sandbox/index.js";
import { assertContainerValue } from "../storage/container-schemas.js";
import { STORAGE_LIMITS, type Clock, type InstallStore } from "../storage/install-store.js";
import { CtxError } from "./ctx-error.js";
import type { DeviceRequestRecord, InvocationRecord } from "./invocation-record.js";
import { isCtxCall, logLevels, type CtxCall, type LogLevel } from "../capabilities/capability-table.js";
import { containerSchema, declaredResource, deviceGrant } from "../capabilities/permissions.js";
import { authorize } from "./authorize.js";
import { BILLING_LIMITS, billingCharge } from "./billing-charge.js";
import { graphqlBody, tenantApi, type TenantApis } from "./tenant-apis.js";

export type HostOptions = {
  manifest: Manifest;
  store: InstallStore;
  http: HttpTransport;
  sql: SqlTransport;
  credentials: Record<string, unknown>;
  redactor: Redactor;
  clock: Clock;
  record: InvocationRecord;
  /** Wall-clock left in the invocation; a device call never waits longer. */
  remainingMs?: () => number;
  maxResponseBytes?: number;
  /** The tenant's cache, database and GraphQL endpoint; absent outside the runtime service. */
  tenant?: TenantApis;
  /**
   * Fresh credentials after a device call answered 401 (an OAuth access token refreshed), or null
   * when there are none to be had. Asked at most once per invocation; the call is then sent again.
   */
  reauthorize?: () => Promise<Record<string, unknown> | null>;
};

function key(what: string, v: unknown): string {
  if (typeof v !== "string" || v === "") throw new CtxError("INVALID_ARGUMENT", `${what} must be a non-empty string`);
  if (v.length > STORAGE_LIMITS.keyChars) throw new CtxError("INVALID_ARGUMENT", `${what} is longer than ${STORAGE_LIMITS.keyChars} characters`);
  return v;
}

function storable(what: string, v: unknown): unknown {
  const json = JSON.stringify(v ?? null);
  if (Buffer.byteLength(json) > STORAGE_LIMITS.valueBytes) throw new CtxError("INVALID_ARGUMENT", `${what} is larger than ${STORAGE_LIMITS.valueBytes} bytes as JSON`);
  return v ?? null;
}

function optionsTable(what: string, v: unknown): Record<string, unknown> {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new CtxError("INVALID_ARGUMENT", `${what} must be a table`);
  return v as Record<string, unknown>;
}

/** What the ctx handlers below need of one invocation. */
type HostState = {
  opts: HostOptions;
  /** The injected header, built at the first device call (missing credentials fail there, where the handler sees it). */
  authHeader: AuthHeader | null | undefined;
  credentials: Record<string, unknown>;
  reauthorized: boolean;
  callsPerAlias: Map<string, number>;
};

function auth(s: HostState): AuthHeader | null {
  if (s.authHeader === undefined) s.authHeader = buildAuthHeader(s.opts.manifest.auth, s.credentials);
  return s.authHeader;
}

/** The same exchange with the header of fresh credentials, once per invocation after a 401; null when there are none. */
async function reauthorized(s: HostState, exchange: HttpExchange): Promise<HttpExchange | null> {
  if (s.reauthorized || !s.opts.reauthorize) return null;
  s.reauthorized = true;
  const fresh = await s.opts.reauthorize();
  if (!fresh) return null;
  s.credentials = fresh;
  s.authHeader = undefined;
  const header = auth(s);
  return header ? { ...exchange, headers: { ...exchange.headers, [header.name.toLowerCase()]: header.value } } : null;
}

async function cacheSetIn(store: InstallStore, what: string, entry: unknown): Promise<null> {
  const { key: k, value, ttl } = optionsTable(`${what}: the argument`, entry) as { key?: unknown; value?: unknown; ttl?: unknown };
  if (ttl !== undefined && ttl !== null && (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0 || ttl > STORAGE_LIMITS.maxTtlSeconds)) {
    throw new CtxError("INVALID_ARGUMENT", `${what}: ttl must be a number of seconds from 0 to ${STORAGE_LIMITS.maxTtlSeconds}`);
  }
  await store.cacheSet(key(`${what}: key`, k), storable(`${what}: value`, value), typeof ttl === "number" ? ttl : undefined);
  return null;
}

/** Sends an http exchange under its request record: the status it answered, or the redacted error. */
async function recordedHttp(s: HostState, exchange: HttpExchange, send: (ex: HttpExchange, maxBytes: number) => Promise<HttpReply>): Promise<HttpResponse> {
  const entry: DeviceRequestRecord & { kind: "http" } = { kind: "http", alias: exchange.alias, method: exchange.method, path: exchange.path, query: exchange.query };
  s.opts.record.requests.push(entry);
  try {
    const reply = await send(exchange, s.opts.maxResponseBytes ?? HTTP_DEFAULTS.maxResponseBytes);
    entry.status = reply.status;
    return shapeResponse(reply);
  } catch (error) {
    entry.error = s.opts.redactor.text((error as Error).message);
    throw error;
  }
}

/** Runs a sql exchange under its request record: the rows it returned, or the redacted error. */
async function recordedSql(s: HostState, transport: SqlTransport, exchange: SqlExchange): Promise<SqlRow[]> {
  const entry: DeviceRequestRecord & { kind: "sql" } = { kind: "sql", alias: exchange.alias, query: exchange.query, params: exchange.params };
  s.opts.record.requests.push(entry);
  try {
    const rows = await transport.query(exchange);
    entry.rows = rows.length;
    return rows;
  } catch (error) {
    entry.error = s.opts.redactor.text((error as Error).message);
    throw error;
  }
}

function countCall(s: HostState, alias: string, maxCalls: number | undefined): void {
  const n = (s.callsPerAlias.get(alias) ?? 0) + 1;
  s.callsPerAlias.set(alias, n);
  if (maxCalls !== undefined && n > maxCalls) {
    throw new CtxError("DEVICE_CALLS_EXCEEDED", `more than ${maxCalls} calls to ${JSON.stringify(alias)} in one invocation`, `permissions.device.${alias}.maxCalls`);
  }
}

// Module-level, not per invocation: a warm call should not pay for building a dozen closures.
const handlers: Record<CtxCall, (s: HostState, args: unknown[]) => Promise<unknown>> = {
  async "device.http"(s, [alias, options]) {
    const name = alias as string;
    countCall(s, name, deviceGrant(s.opts.manifest, name)!.maxCalls);
    const exchange = buildExchange(name, options, { authHeader: auth(s), maxTimeoutMs: Math.max(1, s.opts.remainingMs?.() ?? HTTP_DEFAULTS.timeoutMs) });
    return recordedHttp(s, exchange, async (ex, max) => {
      const reply = await s.opts.http.send(ex, max);
      const again = reply.status === 401 ? await reauthorized(s, ex) : null;
      return again ? s.opts.http.send(again, max) : reply;
    });
  },
  async "device.sql"(s, [alias, query, params]) {
    const name = alias as string;
    const grant = deviceGrant(s.opts.manifest, name)!;
    countCall(s, name, grant.maxCalls);
    const exchange = buildSqlExchange(name, declaredResource(s.opts.manifest, name)!.dialect ?? "sqlite", grant.readOnly === true, query, params);
    return recordedSql(s, s.opts.sql, exchange);
  },
  async "integration.cacheGet"(s, [k]) {
    return s.opts.store.cacheGet(key("cacheGet: key", k));
  },
  async "integration.cacheSet"(s, [entry]) {
    return cacheSetIn(s.opts.store, "cacheSet", entry);
  },
  async "integration.cacheDelete"(s, [k]) {
    return s.opts.store.cacheDelete(key("cacheDelete: key", k));
  },
  async "integration.containersGet"(s, [name, k]) {
    return s.opts.store.containerGet(name as string, key("containersGet: key", k));
  },
  async "integration.containersSet"(s, [name, k, value]) {
    const schema = containerSchema(s.opts.manifest, name as string)!;
    const v = storable("containersSet: value", value);
    assertContainerValue(name as string, schema, v);
    await s.opts.store.containerSet(name as string, key("containersSet: key", k), v);
    return null;
  },
  async "integration.containersDelete"(s, [name, k]) {
    return s.opts.store.containerDelete(name as string, key("containersDelete: key", k));
  },
  async "integration.containersList"(s, [name, options]) {
    const o = optionsTable("containersList: options", options);
    const bad = (f: string) => new CtxError("INVALID_ARGUMENT", `containersList: ${f} has the wrong type`);
    if (o.prefix !== undefined && typeof o.prefix !== "string") throw bad("prefix");
    if (o.cursor !== undefined && o.cursor !== null && typeof o.cursor !== "string") throw bad("cursor");
    if (o.limit !== undefined && typeof o.limit !== "number") throw bad("limit");
    return s.opts.store.containerList(name as string, {
      ...(typeof o.prefix === "string" ? { prefix: o.prefix } : {}),
      ...(typeof o.limit === "number" ? { limit: o.limit } : {}),
      ...(typeof o.cursor === "string" ? { cursor: o.cursor } : {}),
    });
  },
  async log(s, [level, message, fields]) {
    const lvl: LogLevel = (logLevels as readonly unknown[]).includes(level) ? (level as LogLevel) : "info";
    const text = typeof message === "string" ? message : JSON.stringify(message ?? null);
    s.opts.record.logs.push({
      level: lvl,
      message: s.opts.redactor.text(text),
      ...(fields === undefined || fields === null ? {} : { fields: s.opts.redactor.value(fields) }),
      at: new Date(s.opts.clock.now()).toISOString(),
    });
    return null;
  },
  async emit(s, [topic, payload]) {
    s.opts.record.events.push({ topic: topic as string, payload: s.opts.redactor.value(payload ?? null) });
    return null;
  },
  async "billing.charge"(s, [usd, note]) {
    if (s.opts.record.charges.length >= BILLING_LIMITS.chargesPerRun) throw new CtxError("INVALID_ARGUMENT", `ctx.billing.charge: more than ${BILLING_LIMITS.chargesPerRun} charges in one invocation`);
    const c = billingCharge(usd, note);
    s.opts.record.charges.push({ usd: c.usd, note: c.note === null ? null : s.opts.redactor.text(c.note) });
    return null;
  },
  async "cache.get"(s, [k]) {
    return tenantApi(s.opts.tenant, "cache").cacheGet(key("cache.get: key", k));
  },
  async "cache.set"(s, [entry]) {
    return cacheSetIn(tenantApi(s.opts.tenant, "cache"), "cache.set", entry);
  },
  async "cache.delete"(s, [k]) {
    return tenantApi(s.opts.tenant, "cache").cacheDelete(key("cache.delete: key", k));
  },
  async sql(s, [query, params]) {
    const transport = tenantApi(s.opts.tenant, "sql");
    return recordedSql(s, transport, buildSqlExchange(TENANT_SQL_ALIAS, "sqlite", false, query, params));
  },
  async graphql(s, [query, variables]) {
    const { transport, url } = tenantApi(s.opts.tenant, "graphql");
    const body = graphqlBody(query, variables);
    // The binding's URL is the endpoint itself: the request goes to its path, or "/" when it has none.
    const exchange: HttpExchange = {
      alias: TENANT_GRAPHQL_ALIAS, method: "POST", path: new URL(url).pathname === "/" ? "/" : "", query: {},
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" }, body,
      timeoutMs: Math.max(1, Math.ceil(Math.min(HTTP_DEFAULTS.timeoutMs, s.opts.remainingMs?.() ?? HTTP_DEFAULTS.timeoutMs))),
    };
    const reply = await recordedHttp(s, exchange, (ex, max) => transport.send(ex, max));
    const json = (reply.json ?? {}) as { data?: unknown; errors?: unknown };
    return { status: reply.status, data: json.data ?? null, errors: json.errors ?? null };
  },
};

/** Names the tenant's targets go by in request records and transports; not valid aliases, so they never clash with a manifest's. */
export const TENANT_SQL_ALIAS = "tenant.sql";
export const TENANT_GRAPHQL_ALIAS = "tenant.graphql";

export function createSandboxHost(opts: HostOptions): SandboxHost {
  const state: HostState = { opts, authHeader: undefined, credentials: opts.credentials, reauthorized: false, callsPerAlias: new Map() };
  const { redactor } = opts;
  return {
    async call(name, args) {
      try {
        if (!isCtxCall(name)) throw new CtxError("INVALID_ARGUMENT", `unknown ctx call ${JSON.stringify(String(name))}`);
        authorize(opts.manifest, name, args);
        return await handlers[name](state, args);
      } catch (error) {
        // A copy with secrets removed: the handler, the logs and the caller all see this one.
        if (error instanceof DeviceError) throw new DeviceError(error.code as never, redactor.text(error.message), error.request && redactor.value(error.request));
        if (error instanceof CtxError) throw error.redacted(redactor.text);
        if (error instanceof HostCallError) throw new HostCallError(error.code, redactor.text(error.message));
        throw new HostCallError("HOST_ERROR", redactor.text(error instanceof Error ? error.message : String(error)));
      }
    },
  };
}
