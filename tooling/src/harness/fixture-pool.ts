/**
 * The bookkeeping shared by HTTP and SQL fixtures: which recorded fixture answers a request (the
 * first that matches and still has uses left), which one comes closest when none does, and which
 * were never used, plus the misses it explained. Matching itself is the caller's `differences`
 * function, so the same pool serves both kinds.
 */
import { jsonDiff } from "./json-diff.js";

/** What every kind of fixture has: how often it may answer and whether it may go unused. */
export type FixtureUses = { times?: number | undefined; optional?: boolean | undefined };

export type PooledFixture<F extends FixtureUses> = {
  fixture: F;
  /** Where the fixture is written: a JSON pointer into its case file, optionally prefixed with the file. */
  pointer: string;
};

/** Fixtures of a list with their pointers, e.g. `pooled(c.fixtures.http, (i) => \`/fixtures/http/${i}\`)`. */
export function pooled<F extends FixtureUses>(fixtures: readonly F[] | undefined, pointerOf: (index: number) => string): PooledFixture<F>[] {
  return (fixtures ?? []).map((fixture, index) => ({ fixture, pointer: pointerOf(index) }));
}

export type ClosestFixture = {
  pointer: string;
  /** The parts of the request that differ, e.g. ["method", "query.page"]; empty when the fixture matched but was used up. */
  differences: string[];
  /** The fixture matched but had been used `times` times already. */
  exhausted: boolean;
};

/** A device call no fixture answered, with what the closest fixture expected. */
export type UnmatchedRequest = {
  kind: "http" | "sql";
  /** One line naming the call, e.g. `GET /v1/refunds on "stripe"`. */
  summary: string;
  closest: (ClosestFixture & { diff: string }) | null;
};

export type PoolAnswer<F extends FixtureUses> = { ok: true; fixture: F; pointer: string } | { ok: false; closest: ClosestFixture | null; index: number | null };

/** What a fixture transport tells the harness after the call: the misses and the fixtures never used. */
export type FixtureReport<F extends FixtureUses> = {
  unmatched: UnmatchedRequest[];
  /** Fixtures not marked optional that no request used. */
  unused(): PooledFixture<F>[];
};

export type FixturePool<F extends FixtureUses, R> = FixtureReport<F> & {
  take(request: R): PoolAnswer<F>;
  /**
   * Records a miss and returns the message the handler sees. `compare` renders the closest
   * fixture and the request in the same shape, as "expected" and "actual" of the diff.
   */
  miss(answer: PoolAnswer<F> & { ok: false }, summary: string, compare: (fixture: F) => { expected: unknown; actual: unknown }): string;
};

export function createFixturePool<F extends FixtureUses, R>(kind: UnmatchedRequest["kind"], entries: readonly PooledFixture<F>[], differences: (fixture: F, request: R) => string[]): FixturePool<F, R> {
  const uses = entries.map(() => 0);
  const unmatched: UnmatchedRequest[] = [];
  return {
    unmatched,
    miss(answer, summary, compare) {
      let closest: UnmatchedRequest["closest"] = null;
      if (answer.closest && answer.index !== null) {
        const { expected, actual } = compare(entries[answer.index]!.fixture);
        closest = { ...answer.closest, diff: jsonDiff(expected, actual) };
      }
      unmatched.push({ kind, summary, closest });
      const why = !closest
        ? `; the case has no ${kind.toUpperCase()} fixtures`
        : closest.exhausted
          ? `; ${closest.pointer} matches but is used up`
          : `; closest is ${closest.pointer} (differs in ${closest.differences.join(", ")})`;
      return `no recorded fixture matches ${summary}${why}`;
    },
    take(request) {
      let closest: { index: number; differences: string[]; exhausted: boolean } | null = null;
      for (const [index, entry] of entries.entries()) {
        const diff = differences(entry.fixture, request);
        const left = uses[index]! < (entry.fixture.times ?? 1);
        if (diff.length === 0 && left) {
          uses[index]!++;
          return { ok: true, fixture: entry.fixture, pointer: entry.pointer };
        }
        // A used-up exact match explains the miss better than any partial match.
        const better = closest === null || (diff.length === 0 ? !(closest.differences.length === 0) : !closest.exhausted && diff.length < closest.differences.length);
        if (better) closest = { index, differences: diff, exhausted: diff.length === 0 };
      }
      if (!closest) return { ok: false, closest: null, index: null };
      return { ok: false, index: closest.index, closest: { pointer: entries[closest.index]!.pointer, differences: closest.differences, exhausted: closest.exhausted } };
    },
    unused: () => entries.filter((e, i) => uses[i] === 0 && e.fixture.optional !== true),
  };
}
