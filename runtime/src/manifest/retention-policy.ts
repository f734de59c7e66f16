/**
 * What each `retentionTier` keeps and for how long: the one table the runtime purges by, the
 * manifest schema describes and the catalog and the install show in words. A tier governs what
 * the runtime records about an install's work (runs, their logs, the payloads of event deliveries
 * and stored idempotent rpc answers); the install's own cache (TTL) and containers stay until
 * uninstall.
 */
import type { retentionTiers } from "./manifest-schema.js";

export type RetentionTier = (typeof retentionTiers)[number];

export type RetentionPolicy = {
  /** Days a run (status, timings, errors) and what it carries are kept after it started. */
  days: number;
  /** Whether a run's log lines are stored at all. */
  logs: boolean;
  /** Whether an event delivery's payload is kept after delivery; without, it goes at the next purge. */
  payloads: boolean;
};

const DAY_MS = 24 * 60 * 60 * 1000;

export const RETENTION_POLICIES: Readonly<Record<RetentionTier, RetentionPolicy>> = {
  short: { days: 7, logs: true, payloads: true },
  medium: { days: 30, logs: true, payloads: true },
  long: { days: 365, logs: true, payloads: true },
  // Run records stay a day so a failure can still be looked at; nothing the handler saw or said is kept.
  none: { days: 1, logs: false, payloads: false },
};

export const retentionMs = (tier: RetentionTier): number => RETENTION_POLICIES[tier].days * DAY_MS;

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/** The tiers in one sentence, for the manifest schema's description. */
export function describeRetentionTiers(): string {
  const timed = (["short", "medium", "long"] as const).map((t) => `${t} ${days(RETENTION_POLICIES[t].days)}`).join(", ");
  return `How long the runtime keeps runs, their logs, event payloads and idempotent answers of an install: ${timed}; none keeps no logs or payloads (run records ${days(RETENTION_POLICIES.none.days)}). Containers and cache are the install's own data, kept until uninstall.`;
}

/** One line a person reads: what the tier keeps and how long. */
export function describeRetention(tier: RetentionTier): string {
  const p = RETENTION_POLICIES[tier];
  if (!p.logs && !p.payloads) return `No logs or event payloads are kept; run records (status, timings, errors) and idempotent answers for ${days(p.days)}.`;
  return `Runs with their logs, event payloads and idempotent answers are kept ${days(p.days)}.`;
}
