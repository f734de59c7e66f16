/**
 * The ctx functions that reach the host, one entry each. Everything else about them is derived
 * from this table: the sandbox's Lua bindings (lua-bindings.ts), the `CtxCall` names the sandbox
 * forwards, the host's dispatch and permission verdict (host/sandbox-host.ts through
 * permissions.ts), `ihub validate`'s static check and docs/ctx.md (ctx-reference.ts).
 *
 * Adding a ctx function: one entry here, plus its implementation in host/sandbox-host.ts (the
 * compiler asks for it there).
 */
import type { Permission } from "./permissions.js";

export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

export type CtxArgument = { name: string; description: string };

export type Capability = {
  /**
   * Where the handler finds it under ctx, when not at the entry's name; each path maps to the
   * arguments put before the handler's own (`ctx.log.info(m, f)` is the call `log("info", m, f)`).
   */
  lua?: Readonly<Record<string, readonly string[]>>;
  /** The arguments the handler passes, in order; the binding passes exactly these to the host. */
  args: readonly CtxArgument[];
  returns: string;
  /** What the manifest must grant; the first argument names the alias, container or topic it is granted for. */
  permission: Permission;
  /** Whose data the call reaches: the install's own, or what the tenant's installs share. */
  scope: "install" | "tenant";
  /** The per-invocation limit (SandboxLimits) each call counts against, besides time and memory. */
  counts?: "deviceCalls" | "logBytes";
  /** One line for docs/ctx.md. */
  description: string;
};

const arg = (name: string, description: string): CtxArgument => ({ name, description });

export const CAPABILITIES = {
  "device.http": {
    args: [arg("alias", "a resource alias of kind http"), arg(
        "request",
        "`{ method, path, params, query, headers, body | json, timeoutMs }`; `path` may be a template such as `/items/{id}` whose placeholders `params` fills (`params = { id = input.id }`), each value percent-encoded so that no `/`, `..`, `?` or `#` in it changes the path; a placeholder without a param, a param without a placeholder or a value that would leave an empty, `.` or `..` segment fails with HTTP_BAD_PARAMS",
      ),],
    returns: "`{ status, headers, body, json }`",
    permission: { kind: "device", resource: "http" },
    scope: "install",
    counts: "deviceCalls",
    description: "Sends an HTTP request to the target bound to the alias, with the install's credentials injected.",
  },
  "device.sql": {
    args: [arg("alias", "a resource alias of kind sql"), arg("query", "one SQL statement"), arg("params", "positional parameters")],
    returns: "rows, as an array of tables",
    permission: { kind: "device", resource: "sql" },
    scope: "install",
    counts: "deviceCalls",
    description: "Runs a parameterised query against the database bound to the alias.",
  },
  "integration.cacheGet": {
    args: [arg("key", "a key of the cache or container")],
    returns: "the value, or nil",
    permission: { kind: "cache" },
    scope: "install",
    description: "Reads a value of the install's cache.",
  },
  "integration.cacheSet": {
    args: [arg("entry", "`{ key, value, ttl }`, ttl in seconds")],
    returns: "nil",
    permission: { kind: "cache" },
    scope: "install",
    description: "Stores a value in the install's cache, for ttl seconds when given.",
  },
  "integration.cacheDelete": {
    args: [arg("key", "a key of the cache or container")],
    returns: "whether the key was there",
    permission: { kind: "cache" },
    scope: "install",
    description: "Removes a value from the install's cache.",
  },
  "integration.containersGet": {
    args: [arg("name", "the name of a data container"), arg("key", "a key of the cache or container")],
    returns: "the record, or nil",
    permission: { kind: "container", access: "read" },
    scope: "install",
    description: "Reads one record of a data container.",
  },
  "integration.containersSet": {
    args: [arg("name", "the name of a data container"), arg("key", "a key of the cache or container"), arg("value", "a record valid against the container's schema")],
    returns: "nil",
    permission: { kind: "container", access: "readwrite" },
    scope: "install",
    description: "Writes one record of a data container, validated against its schema.",
  },
  "integration.containersDelete": {
    args: [arg("name", "the name of a data container"), arg("key", "a key of the cache or container")],
    returns: "whether the record was there",
    permission: { kind: "container", access: "readwrite" },
    scope: "install",
    description: "Removes one record of a data container.",
  },
  "integration.containersList": {
    args: [arg("name", "the name of a data container"), arg("options", "`{ prefix, limit, cursor }`")],
    returns: "`{ items, cursor }`",
    permission: { kind: "container", access: "read" },
    scope: "install",
    description: "Lists records of a data container by key, a page at a time.",
  },
  log: {
    lua: Object.fromEntries(logLevels.map((level) => [`log.${level}`, [level]])),
    args: [arg("message", "text"), arg("fields", "a table of structured fields")],
    returns: "nothing",
    permission: { kind: "none" },
    scope: "install",
    counts: "logBytes",
    description: "Writes a structured log line of the run, with secrets redacted.",
  },
  emit: {
    args: [arg("topic", "an event topic"), arg("payload", "the event's data")],
    returns: "nil",
    permission: { kind: "emit" },
    scope: "tenant",
    description: "Publishes an event on the tenant's event bus.",
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
