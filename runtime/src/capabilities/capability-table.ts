/**
 * The ctx functions that reach the host, one entry each. Everything else about them is derived
 * from this table: the sandbox's Lua bindings (lua-bindings.ts), the `CtxCall` names the sandbox
 * forwards, the host's dispatch and permission verdict (host/sandbox-host.ts through
 * permissions.ts), `ihub validate`'s static check, docs/ctx.md (ctx-reference.ts) and the LuaLS
 * definitions editors use (luals-definitions.ts).
 *
 * Adding a ctx function: one entry here, plus its implementation in host/sandbox-host.ts (the
 * compiler asks for it there); then `npm run docs:ctx` rewrites the generated files, which a test
 * compares with this table. Limits quoted in descriptions come from the constants that enforce them.
 */
import type { DeviceErrorCode } from "../device/device-error.js";
import { HTTP_DEFAULTS } from "../device/http-call.js";
import { BILLING_LIMITS } from "../host/billing-charge.js";
import type { CtxErrorCode } from "../host/ctx-error.js";
import { MAX_GRAPHQL_QUERY_CHARS } from "../host/tenant-apis.js";
import { httpMethods } from "../manifest/manifest-schema.js";
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, STORAGE_LIMITS } from "../storage/install-store.js";
import type { StorageErrorCode } from "../storage/storage-error.js";
import type { Permission } from "./permissions.js";

export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

/** A value a ctx function takes or gives, as docs/ctx.md and the LuaLS definitions show it. */
export type CtxField = {
  name: string;
  /** A LuaLS type expression: `string`, `integer`, `table<string, any>`, `any`, or a class named below. */
  type: string;
  description: string;
  optional?: boolean;
};

/** A table-shaped value gets a LuaLS class of its own (`type` names it) whose fields are listed. */
export type CtxArgument = CtxField & { fields?: readonly CtxField[] };
export type CtxReply = Omit<CtxField, "name" | "optional"> & { fields?: readonly CtxField[] };

/** The `code` of a `{ code, message }` error a call raises at its call site (catchable with pcall). */
export type CtxFailureCode = CtxErrorCode | DeviceErrorCode | StorageErrorCode;
export type CtxFailure = { code: CtxFailureCode; when: string };

export type Capability = {
  /**
   * Where the handler finds it under ctx, when not at the entry's name; each path maps to the
   * arguments put before the handler's own (`ctx.log.info(m, f)` is the call `log("info", m, f)`).
   */
  lua?: Readonly<Record<string, readonly string[]>>;
  /** The arguments the handler passes, in order; the binding passes exactly these to the host. */
  args: readonly CtxArgument[];
  returns: CtxReply;
  /** What the manifest must grant; the first argument names the alias, container or topic it is granted for. */
  permission: Permission;
  /** Whose data the call reaches: the install's own, or what the tenant's installs share. */
  scope: "install" | "tenant";
  /** The per-invocation limit (SandboxLimits) each call counts against, besides time and memory. */
  counts?: "deviceCalls" | "logBytes";
  /** One line for docs/ctx.md. */
  description: string;
  /** The errors of this call beyond the permission's own (permissionFailures in permissions.ts). */
  errors: readonly CtxFailure[];
  /** Lua statements of a handler body (`ctx` and `input` in scope); a test runs each in the sandbox. */
  example: string;
};

const field = (name: string, type: string, description: string, optional = false): CtxField => ({ name, type, description, ...(optional ? { optional } : {}) });
const arg = field;
const fail = (code: CtxFailureCode, when: string): CtxFailure => ({ code, when });

