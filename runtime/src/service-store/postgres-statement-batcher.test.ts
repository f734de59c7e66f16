import { describe, expect, it } from "vitest";
import { batchStatements } from "./postgres-statement-batcher.js";

/** A statement that records each batch it was given and answers when `open` is called. */
function gatedStatement(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const statement = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.some(fail)) throw new Error(`bad item in ${items.join(",")}`);
    return items.map((i) => i * 10);
  };
  return { batches, gates, statement };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("batchStatements", () => {
  it("sends a lone call at once and the calls made meanwhile together, each with its own result", async () => {
    const s = gatedStatement();
    const call = batchStatements(s.statement);
    const first = call(1);
    expect(s.batches).toEqual([[1]]);
    const rest = [call(2), call(3), call(4)];
    await flush();
    expect(s.batches).toEqual([[1]]);
    s.gates.shift()!();
    await expect(first).resolves.toBe(10);
    await flush();
    expect(s.batches).toEqual([[1], [2, 3, 4]]);
    s.gates.shift()!();
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
    // Idle again: the next call goes out alone, at once.
    const later = call(5);
    expect(s.batches.at(-1)).toEqual([5]);
    s.gates.shift()!();
    await expect(later).resolves.toBe(50);
  });

  it("splits a backlog into batches of at most maxBatch, in order", async () => {
    const s = gatedStatement();
    const call = batchStatements(s.statement, 2);
    const all = [1, 2, 3, 4, 5].map((n) => call(n));
    for (let i = 0; i < 3; i++) {
      await flush();
      s.gates.shift()!();
    }
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50]);
    expect(s.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("fails only the caller whose item breaks the statement: the others go again alone", async () => {
    const s = gatedStatement((n) => n === 3);
    const call = batchStatements(s.statement);
    const first = call(1);
    const rest = [call(2), call(3), call(4)].map((p) => p.then((v) => ({ v }), (e: Error) => ({ e: e.message })));
    s.gates.shift()!();
    await first;
    while (s.batches.length < 5 || s.gates.length > 0) {
      await flush();
      while (s.gates.length > 0) s.gates.shift()!();
    }
    expect(await Promise.all(rest)).toEqual([{ v: 20 }, { e: "bad item in 3" }, { v: 40 }]);
    expect(s.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it("refuses a statement that answers for fewer items than it was given", async () => {
    const call = batchStatements<number, number>(async (items) => items.slice(1));
    await expect(call(1)).rejects.toThrow("returned 0 results for 1 items");
  });
});
