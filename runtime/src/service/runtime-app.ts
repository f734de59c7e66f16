/**
 * The runtime service as a Fastify app: one plugin per route group, the shared services decorated
 * once, one auth hook, one error handler. onReady settles what a crash left (interrupted runs,
 * jobs in flight) before the worker starts; onClose stops the worker, waits for runs in flight
 * and closes the store, so `app.close()` on SIGTERM is the graceful shutdown.
 */
import Fastify, { LogController, type FastifyServerOptions } from "fastify";
import type { RegistryClient } from "../registry/registry-client.js";
import { SandboxPool } from "../sandbox/pool.js";
import type { ServiceStore } from "../service-store/service-store.js";
import { systemClock, type Clock } from "../storage/install-store.js";
import type { Vault } from "../vault/credential-vault.js";
import type { RouteSpec } from "./api-route.js";
import { installAuth } from "./auth.js";
import { createBundleLoader } from "./bundle-loader.js";
import { installErrorHandler } from "./error-handler.js";
import { createInstallCatalog } from "./install-catalog.js";
import { createInstallManager } from "./install-manager.js";
import { createJobWorker, DEFAULT_WORKER_POLICY, type WorkerPolicy } from "./job-worker.js";
import { periodicTask } from "./periodic-task.js";
import { createWorkRecovery } from "./work-recovery.js";
import { createRateLimiter, type RateLimit } from "./rate-limiter.js";
import { installJsonBodyParser } from "./request-body.js";
import { createRetentionSweeper } from "./retention-sweeper.js";
import { catalogRoutes, catalogSpecs } from "./routes/catalog-routes.js";
import { eventRoutes, eventSpecs } from "./routes/event-routes.js";
import { healthRoutes, healthSpecs } from "./routes/health-routes.js";
import { installRoutes, installSpecs } from "./routes/install-routes.js";
import { rpcRoutes, rpcSpecs } from "./routes/rpc-routes.js";
import { runRoutes, runSpecs } from "./routes/run-routes.js";
import { tenantRoutes, tenantSpecs } from "./routes/tenant-routes.js";
import { upgradeRoutes, upgradeSpecs } from "./routes/upgrade-routes.js";
import { createRunExecutor } from "./run-executor.js";
import type { ServiceContext } from "./service-context.js";
import type { OAuthSettings } from "../oauth/oauth-settings.js";
import { createAccountChecker } from "./connected-account.js";
import { createInstallViews } from "./install-views.js";
import { createOAuthConnector } from "./oauth/oauth-connector.js";
import { createOAuthTokens } from "./oauth/oauth-tokens.js";
import { oauthRoutes, oauthSpecs } from "./routes/oauth-routes.js";
import { usageRoutes, usageSpecs } from "./routes/usage-routes.js";
import { createServiceMetrics } from "./service-metrics.js";
import { createUpgradeFollower } from "./upgrade-follower.js";
import { createUpgradeManager } from "./upgrade-manager.js";

export type ServiceLimits = {
  /** Largest request body in bytes. */
  bodyBytes: number;
  /**
   * Time for a whole request, body included, to arrive. Fastify's default is none, so a client
   * trickling a body under the cap could hold up to bodyBytes on its connection for good.
   */
  requestTimeoutMs: number;
  rpcRate: RateLimit;
  /** Runs in flight per tenant, rpc and jobs together. */
  tenantConcurrency: number;
  /** Attempts of one event delivery before it is a dead letter. */
  eventMaxAttempts: number;
  /** Installs whose Lua state stays warm; beyond it the least recently used state is rebuilt on its next run. */
  warmSandboxes: number;
  /** Estimated bytes a warm state may retain after a run; a state above it is dropped and rebuilt on its next run. */
  warmStateBytes: number;
  /** Estimated bytes all warm states together may retain; least recently used states go first. */
  warmTotalBytes: number;
  worker: WorkerPolicy;
  /** How often installs that follow their range poll the registry. */
  upgradePollMs: number;
  /** How often runs, logs and payloads past their retention tier are purged. */
  retentionSweepMs: number;
  /** How often work left by a process that stopped (a peer of a fleet) is picked up: the bound on failover. */
  recoverySweepMs: number;
};

export const DEFAULT_LIMITS: ServiceLimits = {
  bodyBytes: 1024 * 1024,
  requestTimeoutMs: 60_000,
  rpcRate: { requests: 600, windowMs: 60_000 },
  tenantConcurrency: 16,
  eventMaxAttempts: 5,
  warmSandboxes: 2048,
  warmStateBytes: 4 * 1024 * 1024,
  warmTotalBytes: 512 * 1024 * 1024,
  worker: DEFAULT_WORKER_POLICY,
  upgradePollMs: 5 * 60_000,
  retentionSweepMs: 60 * 60_000,
  recoverySweepMs: 5_000,
};

export type RuntimeAppOptions = {
  store: ServiceStore;
  registry: Pick<RegistryClient, "pull" | "pollVersions" | "listIntegrations">;
  vault: Vault;
  adminToken: string;
  clock?: Clock;
  limits?: Partial<ServiceLimits>;
  logger?: FastifyServerOptions["logger"];
  probes?: ServiceContext["probes"];
  /** OAuth clients per provider or integration, endpoint overrides and the public URL (oauth-settings.ts). */
  oauth?: OAuthSettings;
  /**
   * False in tests that drive the worker with `app.runtime.worker.tick()` on a fake clock (and the
   * registry poll and retention sweep with `follower.poll()` and `retention.sweep()`).
   */
  startWorker?: boolean;
  version?: string;
};