const KEY = arg("key", "string", `a non-empty key of at most ${STORAGE_LIMITS.keyChars} characters`);
const CONTAINER = arg("name", "string", "the name of a data container declared under `dataContainerSchemas`");
const BAD_KEY = fail("INVALID_ARGUMENT", `the key is not a non-empty string of at most ${STORAGE_LIMITS.keyChars} characters`);
const TOO_LARGE = fail("INVALID_ARGUMENT", `the value is larger than ${STORAGE_LIMITS.valueBytes / 1024} KiB as JSON`);
const UNBOUND = fail("UNBOUND_ALIAS", "the install did not bind the alias to a target");
const MAX_CALLS = fail("DEVICE_CALLS_EXCEEDED", "the call is one more than `permissions.device.<alias>.maxCalls` allows in one invocation");
const NO_FIXTURE = fail("NO_FIXTURE_MATCH", "under `ihub test` or `ihub run` without `--live`: no recorded fixture matches the request");
const SCALARS = "table<string, string|number|boolean>";
const TENANT_KEY = arg("key", "string", `a key of the tenant's shared cache, non-empty and at most ${STORAGE_LIMITS.keyChars} characters`);
/** What both caches store (the install's own and the tenant's shared one): one LuaLS class. */
const CACHE_ENTRY: CtxArgument = {
  ...arg("entry", "ihub.CacheEntry", "what to store"),
  fields: [
    KEY,
    field("value", "any", `any JSON value, at most ${STORAGE_LIMITS.valueBytes / 1024} KiB as JSON`),
    field("ttl", "number", `seconds to keep it, above 0 and at most ${STORAGE_LIMITS.maxTtlSeconds} (a year); kept until deleted when left out`, true),
  ],
};
const NO_TENANT = fail("TENANT_API_UNAVAILABLE", "the run has no tenant (`ihub test`, `ihub run`) or the tenant has no binding of this name");

