/** Messages between `validateRepo` and its worker threads (see validate-worker.ts). */
import type { IntegrationRef } from "../integration-context.js";
import type { IntegrationResult } from "../validate-integration.js";

export type WorkData = { root: string; realRoot: string };
/** Main -> worker: a batch to validate, or null when the queue is empty. */
export type WorkBatch = { refs: IntegrationRef[] | null };
/** Worker -> main: results of the previous batch (empty on the first message) and a request for more. */
export type WorkResults = { results: IntegrationResult[] };
