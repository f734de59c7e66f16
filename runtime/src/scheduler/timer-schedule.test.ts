import { describe, expect, it } from "vitest";
import { intervalMs, nextFireAfter, planTimerStep } from "./timer-schedule.js";

const t = (iso: string) => Date.parse(iso);

describe("timer schedule", () => {
  it("aligns interval slots to the epoch and returns the first strictly after", () => {
    expect(intervalMs("1m")).toBe(60_000);
    expect(intervalMs("*/5 * * * *")).toBeNull();
    expect(nextFireAfter("1m", t("2026-01-01T00:00:30Z"))).toBe(t("2026-01-01T00:01:00Z"));
    expect(nextFireAfter("1m", t("2026-01-01T00:01:00Z"))).toBe(t("2026-01-01T00:02:00Z"));
    expect(nextFireAfter("250ms", t("2026-01-01T00:00:00.100Z"))).toBe(t("2026-01-01T00:00:00.250Z"));
  });

  it("reads cron in UTC, with 5 or 6 fields", () => {
    expect(nextFireAfter("*/15 * * * *", t("2026-01-01T10:07:00Z"))).toBe(t("2026-01-01T10:15:00Z"));
    expect(nextFireAfter("*/10 * * * * *", t("2026-01-01T10:07:00.500Z"))).toBe(t("2026-01-01T10:07:10Z"));
    expect(() => nextFireAfter("not a cron", 0)).toThrow();
  });

  it("plans one catch-up run for the latest missed slot and moves past now", () => {
    expect(planTimerStep("1m", t("2026-01-01T00:01:00Z"), t("2026-01-01T00:01:00.020Z"))).toEqual({ slot: t("2026-01-01T00:01:00Z"), missed: 0, nextAt: t("2026-01-01T00:02:00Z") });
    expect(planTimerStep("1m", t("2026-01-01T00:01:00Z"), t("2026-01-01T00:05:30Z"))).toEqual({ slot: t("2026-01-01T00:05:00Z"), missed: 4, nextAt: t("2026-01-01T00:06:00Z") });
    const step = planTimerStep("1s", t("2026-01-01T00:00:00Z"), t("2026-01-02T00:00:00.5Z"));
    expect(step.slot).toBe(t("2026-01-02T00:00:00Z"));
    expect(step.nextAt).toBe(t("2026-01-02T00:00:01Z"));
  });
});
