/** The expectation rules and the fixture pool as pure functions: plain observations in, typed mismatches out. */
import { describe, expect, it } from "vitest";
import type { ExecutionResult } from "@ihub/runtime";
import { compareExpectations, type Observation } from "./compare-expectations.js";
import { createFixturePool } from "./fixture-pool.js";
import type { TestCase } from "./test-case-schema.js";

function observed(over: Partial<ExecutionResult> & { ok?: boolean } = {}, rest: Partial<Observation> = {}): Observation {
  const result = { runId: "r", handler: "h", durationMs: 1, stats: null, logs: [], events: [], requests: [], charges: [], ok: true, output: null, ...over } as ExecutionResult;
  return { result, cache: {}, containers: {}, unmatched: [], unused: [], ...rest };
}
const kinds = (expect: TestCase["expect"], obs: Observation) => compareExpectations(expect, obs).map((m) => m.kind);

describe("compareExpectations", () => {
  it("compares only the cache keys named, null meaning absent", () => {
    const obs = observed({}, { cache: { a: 1, b: 2 } });
    expect(kinds({ cache: { a: 1, gone: null } }, obs)).toEqual([]);
    expect(kinds({ cache: { b: null } }, obs)).toEqual(["cache"]);
  });

  it("compares each named container whole", () => {
    const obs = observed({}, { containers: { notes: { a: { t: 1 }, b: { t: 2 } } } });
    expect(kinds({ containers: { notes: { a: { t: 1 }, b: { t: 2 }, c: null } } }, obs)).toEqual([]);
    expect(kinds({ containers: { notes: { a: { t: 1 } } } }, obs)).toEqual(["containers"]);
    expect(kinds({ containers: { other: {} } }, obs)).toEqual([]);
  });

  it("takes logs as the complete ordered list with substring messages", () => {
    const obs = observed({ logs: [{ level: "info", message: "saved 3 rows", at: "" }, { level: "debug", message: "done", at: "" }] });
    expect(kinds({ logs: [{ level: "info", message: "saved" }, { level: "debug", message: "done" }] }, obs)).toEqual([]);
    expect(kinds({ logs: [{ level: "info", message: "saved" }] }, obs)).toEqual(["logs"]);
    const [m] = compareExpectations({ logs: [{ level: "debug", message: "done" }, { level: "info", message: "saved" }] }, obs);
    expect(m!.kind === "logs" && m!.diff.split("\n").slice(2)).toEqual(["+ info: saved 3 rows", "  debug: done", "- info: saved"]);
  });

  it("matches an event without payload on its topic", () => {
    const obs = observed({ events: [{ topic: "t", payload: { x: 1 } }] });
    expect(kinds({ events: [{ topic: "t" }] }, obs)).toEqual([]);
    expect(kinds({ events: [{ topic: "t", payload: { x: 2 } }] }, obs)).toEqual(["events"]);
    expect(kinds({ events: [] }, obs)).toEqual(["events"]);
  });

  it("compares reported charges in order, a charge without note on its amount", () => {
    const obs = observed({ charges: [{ usd: 0.01, note: "1 SMS" }, { usd: 0.02, note: null }] });
    expect(kinds({ charges: [{ usd: 0.01 }, { usd: 0.02, note: null }] }, obs)).toEqual([]);
    expect(kinds({ charges: [{ usd: 0.01, note: "2 SMS" }, { usd: 0.02 }] }, obs)).toEqual(["charges"]);
    expect(kinds({ charges: [{ usd: 0.01 }] }, obs)).toEqual(["charges"]);
    expect(kinds({ charges: [] }, observed({}))).toEqual([]);
  });

  it("requires success unless an error is expected", () => {
    const failed = observed({ ok: false, error: { kind: "expected", code: "nope", message: "no such thing" } } as Partial<ExecutionResult>);
    expect(kinds({}, failed)).toEqual(["unexpected_error"]);
    expect(kinds({ error: { code: "nope", message: "such" } }, failed)).toEqual([]);
    expect(kinds({ error: { code: "nope" } }, observed())).toEqual(["missing_error"]);
    expect(kinds({ output: [] }, observed({ output: {} }))).toEqual([]);
  });

  it("puts unmatched requests first and does not report their closest fixture as unused too", () => {
    const closest = { pointer: "/fixtures/http/0", differences: ["path"], exhausted: false, diff: "" };
    const obs = observed({ requests: [] }, { unmatched: [{ kind: "http", summary: "GET /x", closest }], unused: [{ pointer: "/fixtures/http/0", summary: "" }, { pointer: "/fixtures/http/1", summary: "" }] });
    const out = compareExpectations({ requests: 1, output: 1 }, obs, (p) => ({ line: p.length, column: 1 }));
    expect(out.map((m) => [m.kind, m.pointer, m.line])).toEqual([
      ["unmatched_request", "/fixtures/http/0", 16],
      ["output", "/expect/output", 14],
      ["requests", "/expect/requests", 16],
      ["fixture_unused", "/fixtures/http/1", 16],
    ]);
  });
});

describe("createFixturePool", () => {
  const entries = [0, 1, 2].map((n) => ({ fixture: { n, ...(n === 1 ? { times: 2 } : {}) }, pointer: `/f/${n}` }));
  const pool = () => createFixturePool("http", entries, (f: { n: number }, r: number) => (f.n === r ? [] : Array.from({ length: Math.abs(f.n - r) }, () => "n")));

  it("answers with the first match that has uses left and reports the rest unused", () => {
    const p = pool();
    expect(p.take(1)).toMatchObject({ ok: true, pointer: "/f/1" });
    expect(p.take(1)).toMatchObject({ ok: true, pointer: "/f/1" });
    expect(p.take(1)).toMatchObject({ ok: false, closest: { pointer: "/f/1", exhausted: true } });
    expect(p.unused().map((u) => u.pointer)).toEqual(["/f/0", "/f/2"]);
  });

  it("names the fixture with the fewest differences as closest, the first on a tie", () => {
    const p = pool();
    expect(p.take(5)).toMatchObject({ ok: false, closest: { pointer: "/f/2", differences: ["n", "n", "n"] } });
    const tie = createFixturePool("sql", entries, () => ["x"]);
    expect(tie.take(0)).toMatchObject({ ok: false, closest: { pointer: "/f/0" } });
  });
});
