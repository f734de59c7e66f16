/**
 * Fire times of a timer handler's `schedule`: an interval (`30s`, `5m`, `1h`, `1d`, `500ms`) or a
 * cron expression of 5 or 6 fields, read in UTC. Interval slots are aligned to the epoch (a `1m`
 * timer fires on each whole minute), so a slot is a fact of the clock, not of when the runtime
 * started, and a restart computes the same slots as before.
 */
import { CronExpressionParser } from "cron-parser";

export const INTERVAL_PATTERN = /^([1-9]\d*)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The interval in milliseconds, or null when the schedule is not an interval. */
export function intervalMs(schedule: string): number | null {
  const m = INTERVAL_PATTERN.exec(schedule);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}

/** The first slot strictly after `after`. Throws cron-parser's error for an invalid expression. */
export function nextFireAfter(schedule: string, after: number): number {
  const every = intervalMs(schedule);
  if (every !== null) return Math.floor(after / every) * every + every;
  return CronExpressionParser.parse(schedule, { currentDate: new Date(after), tz: "UTC" }).next().getTime();
}

/**
 * What to do at `now` for a timer whose next slot is `nextAt` (<= now): run the latest slot that is
 * due (one catch-up run however many were missed) and move on to the first slot after now.
 */
export function planTimerStep(schedule: string, nextAt: number, now: number): { slot: number; missed: number; nextAt: number } {
  let slot = nextAt;
  let missed = 0;
  for (let next = nextFireAfter(schedule, slot); next <= now; next = nextFireAfter(schedule, slot)) {
    slot = next;
    missed++;
    // A long outage of a seconds timer: jump straight to the end instead of walking every slot.
    if (missed > 1000) {
      const every = intervalMs(schedule);
      if (every !== null) slot = Math.floor(now / every) * every;
    }
  }
  return { slot, missed, nextAt: nextFireAfter(schedule, slot) };
}
