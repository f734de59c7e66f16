/** The `ihub run --json` document: the same result the human report prints. */
import { errorCode, type ExecutionResult } from "@ihub/runtime";
import type { UnmatchedRequest } from "../../harness/fixture-pool.js";

export function runDocument(result: ExecutionResult, how: { slug: string; live: boolean; caseFile: string | null; unmatched: readonly UnmatchedRequest[] }) {
  const { ok, handler, runId, durationMs, stats, logs, events, requests, charges } = result;
  return {
    ok,
    slug: how.slug,
    handler,
    mode: how.live ? "live" : "fixtures",
    ...(how.caseFile ? { case: how.caseFile } : {}),
    ...(result.ok ? { output: result.output ?? null } : { error: { code: errorCode(result.error), ...result.error } }),
    logs,
    events,
    charges,
    requests,
    unmatched: how.unmatched,
    runId,
    durationMs: Math.round(durationMs * 100) / 100,
    stats,
  };
}
