/**
 * What a case expected against what the invocation did, as a list of typed mismatches. Pure: the
 * observation is plain data, so every rule below is unit-tested without a sandbox.
 *
 * Rules (docs/testing.md): `output` deep-equal; `error` code equal and message a substring; no
 * `error` means the call must succeed. `cache` compares only the keys it names (null: absent);
 * `containers` compares each container it names exactly (null records: absent). `logs` and
 * `events` are the complete lists in order (log messages are substrings; an event without
 * `payload` matches any payload), and so are `charges` (one without `note` matches any note).
 * `requests` is the exact number of device calls.
 */
import { type DeviceRequestRecord, errorCode, type ExecutionResult } from "@ihub/runtime";
import type { Mismatch } from "./case-result.js";
import type { UnmatchedRequest } from "./fixture-pool.js";
import { deepEqualJson, jsonDiff, lineDiff } from "./json-diff.js";
import { toPointer } from "@ihub/runtime/json";
import type { CasePosition } from "./load-test-case.js";
import type { TestCase } from "./test-case-schema.js";

export type Observation = {
  result: ExecutionResult;
  cache: Record<string, unknown>;
  containers: Record<string, Record<string, unknown>>;
  unmatched: UnmatchedRequest[];
  /** Pointers of fixtures (not optional) that no call used. */
  unused: { pointer: string; summary: string }[];
};

type Expect = TestCase["expect"];
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A mismatch before its pointer is resolved to a line. */
type Draft = OmitEach<Mismatch, "line" | "column">;

const short = (s: string) => (s.length > 80 ? s.slice(0, 80) + "…" : s);

export function describeRequest(r: DeviceRequestRecord): string {
  if (r.kind === "http") {
    const query = new URLSearchParams(r.query).toString();
    return `${r.method} ${r.path}${query ? `?${query}` : ""} on ${JSON.stringify(r.alias)}${r.status !== undefined ? ` -> ${r.status}` : ""}${r.error ? ` (${short(r.error)})` : ""}`;
  }
  return `SQL ${short(r.query.replace(/\s+/g, " ").trim())} on ${JSON.stringify(r.alias)}${r.error ? ` (${short(r.error)})` : ""}`;
}

function withoutNulls(records: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(records).filter(([, v]) => v !== null));
}

function compareOutcome(expect: Expect, result: ExecutionResult): Draft[] {
  if (expect.error) {
    if (result.ok) return [{ kind: "missing_error", pointer: "/expect/error", message: `expected error ${expect.error.code} but the call returned`, output: result.output ?? null }];
    const out: Draft[] = [];
    const code = errorCode(result.error);
    if (code !== expect.error.code) out.push({ kind: "error_code", pointer: "/expect/error/code", message: `expected error code ${expect.error.code}, got ${code}: ${result.error.message}`, expected: expect.error.code, actual: code });
    if (expect.error.message !== undefined && !result.error.message.includes(expect.error.message)) {
      out.push({ kind: "error_message", pointer: "/expect/error/message", message: `error message does not contain ${JSON.stringify(expect.error.message)}: ${JSON.stringify(result.error.message)}`, expected: expect.error.message, actual: result.error.message });
    }
    return out;
  }
  if (!result.ok) {
    const e = result.error;
    const at = e.kind === "internal" && e.file ? ` (${e.file}${e.line ? `:${e.line}` : ""})` : "";
    return [{ kind: "unexpected_error", pointer: expect.output !== undefined ? "/expect/output" : "/expect", message: `the call failed with ${errorCode(e)}: ${e.message}${at}`, error: { code: errorCode(e), message: e.message } }];
  }
  if (expect.output !== undefined && !deepEqualJson(expect.output, result.output ?? null)) {
    return [{ kind: "output", pointer: "/expect/output", message: "output differs", expected: expect.output, actual: result.output ?? null, diff: jsonDiff(expect.output, result.output ?? null) }];
  }
  return [];
}

function compareState(expect: Expect, obs: Observation): Draft[] {
  const out: Draft[] = [];
  if (expect.cache) {
    const actual = Object.fromEntries(Object.keys(expect.cache).map((k) => [k, obs.cache[k] ?? null]));
    if (!deepEqualJson(expect.cache, actual)) out.push({ kind: "cache", pointer: "/expect/cache", message: "cache after the call differs", expected: expect.cache, actual, diff: jsonDiff(expect.cache, actual) });
  }
  for (const [name, records] of Object.entries(expect.containers ?? {})) {
    const expected = withoutNulls(records);
    const actual = obs.containers[name] ?? {};
    if (!deepEqualJson(expected, actual)) {
      out.push({ kind: "containers", pointer: toPointer(["expect", "containers", name]), container: name, message: `container ${name} after the call differs`, expected, actual, diff: jsonDiff(expected, actual) });
    }
  }
  return out;
}

