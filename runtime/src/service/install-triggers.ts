/**
 * The triggers a version's manifest declares (timers with their first fire time, event handlers
 * with their topic), planned the same way at install and at every version switch.
 */
import type { Manifest } from "../manifest/manifest-schema.js";
import { nextFireAfter } from "../scheduler/timer-schedule.js";
import type { Trigger } from "../service-store/service-store.js";
import { ServiceError } from "./service-error.js";

/** A schedule that cannot be read is refused at install, so the worker never meets one. */
function firstFire(manifest: Manifest, handler: string, schedule: string, now: number): number {
  try {
    return nextFireAfter(schedule, now);
  } catch (error) {
    throw new ServiceError(422, "SCHEDULE_INVALID", `${manifest.slug}@${manifest.version}: handlers.${handler}.schedule ${JSON.stringify(schedule)} cannot be read: ${(error as Error).message}`, "The bundle should not have passed `ihub validate`; ask its publisher for a fixed version.");
  }
}

export function triggersOf(manifest: Manifest, now: number): Trigger[] {
  const out: Trigger[] = [];
  for (const [handler, h] of Object.entries(manifest.handlers)) {
    if (h.type === "timer" && h.schedule) out.push({ kind: "timer", handler, schedule: h.schedule, firstAt: firstFire(manifest, handler, h.schedule, now) });
    if (h.type === "event" && h.event) out.push({ kind: "event", handler, topic: h.event });
  }
  return out;
}

export function deprecationWarning(m: Manifest): string[] {
  if (!m.deprecated) return [];
  return [`${m.slug} is deprecated: ${m.deprecated.message}${m.deprecated.replacement ? ` (replacement: ${m.deprecated.replacement})` : ""}`];
}
