/** The clock a test case runs on: it starts at the case's `clock` and moves only when told, so TTLs and log times are reproducible. */
import type { Clock } from "./install-store.js";

export const DEFAULT_TEST_CLOCK = "2026-01-01T00:00:00.000Z";

export type FakeClock = Clock & { advance(ms: number): void };

export function fakeClock(startIso: string = DEFAULT_TEST_CLOCK): FakeClock {
  let now = Date.parse(startIso);
  if (Number.isNaN(now)) throw new RangeError(`clock ${JSON.stringify(startIso)} is not an ISO 8601 time`);
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}