function compareLogs(expected: NonNullable<Expect["logs"]>, actual: ExecutionResult["logs"]): Draft[] {
  const matches = (i: number) => expected[i] !== undefined && actual[i] !== undefined && expected[i]!.level === actual[i]!.level && actual[i]!.message.includes(expected[i]!.message);
  if (expected.length === actual.length && expected.every((_, i) => matches(i))) return [];
  const line = (l: { level: string; message: string }) => `${l.level}: ${l.message}`;
  const want = expected.map(line);
  // A line that matches by substring is shown as the expected text, so only real differences stand out.
  const got = actual.map((l, i) => (matches(i) ? want[i]! : line(l)));
  return [
    {
      kind: "logs",
      pointer: "/expect/logs",
      message: `logs differ: expected ${expected.length}, got ${actual.length}`,
      expected,
      actual: actual.map(({ level, message }) => ({ level, message })),
      diff: ["--- expected", "+++ actual", ...lineDiff(want, got)].join("\n"),
    },
  ];
}

function compareEvents(expected: NonNullable<Expect["events"]>, actual: ExecutionResult["events"]): Draft[] {
  // An expected event without payload asserts only its topic.
  const seen = actual.map((e, i) => (expected[i] && expected[i]!.payload === undefined ? { topic: e.topic } : e));
  if (deepEqualJson(expected, seen)) return [];
  return [{ kind: "events", pointer: "/expect/events", message: `emitted events differ: expected ${expected.length}, got ${actual.length}`, expected, actual: seen, diff: jsonDiff(expected, seen) }];
}

function compareCharges(expected: NonNullable<Expect["charges"]>, actual: ExecutionResult["charges"]): Draft[] {
  const seen = actual.map((c, i) => (expected[i] && expected[i]!.note === undefined ? { usd: c.usd } : c));
  if (deepEqualJson(expected, seen)) return [];
  return [{ kind: "charges", pointer: "/expect/charges", message: `reported charges differ: expected ${expected.length}, got ${actual.length}`, expected, actual: seen, diff: jsonDiff(expected, seen) }];
}

export function compareExpectations(expect: Expect, obs: Observation, locate: (pointer: string) => CasePosition | null = () => null): Mismatch[] {
  const drafts: Draft[] = [
    // An unmatched request usually explains everything after it, so it comes first.
    ...obs.unmatched.map(
      (u): Draft => ({
        kind: "unmatched_request",
        pointer: u.closest?.pointer.replace(/^[^#]*#/, "") ?? "/fixtures",
        message: `no fixture matches ${u.summary}${u.closest?.exhausted ? ` (${u.closest.pointer} matches but is used up: raise its times)` : ""}`,
        request: u.summary,
        closest: u.closest,
      }),
    ),
    ...compareOutcome(expect, obs.result),
    ...compareState(expect, obs),
    ...(expect.logs ? compareLogs(expect.logs, obs.result.logs) : []),
    ...(expect.events ? compareEvents(expect.events, obs.result.events) : []),
    ...(expect.charges ? compareCharges(expect.charges, obs.result.charges) : []),
  ];
  const made = obs.result.requests;
  if (expect.requests !== undefined && made.length !== expect.requests) {
    drafts.push({ kind: "requests", pointer: "/expect/requests", message: `expected ${expect.requests} device calls, got ${made.length}`, expected: expect.requests, actual: made.length, made: made.map(describeRequest) });
  }
  // A fixture that was the closest miss is already reported with its diff.
  const explained = new Set(obs.unmatched.map((u) => u.closest?.pointer));
  for (const u of obs.unused.filter((x) => !explained.has(x.pointer))) drafts.push({ kind: "fixture_unused", pointer: u.pointer, message: `fixture ${u.pointer} (${u.summary}) was never used; remove it or mark it optional: true` });
  return drafts.map((d) => {
    const pos = locate(d.pointer);
    return { ...d, line: pos?.line ?? null, column: pos?.column ?? null } as Mismatch;
  });
}
