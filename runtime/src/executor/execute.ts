/**
 * One manifest-aware invocation, the same for `ihub test`, `ihub run` and the runtime service:
 * picks the handler, checks config and input against their schemas before the call, runs the
 * handler in the sandbox with a host for this install, checks an rpc output against
 * outputSchema after it (not for expected errors), and returns the result with everything the
 * invocation logged, emitted and requested, every credential redacted.
 */
import { randomUUID } from "node:crypto";
import type { HttpTransport } from "../device/http-exchange.js";
import type { SqlTransport } from "../device/sql-call.js";
import { emptyRecord, type InvocationRecord } from "../host/invocation-record.js";
import { createSandboxHost } from "../host/sandbox-host.js";
import { buildAuthHeader } from "../device/auth-header.js";
import { redactorFor, type Redactor } from "../redact/redactor.js";
import { invoke as coldInvoke } from "../sandbox/invoke.js";
import type { InvokeRequest, InvokeResult, InvokeStats, SandboxError, SandboxLimits } from "../sandbox/index.js";
import { systemClock, type Clock, type InstallStore } from "../storage/install-store.js";
import { ExecutorError } from "./executor-error.js";
import { resolveLimits } from "./invocation-limits.js";
import { checkSchema, describeIssues, type SchemaIssue } from "./json-schema.js";
import type { LoadedIntegration } from "./load-integration.js";
import type { TenantApis } from "../host/tenant-apis.js";

/** A failure before or after the sandbox ran: the value did not match the manifest's schema. */
export type ValidationError = { kind: "validation"; code: "INPUT_INVALID" | "OUTPUT_INVALID" | "CONFIG_INVALID"; message: string; issues: SchemaIssue[] };
export type ExecutionError = SandboxError | ValidationError;

export type ExecutionResult = InvocationRecord & {
  runId: string;
  handler: string;
  durationMs: number;
  stats: InvokeStats | null;
} & ({ ok: true; output: unknown } | { ok: false; error: ExecutionError });

export type ExecuteOptions = {
  integration: LoadedIntegration;
  handler: string;
  input: unknown;
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  installId: string;
  runId?: string;
  store: InstallStore;
  http: HttpTransport;
  sql: SqlTransport;
  clock?: Clock;
  limits?: Partial<SandboxLimits>;
  maxResponseBytes?: number;
  /** The sandbox entry: a cold invoke by default, a pool's invoke in the service. */
  invoke?: (req: InvokeRequest) => Promise<InvokeResult>;
  /** ctx.cache, ctx.sql and ctx.graphql: the tenant's own targets, in the runtime service. */
  tenant?: TenantApis;
  /** Fresh credentials after a device call answered 401 (see HostOptions.reauthorize). */
  reauthorize?: () => Promise<Record<string, unknown> | null>;
};

/** A stable code for any execution error, as test cases and the CLI name it. */
export function errorCode(error: ExecutionError): string {
  switch (error.kind) {
    case "expected":
    case "validation":
      return error.code;
    case "limit":
      return `LIMIT_${error.limit}`;
    case "internal":
      return "INTERNAL";
  }
}

/** The derived header value (e.g. base64 of user:pass) is a secret too. */
function headerSecrets(auth: LoadedIntegration["manifest"]["auth"], credentials: Record<string, unknown>): string[] {
  try {
    const header = buildAuthHeader(auth, credentials);
    return header ? [header.value] : [];
  } catch {
    // Missing credentials surface at the first device call, where the handler can see the error.
    return [];
  }
}

export async function execute(opts: ExecuteOptions): Promise<ExecutionResult> {
  const { integration, handler: handlerName } = opts;
  const manifest = integration.manifest;
  const handler = Object.hasOwn(manifest.handlers, handlerName) ? manifest.handlers[handlerName] : undefined;
  if (!handler) {
    throw new ExecutorError("HANDLER_NOT_FOUND", `${integration.slug} has no handler ${JSON.stringify(handlerName)}`, undefined, `Handlers: ${Object.keys(manifest.handlers).join(", ")}.`);
  }
  const started = performance.now();
  const runId = opts.runId ?? randomUUID();
  const credentials = opts.credentials ?? {};
  const config = opts.config ?? {};
  const clock = opts.clock ?? systemClock;
  const record = emptyRecord();
  let redactor = redactorFor(credentials, headerSecrets(manifest.auth, credentials));
  // Credentials renewed mid-run (a refreshed OAuth token) are secrets as well as the ones they replace.
  const reauthorize = opts.reauthorize && (async () => {
    const fresh = await opts.reauthorize!();
    if (fresh) redactor = redactorFor([credentials, fresh], [...headerSecrets(manifest.auth, credentials), ...headerSecrets(manifest.auth, fresh)]);
    return fresh;
  });
  const currentRedactor: Redactor = { text: (t) => redactor.text(t), value: (v) => redactor.value(v), get active() { return redactor.active; } };
  const finish = (outcome: { ok: true; output: unknown } | { ok: false; error: ExecutionError }, stats: InvokeStats | null): ExecutionResult => ({
    runId,
    handler: handlerName,
    durationMs: performance.now() - started,
    stats,
    ...redactor.value(record),
    ...redactor.value(outcome),
  });

  const invalid = (code: ValidationError["code"], what: string, issues: SchemaIssue[]) =>
    finish({ ok: false, error: { kind: "validation", code, message: `${what}: ${describeIssues(issues)}`, issues } }, null);
  if (manifest.configSchema) {
    const issues = checkSchema(manifest.configSchema, config);
    if (issues.length > 0) return invalid("CONFIG_INVALID", "config does not match configSchema", issues);
  }
  if (handler.inputSchema) {
    const issues = checkSchema(handler.inputSchema, opts.input ?? null);
    if (issues.length > 0) return invalid("INPUT_INVALID", `input does not match handlers.${handlerName}.inputSchema`, issues);
  }

  const limits = resolveLimits(handler, opts.limits);
  const deadline = performance.now() + limits.timeoutMs;
  const host = createSandboxHost({
    manifest,
    store: opts.store,
    http: opts.http,
    sql: opts.sql,
    credentials,
    redactor: currentRedactor,
    clock,
    record,
    ...(opts.tenant ? { tenant: opts.tenant } : {}),
    ...(reauthorize ? { reauthorize } : {}),
    remainingMs: () => deadline - performance.now(),
    ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
  });
  const result = await (opts.invoke ?? coldInvoke)({
    sources: integration.sources,
    modules: integration.modules,
    file: handler.file,
    fn: handler.function,
    input: opts.input ?? null,
    ctx: {
      config,
      install: { id: opts.installId, slug: manifest.slug, version: manifest.version },
      run: { id: runId, handler: handlerName },
    },
    limits,
    host,
    deadline,
  });
  if (!result.ok) return finish({ ok: false, error: result.error }, result.stats);
  if (handler.type === "rpc" && handler.outputSchema) {
    const issues = checkSchema(handler.outputSchema, result.output ?? null);
    if (issues.length > 0) {
      return finish({ ok: false, error: { kind: "validation", code: "OUTPUT_INVALID", message: `output does not match handlers.${handlerName}.outputSchema: ${describeIssues(issues)}`, issues } }, result.stats);
    }
  }
  return finish({ ok: true, output: result.output }, result.stats);
}
