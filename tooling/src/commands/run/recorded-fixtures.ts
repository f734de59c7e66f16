/**
 * What `ihub run` replays without `--live`: the recorded fixtures of the handler's test cases.
 *
 * With `--case`, exactly that case: its fixtures, seeded state, clock, and its input, config and
 * credentials as defaults. Without it, the union of the fixtures of every case of the handler,
 * each usable any number of times and never required; the first that matches answers, trying
 * fixtures of cases that expect success before those of cases that expect an error, and within
 * each group the most specific (most query, header and body constraints) first, so a generic
 * recorded failure does not shadow a recorded success. Defaults then come from the first case
 * (by file name) that expects success and records device calls (else the first that expects
 * success), so the bare command replays a working call; state starts empty, the clock is real.
 */
import path from "node:path";
import { pooled, type PooledFixture } from "../../harness/fixture-pool.js";
import { loadTestCase, type LoadedCase } from "../../harness/load-test-case.js";
import { listCaseFiles } from "../../harness/run-integration-tests.js";
import type { HttpFixture, SqlFixture, TestCase } from "../../harness/test-case-schema.js";
import { UsageError } from "../../errors.js";

export type Recorded = {
  http: PooledFixture<HttpFixture>[];
  sql: PooledFixture<SqlFixture>[];
  /** Where input, config, credentials (and with --case, state and clock) default from. */
  base: LoadedCase | null;
  /** Whether `base` was chosen with --case, so its state and clock apply too. */
  exact: boolean;
};

/** The handler's cases that load, in file order; cases that do not load are left to `ihub test`. */
export async function handlerCases(dir: string, handler: string): Promise<LoadedCase[]> {
  const out: LoadedCase[] = [];
  for (const file of await listCaseFiles(dir)) {
    const loaded = await loadTestCase(path.join(dir, file), file);
    if (loaded.ok && loaded.loaded.case.handler === handler) out.push(loaded.loaded);
  }
  return out;
}

const expectsSuccess = (c: TestCase) => c.expect.error === undefined;
const makesCalls = (c: TestCase) => (c.fixtures?.http?.length ?? 0) + (c.fixtures?.sql?.length ?? 0) > 0;

function httpSpecificity(f: HttpFixture): number {
  const r = f.request;
  return Object.keys(r.query ?? {}).length + Object.keys(r.headers ?? {}).length + (r.json !== undefined || r.body !== undefined ? 1 : 0);
}

/** Every fixture of `cases`, reusable and optional, in the order described above. */
function union<F extends HttpFixture | SqlFixture>(cases: readonly LoadedCase[], pick: (c: TestCase) => F[] | undefined, kind: string, specificity: (f: F) => number): PooledFixture<F>[] {
  const entries = cases.flatMap((c, caseIndex) =>
    (pick(c.case) ?? []).map((fixture, i) => ({
      entry: { fixture: { ...fixture, times: Number.MAX_SAFE_INTEGER, optional: true }, pointer: `${c.file}#/fixtures/${kind}/${i}` },
      rank: [expectsSuccess(c.case) ? 0 : 1, -specificity(fixture), caseIndex, i],
    })),
  );
  entries.sort((a, b) => {
    const k = a.rank.findIndex((x, i) => x !== b.rank[i]);
    return k === -1 ? 0 : a.rank[k]! - b.rank[k]!;
  });
  return entries.map((e) => e.entry);
}

export function recordedFixtures(cases: readonly LoadedCase[], caseArg: string | undefined): Recorded {
  if (caseArg !== undefined) {
    const chosen = cases.find((c) => c.file === caseArg || path.posix.basename(c.file) === caseArg || c.case.name === caseArg);
    if (!chosen) {
      throw new UsageError(`--case ${JSON.stringify(caseArg)} is not a case of this handler`, cases.length ? `Cases: ${cases.map((c) => path.posix.basename(c.file)).join(", ")}.` : "The handler has no test cases; write one under tests/.");
    }
    const at = (kind: string) => (i: number) => `${chosen.file}#/fixtures/${kind}/${i}`;
    return { http: pooled(chosen.case.fixtures?.http, at("http")), sql: pooled(chosen.case.fixtures?.sql, at("sql")), base: chosen, exact: true };
  }
  return {
    http: union(cases, (c) => c.fixtures?.http, "http", httpSpecificity),
    sql: union(cases, (c) => c.fixtures?.sql, "sql", (f) => (f.params !== undefined ? 1 : 0)),
    base: cases.find((c) => expectsSuccess(c.case) && makesCalls(c.case)) ?? cases.find((c) => expectsSuccess(c.case)) ?? null,
    exact: false,
  };
}
