/**
 * The services every route plugin uses, decorated once on the Fastify instance (never imported
 * as singletons), and the helper that registers a route from its spec.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import { fastifySchema, type RouteSpec } from "./api-route.js";
import type { BundleLoader } from "./bundle-loader.js";
import type { InstallCatalog } from "./install-catalog.js";
import type { InstallManager } from "./install-manager.js";
import type { JobWorker } from "./job-worker.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { RetentionSweeper } from "./retention-sweeper.js";
import type { RunExecutor } from "./run-executor.js";
import type { ServiceMetrics } from "./service-metrics.js";
import type { AccountChecker } from "./connected-account.js";
import type { InstallViews } from "./install-views.js";
import type { OAuthConnector } from "./oauth/oauth-connector.js";
import type { UpgradeFollower } from "./upgrade-follower.js";
import type { UpgradeManager } from "./upgrade-manager.js";

export type ServiceContext = {
  store: ServiceStore;
  bundles: BundleLoader;
  installs: InstallManager;
  upgrades: UpgradeManager;
  /** Polls the registry for installs that follow their range (`poll()` steps it in tests). */
  follower: UpgradeFollower;
  /** Purges what retention tiers no longer keep (`sweep()` steps it in tests). */
  retention: RetentionSweeper;
  catalog: InstallCatalog;
  runner: RunExecutor;
  worker: JobWorker;
  metrics: ServiceMetrics;
  rateLimiter: RateLimiter;
  clock: Clock;
  eventMaxAttempts: number;
  views: InstallViews;
  oauth: OAuthConnector;
  /** Asks the manifest's connectedAccount handler and keeps its answer on the install. */
  checkAccount: AccountChecker;
  /** Readiness checks besides the store, by name (e.g. the registry). */
  probes: Record<string, () => Promise<void>>;
};

declare module "fastify" {
  interface FastifyInstance {
    runtime: ServiceContext;
  }
}

export function addRoute<Req = unknown>(app: FastifyInstance, spec: RouteSpec, handler: (request: FastifyRequest & Req, reply: FastifyReply) => Promise<unknown>): void {
  app.route({
    method: spec.method,
    url: spec.url,
    schema: fastifySchema(spec),
    config: { access: spec.access },
    ...(spec.bodyRequired === false ? { preValidation: async (request: FastifyRequest) => void (request.body ??= {}) } : {}),
    handler: handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  });
}
