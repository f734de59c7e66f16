/**
 * Group commit for the PostgreSQL store's small per-run statements (read an install, record a run,
 * finish it, complete a job). A call made while the previous batch is still on the wire waits for
 * it, then goes out together with every call that arrived meanwhile, as one statement. A call made
 * when nothing is on the wire goes out at once, so an idle store pays no added latency; under load,
 * concurrent runs share one round trip and one transaction instead of paying one each. Every call
 * is sent after it was made, so a read still sees every write that finished before it.
 */

/** Runs the statement for `items` and returns one result per item, in their order. */
export type BatchStatement<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };

/** Items in one statement at most: bounds the size of the arrays bound as parameters. */
export const MAX_BATCH = 256;

export function batchStatements<T, R>(statement: BatchStatement<T, R>, maxBatch: number = MAX_BATCH): (item: T) => Promise<R> {
  let waiting: Waiting<T, R>[] = [];
  let sending = false;

  async function settle(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await statement(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`batched statement returned ${results.length} results for ${batch.length} items`);
      batch.forEach((w, n) => w.resolve(results[n]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One statement fails as a whole: each item goes again alone, so one bad row fails only its
      // caller; in turn, so the rows still land in the order they were asked for.
      for (const w of batch) await statement([w.item]).then((r) => w.resolve(r[0]!), w.reject);
    }
  }

  async function send(): Promise<void> {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.length <= maxBatch ? waiting : waiting.slice(0, maxBatch);
      waiting = waiting.length <= maxBatch ? [] : waiting.slice(maxBatch);
      await settle(batch);
    }
    sending = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!sending) void send();
    });
}
