/**
 * An HttpTransport that answers from recorded fixtures. A request matches a fixture when alias,
 * method and path are equal, every query parameter and header the fixture names has its value
 * (header names case-insensitive; the request may carry more), and the body equals the
 * fixture's `json` (deep) or `body` (exact) when one is given. A request nothing matches fails
 * at the call site with NO_FIXTURE_MATCH and is kept, with a diff against the closest fixture,
 * so the case fails even when the handler catches the error.
 */
import { DeviceError, type HttpExchange, type HttpReply, type HttpTransport } from "@ihub/runtime";
import { createFixturePool, type FixtureReport, type PooledFixture } from "./fixture-pool.js";
import { deepEqualJson } from "./json-diff.js";
import type { HttpFixture } from "./test-case-schema.js";

function parseJson(body: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (body === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

export function httpDifferences(fixture: HttpFixture, ex: HttpExchange): string[] {
  const req = fixture.request;
  const out: string[] = [];
  if (fixture.alias !== ex.alias) out.push("alias");
  if (req.method.toUpperCase() !== ex.method) out.push("method");
  if (req.path !== ex.path) out.push("path");
  for (const [k, v] of Object.entries(req.query ?? {})) if (ex.query[k] !== v) out.push(`query.${k}`);
  for (const [k, v] of Object.entries(req.headers ?? {})) if (ex.headers[k.toLowerCase()] !== v) out.push(`headers.${k.toLowerCase()}`);
  if (req.json !== undefined) {
    const body = parseJson(ex.body);
    if (!body.ok || !deepEqualJson(req.json, body.value)) out.push("json");
  }
  if (req.body !== undefined && req.body !== ex.body) out.push("body");
  return out;
}

/** The request as the fixture describes requests: only the query parameters and headers the fixture names. */
function requestLike(fixture: HttpFixture, ex: HttpExchange): Record<string, unknown> {
  const req = fixture.request;
  const pick = (names: string[], from: Record<string, string>) => Object.fromEntries(names.filter((n) => from[n] !== undefined).map((n) => [n, from[n]]));
  const body = parseJson(ex.body);
  return {
    alias: ex.alias,
    method: ex.method,
    path: ex.path,
    ...(req.query ? { query: pick(Object.keys(req.query), ex.query) } : {}),
    ...(req.headers ? { headers: pick(Object.keys(req.headers).map((h) => h.toLowerCase()), ex.headers) } : {}),
    ...(req.json !== undefined ? { json: body.ok ? body.value : (ex.body ?? null) } : {}),
    ...(req.body !== undefined ? { body: ex.body ?? null } : {}),
  };
}

function fixtureLike(fixture: HttpFixture): Record<string, unknown> {
  const req = fixture.request;
  return {
    alias: fixture.alias,
    method: req.method.toUpperCase(),
    path: req.path,
    ...(req.query ? { query: req.query } : {}),
    ...(req.headers ? { headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])) } : {}),
    ...(req.json !== undefined ? { json: req.json } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
  };
}

export function describeExchange(ex: HttpExchange): string {
  const query = new URLSearchParams(ex.query).toString();
  return `${ex.method} ${ex.path}${query ? `?${query}` : ""} on ${JSON.stringify(ex.alias)}`;
}

/** The fixture's reply, or its recorded transport failure raised the way the live transport raises it. */
export function replyOf(fixture: HttpFixture, ex: HttpExchange): HttpReply {
  if (fixture.error) throw new DeviceError(fixture.error.code, fixture.error.message ?? `${ex.method} ${ex.path} failed (${fixture.error.code}, recorded)`, { alias: ex.alias, method: ex.method });
  const res = fixture.response ?? { status: 200 };
  const headers = Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  if (res.json !== undefined) {
    headers["content-type"] ??= "application/json";
    return { status: res.status, headers, body: JSON.stringify(res.json) };
  }
  return { status: res.status, headers, body: res.body ?? "" };
}

export type FixtureHttpTransport = HttpTransport & FixtureReport<HttpFixture>;

export function fixtureHttpTransport(entries: readonly PooledFixture<HttpFixture>[]): FixtureHttpTransport {
  const pool = createFixturePool("http", entries, httpDifferences);
  return {
    unmatched: pool.unmatched,
    unused: pool.unused,
    async send(ex) {
      const answer = pool.take(ex);
      if (answer.ok) return replyOf(answer.fixture, ex);
      const message = pool.miss(answer, describeExchange(ex), (f) => ({ expected: fixtureLike(f), actual: requestLike(f, ex) }));
      throw new DeviceError("NO_FIXTURE_MATCH", message, { alias: ex.alias, method: ex.method });
    },
  };
}