/** Every header or body path that can carry a secret, removed from every log line. */
export const LOG_REDACT = ["req.headers.authorization", "req.headers.cookie", "req.body.credentials", "res.headers['set-cookie']"];

/**
 * rpc calls get no "incoming request" and "request completed" lines: each logs one "run finished"
 * line with its install, run, handler, status and duration, and its errors through the error
 * handler. Three lines per call were a fifth of the CPU time of a warm rpc.
 */
const RPC_PATH = /^\/v1\/installs\/[^/]+\/rpc\//;

export const routeSpecs: readonly RouteSpec[] = [healthSpecs, tenantSpecs, installSpecs, upgradeSpecs, rpcSpecs, eventSpecs, runSpecs, catalogSpecs, oauthSpecs, usageSpecs].flatMap((group) => Object.values(group) as RouteSpec[]);

export async function createRuntimeApp(opts: RuntimeAppOptions) {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    logger: opts.logger ?? false,
    logController: new LogController({ disableRequestLogging: (request) => RPC_PATH.test(request.url ?? "") }),
    bodyLimit: limits.bodyBytes,
    requestTimeout: limits.requestTimeoutMs,
    ajv: { customOptions: { removeAdditional: false } },
  });
  const { store } = opts;
  const metrics = createServiceMetrics(() => store.jobs.depth());
  const bundles = createBundleLoader(opts.registry);
  const pool = new SandboxPool({ maxStates: limits.warmSandboxes, stateBytes: limits.warmStateBytes, totalBytes: limits.warmTotalBytes });
  let worker: ServiceContext["worker"] | undefined;
  const oauthSettings = opts.oauth ?? { clients: {} };
  const tokens = createOAuthTokens({ store, vault: opts.vault, clock, settings: oauthSettings, log: app.log });
  const runner = createRunExecutor({
    store, bundles, vault: opts.vault, pool, clock, metrics, log: app.log, oauth: tokens,
    tenantConcurrency: limits.tenantConcurrency, eventMaxAttempts: limits.eventMaxAttempts,
    onPublished: () => worker?.nudge(),
  });
  worker = createJobWorker({ store, runner, clock, metrics, log: app.log, policy: limits.worker });
  const installs = createInstallManager({ store, bundles, vault: opts.vault, clock, onRemoved: (i) => {
      pool.evict(i.id, i.version);
      runner.forget(i.id);
    },
  });
  const upgrades = createUpgradeManager({ store, bundles, vault: opts.vault, clock, metrics, onSwitched: (before) => pool.evict(before.id, before.version) });
  const follower = createUpgradeFollower({ store, registry: opts.registry, upgrades, log: app.log });
  const retention = createRetentionSweeper({ store, bundles, clock, metrics, log: app.log });
  const recoverOrphanedWork = createWorkRecovery(store, clock, app.log);
  const background = [
    periodicTask("recovery sweep", limits.recoverySweepMs, recoverOrphanedWork, app.log),
    periodicTask("registry poll", limits.upgradePollMs, () => follower.poll(), app.log),
    periodicTask("retention sweep", limits.retentionSweepMs, () => retention.sweep(), app.log),
  ];
  const context: ServiceContext = {
    store, bundles, installs, upgrades, follower, retention, runner, worker, metrics, clock,
    catalog: createInstallCatalog({ registry: opts.registry, bundles, store, log: app.log }),
    rateLimiter: createRateLimiter(limits.rpcRate, clock),
    eventMaxAttempts: limits.eventMaxAttempts,
    probes: opts.probes ?? {},
    views: createInstallViews(store),
    oauth: createOAuthConnector({ store, installs, bundles, vault: opts.vault, clock, settings: oauthSettings, tokens }),
    checkAccount: createAccountChecker({ store, runner, clock, log: app.log }),
  };
  app.decorate("runtime", context);
  installErrorHandler(app);
  installJsonBodyParser(app);
  installAuth(app, opts.adminToken, (hash) => store.tenantByTokenHash(hash));
  app.addHook("onResponse", async (request, reply) => {
    metrics.requests.inc({ method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) });
  });
  app.addHook("onReady", async () => {
    // Before the worker starts: deliveries and keys left by an earlier stop are back in place.
    await recoverOrphanedWork();
    if (opts.startWorker !== false) {
      context.worker.start();
      for (const task of background) task.start();
    }
  });
  // Closing starts by refusing new work: the worker stops taking jobs, and every answer still
  // going out tells its client to drop the connection, so the server is not kept open by idle
  // keep-alive connections after the last run in flight has answered.
  let workerStopped: Promise<void> | null = null;
  app.addHook("preClose", async () => {
    workerStopped = Promise.all([context.worker.stop(), ...background.map((task) => task.stop())]).then(() => undefined);
  });
  app.addHook("onSend", async (_request, reply) => {
    if (workerStopped) reply.header("connection", "close");
  });
  app.addHook("onClose", async () => {
    await (workerStopped ?? context.worker.stop());
    await runner.drain();
    await store.close();
  });
  await app.register(healthRoutes(() => routeSpecs, opts.version ?? "1"));
  await app.register(tenantRoutes);
  await app.register(installRoutes);
  await app.register(upgradeRoutes);
  await app.register(rpcRoutes);
  await app.register(eventRoutes);
  await app.register(runRoutes);
  await app.register(catalogRoutes);
  await app.register(oauthRoutes);
  await app.register(usageRoutes);
  return app;
}

export type RuntimeApp = Awaited<ReturnType<typeof createRuntimeApp>>;
