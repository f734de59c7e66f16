/**
 * Enforces each install's retention tier (manifest/retention-policy.ts): every sweep deletes, per
 * tier, finished runs with their logs, finished jobs with their event payloads and stored
 * idempotent answers older than the tier keeps, and events no delivery refers to any more. An
 * install made before tiers were recorded gets its tier from its bundle first.
 */
import type { FastifyBaseLogger } from "fastify";
import { retentionTiers } from "../manifest/manifest-schema.js";
import { RETENTION_POLICIES, retentionMs } from "../manifest/retention-policy.js";
import type { PurgeCounts, ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import type { BundleLoader } from "./bundle-loader.js";
import type { ServiceMetrics } from "./service-metrics.js";

type Deps = { store: ServiceStore; bundles: BundleLoader; clock: Clock; metrics: ServiceMetrics; log: FastifyBaseLogger };

/** Installs whose tier one sweep reads from their bundles; the rest wait for the next sweep. */
const TIERS_PER_SWEEP = 1000;

export function createRetentionSweeper(deps: Deps) {
  const { store, bundles, clock, log } = deps;

  async function recordMissingTiers(): Promise<void> {
    for (const install of await store.installsWithoutRetentionTier(TIERS_PER_SWEEP)) {
      try {
        const { manifest } = await bundles.load(install);
        await store.setRetentionTier(install.id, install.integrity, manifest.retentionTier);
      } catch (error) {
        log.warn({ err: error, installId: install.id }, "retention tier unknown: its bundle could not be read; nothing of it is purged yet");
      }
    }
  }

  return {
    /** One sweep on the current clock; tests call it directly, the service on an interval. */
    async sweep(): Promise<PurgeCounts> {
      await recordMissingTiers();
      const now = clock.now();
      const counts = await store.purgeExpired(retentionTiers.map((tier) => ({ tier, before: now - retentionMs(tier), keepPayloads: RETENTION_POLICIES[tier].payloads })));
      for (const [kind, n] of Object.entries(counts)) deps.metrics.retentionPurged.inc({ kind }, n);
      if (Object.values(counts).some((n) => n > 0)) log.info(counts, "retention purge");
      return counts;
    },
  };
}

export type RetentionSweeper = ReturnType<typeof createRetentionSweeper>;
