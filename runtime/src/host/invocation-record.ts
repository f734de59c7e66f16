/** What one invocation did, collected by the host: the harness asserts on it, `ihub run` prints it. */
import type { LogLevel } from "../capabilities/capability-table.js";

export type LogRecord = { level: LogLevel; message: string; fields?: unknown; at: string };
export type EmittedEvent = { topic: string; payload: unknown };
export type DeviceRequestRecord =
  | { kind: "http"; alias: string; method: string; path: string; query: Record<string, string>; status?: number; error?: string }
  | { kind: "sql"; alias: string; query: string; params: unknown[]; rows?: number; error?: string };

/** A cost the handler reported with ctx.billing.charge. */
export type Charge = { usd: number; note: string | null };

export type InvocationRecord = { logs: LogRecord[]; events: EmittedEvent[]; requests: DeviceRequestRecord[]; charges: Charge[] };

export function emptyRecord(): InvocationRecord {
  return { logs: [], events: [], requests: [], charges: [] };
}
