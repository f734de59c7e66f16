/**
 * A worker thread of `validateRepo`: asks for a batch of integrations, validates it with the same
 * code the main thread runs, sends the results back and asks again until the queue is empty.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runScope, validateIntegration } from "../validate-integration.js";
import type { WorkBatch, WorkData, WorkResults } from "./protocol.js";

const port = parentPort!;
const { root, realRoot } = workerData as WorkData;
const scope = runScope(root, realRoot);

port.on("message", async ({ refs }: WorkBatch) => {
  if (refs === null) {
    port.close();
    return;
  }
  const results = [];
  for (const ref of refs) results.push(await validateIntegration(ref, scope));
  port.postMessage({ results } satisfies WorkResults);
});
port.postMessage({ results: [] } satisfies WorkResults);
