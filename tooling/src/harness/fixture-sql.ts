/**
 * A SqlTransport that answers from recorded fixtures. A query matches when the alias is equal,
 * the SQL text is equal after collapsing whitespace, and the bound parameters are deep-equal
 * when the fixture lists them. The fixture returns its rows, or raises its `error` the way a
 * driver would (SQL_ERROR); a query nothing matches fails like an unmatched HTTP request.
 */
import { collapseSql, DeviceError, type SqlExchange, type SqlRow, type SqlTransport } from "@ihub/runtime";
import { createFixturePool, type FixtureReport, type PooledFixture } from "./fixture-pool.js";
import { deepEqualJson } from "./json-diff.js";
import type { SqlFixture } from "./test-case-schema.js";

export function sqlDifferences(fixture: SqlFixture, ex: SqlExchange): string[] {
  const out: string[] = [];
  if (fixture.alias !== ex.alias) out.push("alias");
  if (collapseSql(fixture.query) !== collapseSql(ex.query)) out.push("query");
  if (fixture.params !== undefined && !deepEqualJson(fixture.params, ex.params)) out.push("params");
  return out;
}

const shapeOf = (alias: string, query: string, params: unknown[] | undefined) => ({ alias, query: collapseSql(query), ...(params !== undefined ? { params } : {}) });

export type FixtureSqlTransport = SqlTransport & FixtureReport<SqlFixture>;

export function fixtureSqlTransport(entries: readonly PooledFixture<SqlFixture>[]): FixtureSqlTransport {
  const pool = createFixturePool("sql", entries, sqlDifferences);
  return {
    unmatched: pool.unmatched,
    unused: pool.unused,
    async query(ex): Promise<SqlRow[]> {
      const answer = pool.take(ex);
      if (answer.ok) {
        if (answer.fixture.error !== undefined) throw new DeviceError("SQL_ERROR", answer.fixture.error, { alias: ex.alias });
        return structuredClone(answer.fixture.rows ?? []);
      }
      const query = collapseSql(ex.query);
      const summary = `${query.length > 80 ? query.slice(0, 80) + "…" : query} on ${JSON.stringify(ex.alias)}`;
      const message = pool.miss(answer, summary, (f) => ({ expected: shapeOf(f.alias, f.query, f.params), actual: shapeOf(ex.alias, ex.query, f.params === undefined ? undefined : ex.params) }));
      throw new DeviceError("NO_FIXTURE_MATCH", message, { alias: ex.alias });
    },
  };
}
