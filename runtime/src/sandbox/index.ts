/**
 * The Lua sandbox: runs one handler function of an integration bundle under fengari with a
 * whitelisted library set, per-invocation limits and an async bridge to the host.
 *
 * The host (storage, device calls, auth injection, schema validation) lives outside: the
 * sandbox turns every I/O-ish ctx call into `host.call(name, args)` and waits for its Promise
 * while the handler's coroutine is suspended. Value conversion rules and the list of what is
 * closed are in docs/runtime-values.md.
 */
export { Sandbox } from "./sandbox.js";
export { SandboxPool } from "./pool.js";
export { invoke } from "./invoke.js";
export { HostCallError } from "./host-error.js";
export { DEFAULT_LIMITS } from "./limits.js";

/** The ctx functions that reach the host, by the name the sandbox forwards them under (see the capability table). */
export type { CtxCall } from "../capabilities/capability-table.js";
import type { CtxCall } from "../capabilities/capability-table.js";

/**
 * Implemented by the host. `args` are the Lua arguments converted to JSON-like values (see
 * docs/runtime-values.md); the resolved value is converted back to Lua and returned at the call site.
 * A rejection is raised as a Lua error at the call site: a `HostCallError` (or any error with a
 * string `code`) becomes the table `{ code = ..., message = ... }`, anything else its message string.
 */
export interface SandboxHost {
  call(name: CtxCall, args: unknown[]): Promise<unknown>;
}

/** Per-invocation limits. Each breach ends the invocation with `{ kind: "limit", limit }`. */
export type SandboxLimits = {
  /** Lua VM instructions plus library work (pattern matching steps, table moves/sorts), counted together. */
  instructions: number;
  /** Wall clock of the whole invocation, including time waiting for host calls. */
  timeoutMs: number;
  /** Bytes of strings created plus ~48 bytes per table entry and ~2 KB per coroutine, cumulative over the invocation. */
  memoryBytes: number;
  /** Number of ctx.device.http / ctx.device.sql calls. */
  deviceCalls: number;
  /** Size of the handler's return value as JSON. */
  outputBytes: number;
  /** Size of all ctx.log messages and fields as JSON. */
  logBytes: number;
  /**
   * Largest chunk `load` accepts, in bytes. Every byte loaded is also charged to `instructions`
   * before parsing (LOAD_STEPS_PER_BYTE), so parsing costs the same budget on any machine.
   */
  loadBytes: number;
};

/** The Lua text of a bundle: handler files by bundle-relative path, shared modules by name. */
export type HandlerBundle = {
  /** Bundle-relative path -> Lua text, e.g. "handlers/send.lua". The path is the chunk name in errors. */
  sources: Record<string, string>;
  /** Shared module name -> init.lua text, resolved by `require(name)` (chunk name "modules/<name>/init.lua"). */
  modules?: Record<string, string>;
};

/** What the handler sees as ctx.config and ctx.install (read-only in Lua) and ctx.run (a fresh table per invocation). */
export type InvocationContext = {
  config: unknown;
  install: { id: string; slug: string; version: string };
  run: { id: string; handler: string };
};

/** One call: `file` must return a table whose field `fn` is `function(ctx, input)`. */
export type InvocationRequest = {
  file: string;
  fn: string;
  input: unknown;
  ctx: InvocationContext;
  limits: SandboxLimits;
  host: SandboxHost;
  /**
   * `performance.now()` time by which the invocation must end; start + `limits.timeoutMs` when
   * absent. A host that bounds its own I/O by a deadline passes the same one, so a device call
   * cut off at the deadline ends the invocation as a timeout, not as a device error.
   */
  deadline?: number;
};

/** A cold call: bundle and request together (a fresh state, discarded afterwards). */
export type InvokeRequest = HandlerBundle & InvocationRequest;

/** What one invocation used; `memoryBytes` is the cumulative charge described in SandboxLimits. */
export type InvokeStats = {
  instructions: number;
  durationMs: number;
  deviceCalls: number;
  memoryBytes: number;
  outputBytes: number;
  logBytes: number;
};

export type SandboxError =
  /** The handler raised `error({ code = "...", message = "..." })`. */
  | { kind: "expected"; code: string; message: string }
  /** A limit was breached; the sandbox state is discarded. */
  | { kind: "limit"; limit: keyof SandboxLimits; message: string }
  /** Any other failure: a Lua runtime error (with the integration file:line and traceback), an unconvertible value, a missing handler. */
  | { kind: "internal"; message: string; file?: string; line?: number; traceback?: string };

export type InvokeResult = { ok: true; output: unknown; stats: InvokeStats } | { ok: false; error: SandboxError; stats: InvokeStats };
