/**
 * Ids of the rows the service writes most (runs, jobs, events): UUID version 7, whose first 48
 * bits are the time in milliseconds and the rest random. New ids land next to each other in the
 * id index instead of on a random page each, which halves what a group commit writes.
 */
import { randomUUID } from "node:crypto";

export function timeOrderedId(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  const random = randomUUID();
  // Keeps randomUUID's variant bits and 74 of its random bits; the version nibble becomes 7.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
