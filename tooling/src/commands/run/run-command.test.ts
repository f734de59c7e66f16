/** The real `ihub run` process: recorded fixtures by default, one case with --case, a loopback server with --live, usage errors. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIhub as ihub } from "../../../test-support/ihub-process.js";
import { parseTestCase, type LoadedCase } from "../../harness/load-test-case.js";
import { recordedFixtures } from "./recorded-fixtures.js";

const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, channel: "C024BE91L", ts: "1.2" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("ihub run", () => {
  it("replays the handler's recorded fixtures with the first succeeding case's input and config", async () => {
    const run = await ihub(["run", "github-issues", "list_issues"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✔ list_issues");
    expect(run.stdout).toContain('"number": 1201');
  });

  it("replays one case with --case and exits 1 on the handler's typed error", async () => {
    const run = await ihub(["run", "github-issues", "create_issue", "--case", "create-issue-disabled.test.json", "--json"]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ format: "ihub.run/v1", ok: false, mode: "fixtures", case: "tests/create-issue-disabled.test.json", error: { code: "gone", kind: "expected" } });
  });

  it("shows the closest fixture when the input leads to an unrecorded request", async () => {
    const run = await ihub(["run", "stripe-payments", "get_payment_intent", "--input", '{"paymentIntentId":"pi_unrecorded"}']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✖ get_payment_intent failed with NO_FIXTURE_MATCH");
    expect(run.stdout).toContain('+   "path": "/v1/payment_intents/pi_unrecorded"');
  });

  it("calls the bound target with --live, injecting the credential and redacting it from the output", async () => {
    const run = await ihub([
      "run", "slack-messages", "send_message", "--live", "--json",
      "--bindings", JSON.stringify({ slack: baseUrl }),
      "--credentials", JSON.stringify({ accessToken: "xoxb:Lovelace@live~9999" }),
      "--input", JSON.stringify({ channel: "C024BE91L", text: "xoxb:Lovelace@live~9999 leaked?" }),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/api/chat.postMessage", auth: "Bearer xoxb:Lovelace@live~9999" });
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: true, mode: "live", output: { channel: "C024BE91L", ts: "1.2" }, requests: [{ status: 200 }] });
    expect(run.stdout).not.toContain("xoxb:Lovelace@live~9999");
  });

  it("exits 2 on usage errors", async () => {
    const cases = [
      ["run", "github-issues", "nope"],
      ["run", "no-such-slug", "x"],
      ["run", "github-issues", "list_issues", "--input", "{not json"],
      ["run", "github-issues", "list_issues", "--bindings", "{}"],
      ["run", "github-issues", "list_issues", "--case", "missing.test.json"],
    ];
    const runs = await Promise.all(cases.map((args) => ihub(args)));
    for (const [i, run] of runs.entries()) {
      expect(run.code, cases[i]!.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^error IH_USAGE /);
    }
  });

  it("refuses --input nested past the readers' limit with a typed error, and never quotes a --credentials value that is not JSON", async () => {
    const deep = await ihub(["run", "github-issues", "list_issues", "--json", "--input", `${"[".repeat(20_000)}${"]".repeat(20_000)}`]);
    expect(deep.code).toBe(2);
    expect(JSON.parse(deep.stdout)).toMatchObject({ ok: false, error: { code: "IH_RUN_NESTING_TOO_DEEP" } });
    const secret = "ghp_Zq81Secret0Lovelace";
    for (const json of [true, false]) {
      const run = await ihub(["run", "github-issues", "list_issues", ...(json ? ["--json"] : []), "--credentials", `{"token": ${secret}}`]);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toContain("line 1, column 11");
      expect(run.stdout + run.stderr).not.toContain(secret.slice(0, 6));
    }
  });
});

describe("recordedFixtures", () => {
  const load = (file: string, body: unknown): LoadedCase => {
    const parsed = parseTestCase(file, JSON.stringify(body));
    if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
    return parsed.loaded;
  };
  const fixture = (path: string, status: number, json?: unknown) => ({ alias: "api", request: { method: "GET", path, ...(json === undefined ? {} : { json }) }, response: { status } });

  it("tries fixtures of succeeding cases first, most specific first, all reusable and optional", () => {
    const cases = [
      load("tests/a-fails.test.json", { name: "a", handler: "h", fixtures: { http: [fixture("/x", 500)] }, expect: { error: { code: "upstream" } } }),
      load("tests/b-ok.test.json", { name: "b", handler: "h", fixtures: { http: [fixture("/x", 200), fixture("/x", 201, { exact: true })] }, expect: {} }),
    ];
    const recorded = recordedFixtures(cases, undefined);
    expect(recorded.http.map((e) => e.pointer)).toEqual(["tests/b-ok.test.json#/fixtures/http/1", "tests/b-ok.test.json#/fixtures/http/0", "tests/a-fails.test.json#/fixtures/http/0"]);
    expect(recorded.http.every((e) => e.fixture.optional === true && e.fixture.times! > 1000)).toBe(true);
    expect(recorded).toMatchObject({ exact: false, base: { file: "tests/b-ok.test.json" } });
    expect(recordedFixtures(cases, "a").base?.file).toBe("tests/a-fails.test.json");
  });
});