export const CAPABILITIES = {
  "device.http": {
    args: [
      arg("alias", "string", "a resource alias of kind http"),
      {
        ...arg("request", "ihub.HttpRequest", "the request, relative to the target the installer bound to the alias"),
        fields: [
          field("method", "string", `${httpMethods.join(", ")}, in any case; GET when left out`, true),
          field("path", "string", "the path under the binding's base URL, with an optional query string; no scheme or host, and it may not climb above the base path (`..`). It may be a template such as `/items/{id}` whose placeholders `params` fills"),
          field("params", SCALARS, "the values of the path template's placeholders (`params = { id = input.id }`), each percent-encoded into its own segment, so no `/`, `..`, `?` or `#` in a value changes the path", true),
          field("query", SCALARS, "query parameters, added to those written into `path`", true),
          field("headers", SCALARS, "request headers; the credential header the manifest's `auth` describes is injected and wins, and `Host`, `Content-Length`, `Transfer-Encoding`, `Connection` and the like are the runtime's", true),
          field("body", "string", `the request body as text, at most ${HTTP_DEFAULTS.maxRequestBytes / 1024 / 1024} MiB; not together with \`json\``, true),
          field("json", "any", "a value sent as the JSON body, with `Content-Type: application/json` unless `headers` set one; not together with `body`", true),
          field("timeoutMs", "number", `milliseconds to wait for the reply; ${HTTP_DEFAULTS.timeoutMs} when left out, and never longer than the invocation has left`, true),
        ],
      },
    ],
    returns: {
      type: "ihub.HttpReply",
      description: "the reply, whatever its status: a 404 or a 500 is a reply, not an error",
      fields: [
        field("status", "integer", "the HTTP status code"),
        field("headers", "table<string, string>", "the reply's headers, names in lower case"),
        field("body", "string", `the body as text (at most ${HTTP_DEFAULTS.maxResponseBytes / 1024 / 1024} MiB)`),
        field("json", "any", "the body decoded when the reply's `Content-Type` is JSON and it parses; nil otherwise", true),
      ],
    },
    permission: { kind: "device", resource: "http" },
    scope: "install",
    counts: "deviceCalls",
    description: "Sends an HTTP request to the target bound to the alias, with the install's credentials injected.",
    errors: [
      fail("HTTP_BAD_REQUEST", "`request` has an unknown field or a field of the wrong type, the method is not one listed, both `body` and `json` are given, or the body is too large"),
      fail("HTTP_BAD_PATH", "`path` is a URL, climbs above the base path, or holds a control character, a backslash, a fragment or a hidden dot segment"),
      fail("HTTP_BAD_PARAMS", "a placeholder of the path template has no param, a param has no placeholder, or a value would leave an empty, `.` or `..` segment"),
      fail("HTTP_BAD_HEADER", "a header name is not an HTTP token, a value holds CR, LF or NUL, or the header is one the runtime sets"),
      fail("HTTP_TIMEOUT", "no complete reply within `timeoutMs`"),
      fail("HTTP_TRANSPORT", "the connection failed (refused, reset, DNS)"),
      fail("HTTP_RESPONSE_TOO_LARGE", `the reply's body exceeds ${HTTP_DEFAULTS.maxResponseBytes / 1024 / 1024} MiB`),
      fail("CREDENTIALS_MISSING", "the manifest's `auth` needs a credential the install does not have"),
      UNBOUND,
      MAX_CALLS,
      NO_FIXTURE,
    ],
    example: [
      `local res = ctx.device.http("api", { method = "GET", path = "/owners/{owner}/items", params = { owner = input.owner }, query = { limit = 10 } })`,
      `if res.status ~= 200 then error({ code = "upstream", message = "the API answered " .. res.status }) end`,
      `return res.json`,
    ].join("\n"),
  },
  "device.sql": {
    args: [
      arg("alias", "string", "a resource alias of kind sql"),
      arg("query", "string", "one SQL statement, with `?` placeholders"),
      arg("params", "(string|number|boolean|nil)[]", "the placeholders' values in order, at most 1000", true),
    ],
    returns: { type: "table<string, any>[]", description: "the rows, each a table of column name to value (empty for a statement that returns none)" },
    permission: { kind: "device", resource: "sql" },
    scope: "install",
    counts: "deviceCalls",
    description: "Runs a parameterised query against the database bound to the alias.",
    errors: [
      fail("SQL_ERROR", "the query is empty or too long, `params` is not a list of scalars, or the database refused the statement"),
      fail("SQL_READ_ONLY", "the statement writes, and `permissions.device.<alias>.readOnly` is true"),
      fail("SQL_TOO_MANY_ROWS", "the statement returns more rows than the driver hands over; add a LIMIT"),
      fail("SQL_NO_DRIVER", "the binding's dialect has no driver in this runtime"),
      UNBOUND,
      MAX_CALLS,
      NO_FIXTURE,
    ],
    example: [`local rows = ctx.device.sql("db", "SELECT id, name FROM items WHERE owner = ?", { input.owner })`, `return { count = #rows, first = rows[1] }`].join("\n"),
  },
  "integration.cacheGet": {
    args: [KEY],
    returns: { type: "any", description: "the value stored under the key, or nil when there is none or its ttl ran out" },
    permission: { kind: "cache" },
    scope: "install",
    description: "Reads a value of the install's cache.",
    errors: [BAD_KEY],
    example: `local token = ctx.integration.cacheGet("session")\nif token == nil then return { cached = false } end\nreturn { cached = true }`,
  },
  "integration.cacheSet": {
    args: [CACHE_ENTRY],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "cache" },
    scope: "install",
    description: "Stores a value in the install's cache, for ttl seconds when given.",
    errors: [BAD_KEY, TOO_LARGE, fail("INVALID_ARGUMENT", "`ttl` is not a number of seconds in range, or `entry` is not a table")],
    example: `ctx.integration.cacheSet({ key = "session", value = { id = "s-1" }, ttl = 300 })`,
  },
  "integration.cacheDelete": {
    args: [KEY],
    returns: { type: "boolean", description: "whether the key was there" },
    permission: { kind: "cache" },
    scope: "install",
    description: "Removes a value from the install's cache.",
    errors: [BAD_KEY],
    example: `local removed = ctx.integration.cacheDelete("session")\nreturn { removed = removed }`,
  },
  "integration.containersGet": {
    args: [CONTAINER, KEY],
    returns: { type: "any", description: "the record, or nil" },
    permission: { kind: "container", access: "read" },
    scope: "install",
    description: "Reads one record of a data container.",
    errors: [BAD_KEY],
    example: `local order = ctx.integration.containersGet("orders", input.orderId)\nif not order then error({ code = "not_found", message = "no such order" }) end\nreturn order`,
  },
  "integration.containersSet": {
    args: [CONTAINER, KEY, arg("value", "any", "a record valid against the container's schema")],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "container", access: "readwrite" },
    scope: "install",
    description: "Writes one record of a data container, validated against its schema.",
    errors: [BAD_KEY, TOO_LARGE, fail("CONTAINER_VALUE_INVALID", "the record does not match `dataContainerSchemas.<name>`; the message lists each mismatch")],
    example: `ctx.integration.containersSet("orders", input.orderId, { status = "paid", total = 42 })`,
  },
  "integration.containersDelete": {
    args: [CONTAINER, KEY],
    returns: { type: "boolean", description: "whether the record was there" },
    permission: { kind: "container", access: "readwrite" },
    scope: "install",
    description: "Removes one record of a data container.",
    errors: [BAD_KEY],
    example: `ctx.integration.containersDelete("orders", input.orderId)`,
  },
  "integration.containersList": {
    args: [
      CONTAINER,
      {
        ...arg("options", "ihub.ListOptions", "which page to read", true),
        fields: [
          field("prefix", "string", "only keys that start with it", true),
          field("limit", "integer", `records per page, 1 to ${MAX_LIST_LIMIT}; ${DEFAULT_LIST_LIMIT} when left out`, true),
          field("cursor", "string", "the `cursor` of the previous page, to read the next one", true),
        ],
      },
    ],
    returns: {
      type: "ihub.ListPage",
      description: "one page of records in byte order of their keys",
      fields: [
        field("items", "{ key: string, value: any }[]", "the records of the page, each with its key"),
        field("cursor", "string", "pass it to read the next page; nil on the last page", true),
      ],
    },
    permission: { kind: "container", access: "read" },
    scope: "install",
    description: "Lists records of a data container by key, a page at a time.",
    errors: [
      fail("INVALID_ARGUMENT", `\`options\` is not a table, a field has the wrong type, or \`limit\` is not an integer from 1 to ${MAX_LIST_LIMIT}`),
      fail("INVALID_CURSOR", "the cursor was not returned by this container and prefix"),
    ],
    example: [
      `local keys, cursor = {}, nil`,
      `repeat`,
      `  local page = ctx.integration.containersList("orders", { prefix = "2026-", limit = 100, cursor = cursor })`,
      `  for _, item in ipairs(page.items) do keys[#keys + 1] = item.key end`,
      `  cursor = page.cursor`,
      `until cursor == nil`,
      `return keys`,
    ].join("\n"),
  },
  log: {
    lua: Object.fromEntries(logLevels.map((level) => [`log.${level}`, [level]])),
    args: [arg("message", "string", "the text of the line (anything else is written as JSON)"), arg("fields", "table<string, any>", "structured fields of the line", true)],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "none" },
    scope: "install",
    counts: "logBytes",
    description: "Writes a structured log line of the run, with secrets redacted.",
    errors: [],
    example: `ctx.log.info("synced", { items = 3, cursor = "c-9" })`,
  },
  emit: {
    args: [arg("topic", "string", "an event topic listed in `permissions.events.emit`"), arg("payload", "any", "the event's data, any JSON value")],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "emit" },
    scope: "tenant",
    description: "Publishes an event on the tenant's event bus.",
    errors: [],
    example: `ctx.emit("order.paid", { orderId = input.orderId })`,
  },
  "billing.charge": {
    args: [
      arg("usd", "number", `the cost in US dollars, from 0 to ${BILLING_LIMITS.maxUsd}`),
      arg("note", "string", `what the cost is for, at most ${BILLING_LIMITS.noteChars} characters`, true),
    ],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "billing" },
    scope: "install",
    description: "Records what this call cost; the run keeps each charge and `GET /v1/usage` sums them.",
    errors: [
      fail("INVALID_ARGUMENT", `\`usd\` is not a number from 0 to ${BILLING_LIMITS.maxUsd}, \`note\` is not a string of at most ${BILLING_LIMITS.noteChars} characters, or the invocation already made ${BILLING_LIMITS.chargesPerRun} charges`),
    ],
    example: `ctx.billing.charge(0.002, "one search request")`,
  },
  "cache.get": {
    args: [TENANT_KEY],
    returns: { type: "any", description: "the value stored under the key, or nil when there is none or its ttl ran out" },
    permission: { kind: "tenantApi", api: "cache" },
    scope: "tenant",
    description: "Reads a value of the cache the tenant's installs share.",
    errors: [BAD_KEY, NO_TENANT],
    example: `local region = ctx.cache.get("default-region")\nreturn { region = region }`,
  },
  "cache.set": {
    args: [CACHE_ENTRY],
    returns: { type: "nil", description: "nothing" },
    permission: { kind: "tenantApi", api: "cache" },
    scope: "tenant",
    description: "Stores a value in the cache the tenant's installs share, for ttl seconds when given.",
    errors: [BAD_KEY, TOO_LARGE, fail("INVALID_ARGUMENT", "`ttl` is not a number of seconds in range, or `entry` is not a table"), NO_TENANT],
    example: `ctx.cache.set({ key = "default-region", value = "eu", ttl = 3600 })`,
  },
  "cache.delete": {
    args: [TENANT_KEY],
    returns: { type: "boolean", description: "whether the key was there" },
    permission: { kind: "tenantApi", api: "cache" },
    scope: "tenant",
    description: "Removes a value from the cache the tenant's installs share.",
    errors: [BAD_KEY, NO_TENANT],
    example: `local removed = ctx.cache.delete("default-region")\nreturn { removed = removed }`,
  },
  sql: {
    args: [
      arg("query", "string", "one SQL statement, with `?` placeholders"),
      arg("params", "(string|number|boolean|nil)[]", "the placeholders' values in order, at most 1000", true),
    ],
    returns: { type: "table<string, any>[]", description: "the rows, each a table of column name to value (empty for a statement that returns none)" },
    permission: { kind: "tenantApi", api: "sql" },
    scope: "tenant",
    counts: "deviceCalls",
    description: "Runs a parameterised query against the tenant's own database (its `sql` binding; `sqlite:` DSNs).",
    errors: [
      fail("SQL_ERROR", "the query is empty or too long, `params` is not a list of scalars, or the database refused the statement"),
      fail("SQL_TOO_MANY_ROWS", "the statement returns more rows than the driver hands over; add a LIMIT"),
      NO_TENANT,
    ],
    example: `local rows = ctx.sql("SELECT name FROM customers WHERE id = ?", { input.customerId })\nreturn { name = rows[1] and rows[1].name }`,
  },
  graphql: {
    args: [
      arg("query", "string", `a GraphQL document, at most ${MAX_GRAPHQL_QUERY_CHARS} characters`),
      arg("variables", "table<string, any>", "the document's variables", true),
    ],
    returns: {
      type: "ihub.GraphqlReply",
      description: "the endpoint's answer, whatever its status",
      fields: [
        field("status", "integer", "the HTTP status code"),
        field("data", "any", "the reply's `data`; nil when the reply is not JSON or has none", true),
        field("errors", "table[]", "the reply's `errors`; nil when there are none", true),
      ],
    },
    permission: { kind: "tenantApi", api: "graphql" },
    scope: "tenant",
    counts: "deviceCalls",
    description: "Posts a query to the tenant's own GraphQL endpoint (its `graphql` binding).",
    errors: [
      fail("INVALID_ARGUMENT", "the query is empty or too long, or `variables` is not a table of names to values"),
      fail("HTTP_TIMEOUT", "no complete reply before the invocation's time runs out"),
      fail("HTTP_TRANSPORT", "the connection failed (refused, reset, DNS)"),
      fail("HTTP_RESPONSE_TOO_LARGE", `the reply's body exceeds ${HTTP_DEFAULTS.maxResponseBytes / 1024 / 1024} MiB`),
      NO_TENANT,
    ],
    example: `local res = ctx.graphql("query($id: ID!) { customer(id: $id) { name } }", { id = input.customerId })\nreturn res.data`,
  },
} as const satisfies Record<string, Capability>;

/** The name the sandbox forwards a ctx call under; also the key of its entry. */
export type CtxCall = keyof typeof CAPABILITIES;

export const ctxCalls = Object.keys(CAPABILITIES) as CtxCall[];

export function isCtxCall(name: string): name is CtxCall {
  return Object.hasOwn(CAPABILITIES, name);
}

export function capability(name: CtxCall): Capability {
  return CAPABILITIES[name];
}

/** Lua path under ctx -> arguments put first, for every binding of the entry. */
export function luaPaths(name: CtxCall): Readonly<Record<string, readonly string[]>> {
  return capability(name).lua ?? { [name]: [] };
}

const byLuaPath = new Map<string, CtxCall>(ctxCalls.flatMap((call) => Object.keys(luaPaths(call)).map((path): [string, CtxCall] => [path, call])));

/** The ctx call behind a Lua path under ctx (`log.warn` -> `log`); undefined for ctx.json.*, config and the like. */
export function ctxCallAt(luaPath: string): CtxCall | undefined {
  return byLuaPath.get(luaPath);
}
