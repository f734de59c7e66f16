/**
 * Picks up work whose process is gone: its runs still marked running end as interrupted, the
 * idempotency keys its unanswered calls reserved are released, its event deliveries go back to
 * the queue and its timer jobs are finished (the timer fires again at its next slot). The store
 * decides what is orphaned, never this process's own work in flight; run at start, then on an
 * interval so a peer that died in a fleet is taken over within that interval.
 */
import type { FastifyBaseLogger } from "fastify";
import type { ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";

export function createWorkRecovery(store: ServiceStore, clock: Clock, log: FastifyBaseLogger) {
  return async function recoverOrphanedWork() {
    const now = clock.now();
    const interrupted = await store.interruptRunningRuns(now);
    const released = await store.releasePendingIdempotencyKeys();
    const { requeued, abandoned } = await store.jobs.recover(now);
    if (interrupted + released + requeued + abandoned > 0) log.warn({ interrupted, released, requeued, abandoned }, "recovered work left by a process that stopped");
    return { interrupted, released, requeued, abandoned };
  };
}
