/**
 * The harness on a small real integration written to a temp folder: real case files, the real
 * fengari sandbox and host. Each failing case below is one a contributor could write by mistake.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult, Mismatch } from "./case-result.js";
import { parseTestCase } from "./load-test-case.js";
import { renderCaseDetails } from "./render-result.js";
import { runIntegrationTests } from "./run-integration-tests.js";

const MANIFEST = {
  slug: "harness-probe",
  name: "Harness probe",
  description: "Exercises every kind of expectation.",
  version: "1.0.0",
  publisher: "tests",
  trustTier: "community",
  visibility: "private",
  categories: ["testing"],
  icon: "icon.svg",
  retentionTier: "none",
  auth: { type: "bearer_token", fields: { type: "object", properties: { token: { type: "string", format: "password" } } } },
  resources: { api: { kind: "http", description: "An HTTP API." }, db: { kind: "sql", dialect: "sqlite", description: "A database." } },
  permissions: {
    device: { api: { methods: ["GET", "POST"] }, db: {} },
    cache: true,
    containers: { notes: "readwrite" },
    events: { emit: ["probe.done"] },
  },
  dataContainerSchemas: { notes: { type: "object", properties: { text: { type: "string" } }, required: ["text"], additionalProperties: false } },
  handlers: {
    fetch: { type: "rpc", file: "handlers/main.lua", function: "fetch", displayName: "Fetch", description: "GET /items/<id> and return its name." },
    fetch_twice: { type: "rpc", file: "handlers/main.lua", function: "fetch_twice", displayName: "Fetch twice", description: "fetch, twice." },
    fetch_quietly: { type: "rpc", file: "handlers/main.lua", function: "fetch_quietly", displayName: "Fetch quietly", description: "Like fetch, but swallows device errors." },
    query: { type: "rpc", file: "handlers/main.lua", function: "query", displayName: "Query", description: "One SQL query." },
    remember: { type: "rpc", file: "handlers/main.lua", function: "remember", displayName: "Remember", description: "Writes cache, a note, logs and an event." },
    tick: { type: "timer", schedule: "1m", file: "handlers/main.lua", function: "tick", displayName: "Tick", description: "Logs the time it runs at." },
    on_done: { type: "event", event: "probe.done", file: "handlers/main.lua", function: "on_done", displayName: "On done", description: "Stores the event's note." },
  },
};

const LUA = `
local M = {}
function M.fetch(ctx, input)
  local res = ctx.device.http("api", { method = "GET", path = "/items/" .. input.id, query = { full = "1" } })
  if res.status == 404 then error({ code = "not_found", message = "no item " .. input.id }) end
  return { name = res.json.name }
end
function M.fetch_twice(ctx, input)
  M.fetch(ctx, input)
  return M.fetch(ctx, input)
end
function M.fetch_quietly(ctx, input)
  local ok = pcall(ctx.device.http, "api", { method = "GET", path = "/items/" .. input.id })
  return { ok = ok }
end
function M.query(ctx, input)
  return { rows = ctx.device.sql("db", "SELECT name\\n  FROM items\\n  WHERE id = ?", { input.id }) }
end
function M.remember(ctx, input)
  ctx.integration.cacheSet({ key = "last", value = input.text, ttl = 60 })
  ctx.integration.containersSet("notes", input.key, { text = input.text })
  ctx.log.info("remembered " .. input.key)
  ctx.log.debug("done")
  ctx.emit("probe.done", { key = input.key })
  return { saved = true }
end
function M.tick(ctx)
  ctx.integration.cacheSet({ key = "ticked", value = ctx.json.encode({ at = "now" }) })
  ctx.log.info("tick")
end
function M.on_done(ctx, input)
  ctx.integration.containersSet("notes", input.key, { text = "seen" })
end
return M
`;

let root: string;
let dir: string;
const results = new Map<string, CaseResult>();

/** Case files by name; every one is run once in beforeAll and looked up by the tests. */
const CASES: Record<string, unknown> = {
  "fetch-ok.test.json": {
    name: "passes",
    handler: "fetch",
    input: { id: "7" },
    credentials: { token: "tok:Lovelace@harness~1843" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7", query: { full: "1" }, headers: { Authorization: "Bearer tok:Lovelace@harness~1843" } }, response: { json: { name: "seven" } } }] },
    expect: { output: { name: "seven" }, requests: 1 },
  },
  "fetch-unmatched.test.json": {
    name: "the handler asks for another path than recorded",
    handler: "fetch",
    input: { id: "8" },
    fixtures: {
      http: [
        { alias: "api", request: { method: "POST", path: "/other" }, response: { json: {} }, optional: true },
        { alias: "api", request: { method: "GET", path: "/items/7", query: { full: "1" } }, response: { json: { name: "seven" } } },
      ],
    },
    expect: { output: { name: "eight" } },
  },
  "fetch-swallowed.test.json": {
    name: "an unmatched request fails the case even when the handler catches the error",
    handler: "fetch_quietly",
    input: { id: "9" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/1" }, response: { json: {} } }] },
    expect: { output: { ok: false } },
  },
  "fetch-used-up.test.json": {
    name: "a fixture answers once unless times says more",
    handler: "fetch_twice",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, response: { json: { name: "seven" } } }] },
    expect: { output: { name: "seven" } },
  },
  "fetch-used-up-times.test.json": {
    name: "times: 2 answers twice",
    handler: "fetch_twice",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, response: { json: { name: "seven" } }, times: 2 }] },
    expect: { output: { name: "seven" }, requests: 2 },
  },
  "fetch-timeout.test.json": {
    name: "a recorded transport failure reaches the handler as the live one would",
    handler: "fetch",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, error: { code: "HTTP_TIMEOUT" } }] },
    expect: { error: { code: "HTTP_TIMEOUT", message: "GET /items/7 failed" }, requests: 1 },
  },
  "fetch-wrong-output.test.yaml": ["name: the case expects another name", "handler: fetch", "input: { id: '7' }", "fixtures:", "  http:", "    - alias: api", "      request: { method: GET, path: /items/7 }", "      response: { json: { name: seven } }", "expect:", "  output: { name: eight }", ""].join("\n"),
  "fetch-error-expected.test.json": {
    name: "expects an error the handler does not raise",
    handler: "fetch",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, response: { json: { name: "seven" } } }] },
    expect: { error: { code: "not_found" } },
  },
  "fetch-error-other.test.json": {
    name: "expects another error code and message",
    handler: "fetch",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, response: { status: 404, json: {} } }] },
    expect: { error: { code: "gone", message: "vanished" } },
  },
  "fetch-error-ok.test.json": {
    name: "an expected error passes on code and message substring",
    handler: "fetch",
    input: { id: "7" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items/7" }, response: { status: 404, json: {} } }] },
    expect: { error: { code: "not_found", message: "item 7" } },
  },
  "fetch-unused.test.json": {
    name: "a second recorded request is never made",
    handler: "fetch",
    input: { id: "7" },
    fixtures: {
      http: [
        { alias: "api", request: { method: "GET", path: "/items/7" }, response: { json: { name: "seven" } } },
        { alias: "api", request: { method: "GET", path: "/items/8" }, response: { json: { name: "eight" } } },
      ],
    },
    expect: { output: { name: "seven" } },
  },
  "query-ok.test.json": {
    name: "SQL matches after whitespace collapsing and with params",
    handler: "query",
    input: { id: 3 },
    fixtures: { sql: [{ alias: "db", query: "SELECT name FROM items WHERE id = ?", params: [3], rows: [{ name: "three" }] }] },
    expect: { output: { rows: [{ name: "three" }] }, requests: 1 },
  },
  "query-params.test.json": {
    name: "SQL with other params does not match",
    handler: "query",
    input: { id: 4 },
    fixtures: { sql: [{ alias: "db", query: "SELECT name FROM items WHERE id = ?", params: [3], rows: [] }] },
    expect: { output: { rows: [] } },
  },
  "query-error.test.json": {
    name: "a recorded driver error reaches the handler",
    handler: "query",
    input: { id: 3 },
    fixtures: { sql: [{ alias: "db", query: "SELECT name FROM items WHERE id = ?", error: "database is locked" }] },
    expect: { error: { code: "SQL_ERROR", message: "database is locked" } },
  },
  "remember-ok.test.json": {
    name: "state, logs and events after the call",
    handler: "remember",
    input: { key: "a", text: "hello" },
    fixtures: { cache: { old: 1 }, containers: { notes: { b: { text: "kept" } } } },
    expect: {
      output: { saved: true },
      cache: { last: "hello", old: 1, never: null },
      containers: { notes: { a: { text: "hello" }, b: { text: "kept" } } },
      logs: [{ level: "info", message: "remembered" }, { level: "debug", message: "done" }],
      events: [{ topic: "probe.done" }],
      requests: 0,
    },
  },
  "remember-wrong.test.json": {
    name: "every state expectation wrong",
    handler: "remember",
    input: { key: "a", text: "hello" },
    expect: {
      cache: { last: "bye" },
      containers: { notes: {} },
      logs: [{ level: "debug", message: "done" }, { level: "info", message: "remembered" }],
      events: [{ topic: "probe.done", payload: { key: "z" } }],
      requests: 2,
    },
  },
  "remember-bad-seed.test.json": {
    name: "a seeded record must satisfy its container schema",
    handler: "remember",
    input: { key: "a", text: "hello" },
    fixtures: { containers: { notes: { x: { txt: "typo" } } } },
    expect: { output: { saved: true } },
  },
  "tick.test.json": { name: "a timer runs on the case's clock", handler: "tick", clock: "2030-05-01T00:00:00Z", expect: { logs: [{ level: "info", message: "tick" }], cache: { ticked: '{"at":"now"}' } } },
  "on-done.test.json": { name: "an event handler receives the payload as input", handler: "on_done", event: { topic: "probe.done", payload: { key: "k" } }, expect: { containers: { notes: { k: { text: "seen" } } } } },
  "on-done-topic.test.json": { name: "the event's topic must be the handler's", handler: "on_done", event: { topic: "probe.other", payload: {} }, expect: {} },
  "unknown-handler.test.json": { name: "names a handler the manifest lacks", handler: "nope", expect: {} },
  "bad-schema.test.json": '{\n  "name": "typo",\n  "handler": "fetch",\n  "expect": {},\n  "fixturez": {}\n}\n',
  "bad-yaml.test.yaml": "name: broken\nhandler: fetch\nexpect:\n  output: { name: [unclosed }\n",
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-harness-"));
  dir = path.join(root, "harness-probe");
  await mkdir(path.join(dir, "handlers"), { recursive: true });
  await mkdir(path.join(dir, "tests"));
  await writeFile(path.join(dir, "integration.json"), JSON.stringify(MANIFEST, null, 2));
  await writeFile(path.join(dir, "handlers", "main.lua"), LUA);
  for (const [file, body] of Object.entries(CASES)) await writeFile(path.join(dir, "tests", file), typeof body === "string" ? body : JSON.stringify(body, null, 2));
  const run = await runIntegrationTests(dir);
  for (const r of run.cases) results.set(r.file.replace("tests/", ""), r);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function result(file: string): CaseResult {
  const r = results.get(file);
  if (!r) throw new Error(`no result for ${file}`);
  return r;
}

function mismatches(file: string): Mismatch[] {
  const r = result(file);
  if (r.status !== "fail") throw new Error(`${file} is ${r.status}: ${renderCaseDetails(r).join("\n")}`);
  return r.mismatches;
}

function only<K extends Mismatch["kind"]>(file: string, kind: K): Extract<Mismatch, { kind: K }> {
  const found = mismatches(file).filter((m): m is Extract<Mismatch, { kind: K }> => m.kind === kind);
  expect(found, `${kind} in ${file}`).toHaveLength(1);
  return found[0]!;
}

describe("harness", () => {
  it("runs every case file and passes the correct ones", () => {
    expect(results.size).toBe(Object.keys(CASES).length);
    for (const file of ["fetch-ok.test.json", "fetch-error-ok.test.json", "fetch-timeout.test.json", "fetch-used-up-times.test.json", "query-ok.test.json", "remember-ok.test.json", "tick.test.json", "on-done.test.json"]) {
      expect(result(file).status, renderCaseDetails(result(file)).join("\n")).toBe("pass");
    }
  });

  it("fails an unmatched request and shows the closest fixture as a diff", () => {
    const m = only("fetch-unmatched.test.json", "unmatched_request");
    expect(m.request).toBe('GET /items/8?full=1 on "api"');
    // The GET fixture differs only in its path; the POST one in method and path.
    expect(m.closest).toMatchObject({ pointer: "/fixtures/http/1", differences: ["path"], exhausted: false });
    expect(m.closest!.diff).toContain('-   "path": "/items/7"');
    expect(m.closest!.diff).toContain('+   "path": "/items/8"');
    // Positions point at the closest fixture in the case file.
    const text = JSON.stringify(CASES["fetch-unmatched.test.json"], null, 2).split("\n");
    expect(m.line).toBe(text.findLastIndex((l) => l.includes('"alias": "api"')));
    // The handler saw NO_FIXTURE_MATCH, so its output is not what the case expects either.
    expect(only("fetch-unmatched.test.json", "unexpected_error").error.code).toBe("NO_FIXTURE_MATCH");
    // The closest fixture is reported once, not again as unused; the optional one not at all.
    expect(mismatches("fetch-unmatched.test.json").map((x) => x.kind)).toEqual(["unmatched_request", "unexpected_error"]);
    const rendered = renderCaseDetails(result("fetch-unmatched.test.json")).join("\n");
    expect(rendered).toContain("closest fixture /fixtures/http/1 differs in path");
  });

  it("fails an unmatched request even when the handler swallows the error", () => {
    expect(mismatches("fetch-swallowed.test.json").map((m) => m.kind)).toEqual(["unmatched_request"]);
  });

  it("uses a fixture once by default", () => {
    const m = only("fetch-used-up.test.json", "unmatched_request");
    expect(m.closest).toMatchObject({ pointer: "/fixtures/http/0", differences: [], exhausted: true });
    expect(m.message).toContain("used up");
    expect(result("fetch-used-up-times.test.json").status).toBe("pass");
  });

  it("diffs a wrong output, with the line of expect.output in a YAML case", () => {
    const m = only("fetch-wrong-output.test.yaml", "output");
    expect(m.diff).toContain('-   "name": "eight"');
    expect(m.diff).toContain('+   "name": "seven"');
    expect(m).toMatchObject({ pointer: "/expect/output", line: 10 });
  });

  it("fails when an expected error is not raised, or is another one", () => {
    expect(only("fetch-error-expected.test.json", "missing_error").output).toEqual({ name: "seven" });
    expect(only("fetch-error-other.test.json", "error_code")).toMatchObject({ expected: "gone", actual: "not_found" });
    expect(only("fetch-error-other.test.json", "error_message")).toMatchObject({ expected: "vanished", actual: "no item 7" });
  });

  it("fails a fixture that no request used", () => {
    const m = only("fetch-unused.test.json", "fixture_unused");
    expect(m.pointer).toBe("/fixtures/http/1");
    expect(m.message).toContain("GET /items/8");
  });

  it("matches SQL on parameters and replays recorded driver errors", () => {
    expect(only("query-params.test.json", "unmatched_request").closest).toMatchObject({ differences: ["params"] });
    expect(result("query-error.test.json").status, renderCaseDetails(result("query-error.test.json")).join("\n")).toBe("pass");
  });

  it("reports each wrong state, log, event and request count", () => {
    expect(mismatches("remember-wrong.test.json").map((m) => m.kind)).toEqual(["cache", "containers", "logs", "events", "requests"]);
    expect(only("remember-wrong.test.json", "containers").actual).toEqual({ a: { text: "hello" } });
    expect(only("remember-wrong.test.json", "logs").diff).toContain("+ info: remembered a");
    expect(only("remember-wrong.test.json", "requests")).toMatchObject({ expected: 2, actual: 0 });
  });

  it("refuses seeds, topics and handlers that cannot be", () => {
    const seed = result("remember-bad-seed.test.json");
    expect(seed.status === "broken" && seed.problems[0]).toMatchObject({ pointer: "/fixtures/containers/notes/x", message: expect.stringContaining("dataContainerSchemas.notes") });
    const topic = result("on-done-topic.test.json");
    expect(topic.status === "broken" && topic.problems[0]).toMatchObject({ pointer: "/event/topic" });
    const handler = result("unknown-handler.test.json");
    expect(handler.status === "broken" && handler.problems[0]).toMatchObject({ pointer: "/handler", line: 3, message: expect.stringContaining('"nope"') });
  });

  it("reports schema and parse errors with file and line, not a stack", () => {
    const schema = result("bad-schema.test.json");
    expect(schema.status === "broken" && schema.problems).toEqual([{ file: "tests/bad-schema.test.json", pointer: "/fixturez", line: 5, column: 3, message: 'unknown property "fixturez"' }]);
    const yaml = result("bad-yaml.test.yaml");
    expect(yaml.status).toBe("broken");
    const problem = yaml.status === "broken" ? yaml.problems[0]! : null;
    expect(problem).toMatchObject({ file: "tests/bad-yaml.test.yaml", line: 4 });
    expect(problem!.message).toMatch(/^does not parse: /);
    expect(problem!.message).not.toMatch(/\n\s+at /);
  });
});

describe("parseTestCase", () => {
  it("wants exactly one of response and error in an HTTP fixture", () => {
    const fixture = { alias: "a", request: { method: "GET", path: "/" } };
    for (const extra of [{}, { response: { status: 200 }, error: { code: "HTTP_TIMEOUT" } }]) {
      const parsed = parseTestCase("x.test.json", JSON.stringify({ name: "n", handler: "h", fixtures: { http: [{ ...fixture, ...extra }] }, expect: {} }));
      expect(parsed.ok === false && parsed.problems[0]).toMatchObject({ pointer: "/fixtures/http/0", message: expect.stringContaining("either a response or an error") });
    }
  });

  it("rejects a case expecting both an output and an error", () => {
    const parsed = parseTestCase("x.test.json", JSON.stringify({ name: "n", handler: "h", expect: { output: 1, error: { code: "c" } } }));
    expect(parsed.ok === false && parsed.problems[0]).toMatchObject({ pointer: "/expect/error", message: expect.stringContaining("exclude each other") });
  });
});
