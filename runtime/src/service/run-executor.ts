/**
 * One handler run for the service, whatever triggered it: the same `execute()` as `ihub run`,
 * with the install's config, bindings and opened credential, in the warm sandbox pool. The run
 * is recorded as running before the handler starts (so a crash leaves a trace that restart marks
 * interrupted) and finished with its redacted logs; events the handler emitted are published
 * before the run is marked finished, so a crash in between can repeat them but never lose them.
 */
import type { FastifyBaseLogger } from "fastify";
import { liveHttpTransport, type HttpBinding } from "../device/live-http-transport.js";
import { sqliteTransport, type SqlBinding } from "../device/sqlite-transport.js";
import { errorCode, execute, type ExecutionResult } from "../executor/execute.js";
import type { LoadedIntegration } from "../executor/load-integration.js";
import { RETENTION_POLICIES } from "../manifest/retention-policy.js";
import type { SandboxPool } from "../sandbox/pool.js";
import type { TenantRoom } from "../scheduler/job-queue.js";
import { timeOrderedId } from "../service-store/time-ordered-id.js";
import type { InstallRecord, RunRecord, RunStatus, RunTrigger, ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import type { SealedCredential, Vault } from "../vault/credential-vault.js";
import type { BundleLoader } from "./bundle-loader.js";
import type { OAuthTokens } from "./oauth/oauth-tokens.js";
import { openTenantApis } from "./tenant-transports.js";
import { ServiceError } from "./service-error.js";
import type { ServiceMetrics } from "./service-metrics.js";

export type RunRequest = {
  install: InstallRecord;
  handler: string;
  input: unknown;
  trigger: RunTrigger;
  triggerRef: string | null;
  attempt: number;
  /** A delivery that fails on its last attempt, or with an input its handler can never accept, ends as a dead letter. */
  lastAttempt: boolean;
};

export type RunDeps = {
  store: ServiceStore;
  bundles: BundleLoader;
  vault: Vault;
  pool: SandboxPool;
  clock: Clock;
  metrics: ServiceMetrics;
  log: FastifyBaseLogger;
  tenantConcurrency: number;
  eventMaxAttempts: number;
  /** Called after a run published events, so deliveries start without waiting for the next poll. */
  onPublished(): void;
  /** Refreshes the tokens of OAuth installs before they expire and after a 401. */
  oauth: OAuthTokens;
};

/** Whether a failed run is final: retrying an input that does not match the handler's schema cannot succeed. */
export function isFinalFailure(result: ExecutionResult, lastAttempt: boolean): boolean {
  return lastAttempt || (!result.ok && result.error.kind === "validation" && result.error.code === "INPUT_INVALID");
}

function failStatus(trigger: RunTrigger, final: boolean): Extract<RunStatus, "error" | "dead_letter"> {
  return trigger === "event" && final ? "dead_letter" : "error";
}

function transports(integration: LoadedIntegration, install: InstallRecord) {
  const http: Record<string, HttpBinding> = {};
  const sql: Record<string, SqlBinding> = {};
  for (const [alias, binding] of Object.entries(install.bindings)) {
    if ("url" in binding) http[alias] = { baseUrl: binding.url };
    else sql[alias] = { database: binding.dsn, dialect: integration.manifest.resources?.[alias]?.dialect ?? "sqlite" };
  }
  return { http: liveHttpTransport(http), sql: sqliteTransport(sql) };
}

/** Opened credentials kept per install; beyond it the oldest is decrypted again when next used. */
const OPENED_CREDENTIALS = 10_000;

export function createRunExecutor(deps: RunDeps) {
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<unknown>>();
  // Decrypting costs more than the rest of a warm run's reads together. The sealed record is still
  // read every run, so a PATCH or a key rotation (which re-seals) is seen at once.
  const opened = new Map<string, { sealed: SealedCredential; value: Record<string, unknown> }>();

  function openCredential(installId: string, sealed: SealedCredential | null): Record<string, unknown> {
    if (!sealed) return {};
    const hit = opened.get(installId);
    if (hit && hit.sealed.keyId === sealed.keyId && hit.sealed.iv === sealed.iv && hit.sealed.tag === sealed.tag && hit.sealed.ciphertext === sealed.ciphertext) return hit.value;
    const value = deps.vault.open(installId, sealed);
    opened.delete(installId);
    if (opened.size >= OPENED_CREDENTIALS) opened.delete(opened.keys().next().value!);
    opened.set(installId, { sealed, value: Object.freeze(value) });
    return value;
  }

  async function runHandler(req: RunRequest, runId: string): Promise<{ run: RunRecord; result: ExecutionResult }> {
    const { install, handler } = req;
    const startedAt = deps.clock.now();
    const run: RunRecord = {
      id: runId, tenantId: install.tenantId, installId: install.id, handler, trigger: req.trigger, triggerRef: req.triggerRef,
      version: install.version, attempt: req.attempt, status: "running", startedAt, finishedAt: null, durationMs: null, error: null, limitHit: null, logs: [],
    };
    await deps.store.createRun(run);
    const log = deps.log.child({ installId: install.id, runId, handler, trigger: req.trigger });
    let result: ExecutionResult;
    try {
      const integration = await deps.bundles.load(install);
      const { manifest } = integration;
      const sealed = await deps.store.getCredential(install.tenantId, install.id);
      const oauth = manifest.auth.type === "oauth2";
      let credentials = openCredential(install.id, sealed);
      if (oauth) credentials = await deps.oauth.fresh(install, manifest, credentials);
      const io = transports(integration, install);
      const tenant = await openTenantApis(deps.store, install, manifest);
      try {
        result = await execute({
          integration, handler, input: req.input, config: install.config, credentials,
          installId: install.id, runId, store: deps.store.installData.forInstall(install.id), http: io.http, sql: io.sql, clock: deps.clock,
          invoke: (r) => deps.pool.invoke(r),
          ...(tenant ? { tenant: tenant.apis } : {}),
          ...(oauth ? { reauthorize: () => deps.oauth.reauthorize(install, manifest, credentials) } : {}),
        });
      } finally {
        io.sql.close();
        tenant?.close();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.store.finishRun(runId, { status: failStatus(req.trigger, req.lastAttempt), finishedAt: deps.clock.now(), durationMs: null, error: { kind: "internal", code: (error as { code?: string }).code ?? "INTERNAL", message }, limitHit: null, logs: [] });
      log.error({ err: error }, "run failed before the handler ran");
      throw error;
    }
    if (result.ok && result.events.length > 0) {
      for (const e of result.events) {
        await deps.store.publishEvent({ id: timeOrderedId(), tenantId: install.tenantId, topic: e.topic, payload: e.payload, createdAt: deps.clock.now(), source: `run:${runId}` }, deps.eventMaxAttempts);
      }
      deps.onPublished();
    }
    // Before the run is finished: a cost the handler reported happened, even if a crash follows.
    await deps.store.lifecycle.recordCharges({ runId, tenantId: install.tenantId, installId: install.id, handler }, result.charges, deps.clock.now());
    const finished: RunRecord = {
      ...run,
      status: result.ok ? "ok" : failStatus(req.trigger, isFinalFailure(result, req.lastAttempt)),
      finishedAt: deps.clock.now(),
      durationMs: result.durationMs,
      error: result.ok ? null : { kind: result.error.kind, code: errorCode(result.error), message: result.error.message },
      limitHit: !result.ok && result.error.kind === "limit" ? result.error.limit : null,
      // A tier that keeps no logs (retentionTier none) never has them written.
      logs: install.retentionTier && !RETENTION_POLICIES[install.retentionTier].logs ? [] : result.logs,
    };
    await deps.store.finishRun(runId, finished);
    deps.metrics.runDuration.observe({ handler: `${install.slug}.${handler}`, trigger: req.trigger, status: finished.status }, result.durationMs / 1000);
    log.info({ status: finished.status, durationMs: Math.round(result.durationMs), ...(finished.error ? { code: finished.error.code } : {}) }, "run finished");
    return { run: finished, result };
  }

  return {
    atCap: (tenantId: string) => (inFlight.get(tenantId) ?? 0) >= deps.tenantConcurrency,

    /** Runs each tenant may still start, for claiming jobs within it. */
    room: (): TenantRoom => ({ perTenant: deps.tenantConcurrency, inFlight: Object.fromEntries(inFlight) }),

    /** Refuses with 429 when the tenant already has its cap of runs in flight. */
    run(req: RunRequest, runId: string = timeOrderedId()): Promise<{ run: RunRecord; result: ExecutionResult }> {
      const tenant = req.install.tenantId;
      const n = inFlight.get(tenant) ?? 0;
      if (n >= deps.tenantConcurrency) {
        return Promise.reject(new ServiceError(429, "TENANT_BUSY", `this tenant already has ${deps.tenantConcurrency} runs in flight`, "Retry when earlier calls have finished.", undefined));
      }
      inFlight.set(tenant, n + 1);
      const p = runHandler(req, runId).finally(() => {
        const left = (inFlight.get(tenant) ?? 1) - 1;
        if (left === 0) inFlight.delete(tenant);
        else inFlight.set(tenant, left);
        running.delete(p);
      });
      running.add(p);
      return p;
    },

    /** Drops what is kept in memory for an install that was removed. */
    forget(installId: string): void {
      opened.delete(installId);
    },

    /** Resolves when every run in flight has finished (SIGTERM waits for this). */
    async drain(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type RunExecutor = ReturnType<typeof createRunExecutor>;
