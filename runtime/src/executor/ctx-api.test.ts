/**
 * Every ctx function of the design, through execute(): real fengari, a real HTTP server on
 * 127.0.0.1 behind the live transport, a real SQLite file behind ctx.device.sql, and the memory
 * store on a fake clock. The kit-sink fixture integration declares what the handlers use.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHttpTransport } from "../device/live-http-transport.js";
import { sqliteTransport } from "../device/sqlite-transport.js";
import { fakeClock } from "../storage/fake-clock.js";
import type { Auth } from "../manifest/manifest-schema.js";
import { REDACTED } from "../redact/redactor.js";
import { memoryStorage } from "../storage/memory-storage.js";
import { execute, type ExecuteOptions, type ExecutionResult } from "./execute.js";
import type { LoadedIntegration } from "./load-integration.js";
import { extend, loadKitSink, startTestApi } from "../../test-support/test-integration.js";

// Secrets no run id, date or digest can contain by chance (":", "@", "~" are in none of them), so a
// redaction check cannot fail because the secret happened to turn up inside one.
const TOKEN = "s3cr3t:Lovelace@tok~1843";
const dir = mkdtempSync(path.join(tmpdir(), "ihub-ctx-"));
const dbFile = path.join(dir, "items.db");
let api: Awaited<ReturnType<typeof startTestApi>>;
let kit: LoadedIntegration;
const sql = sqliteTransport({ db: { dialect: "sqlite", database: dbFile } });

beforeAll(async () => {
  api = await startTestApi();
  kit = await loadKitSink();
  const db = new Database(dbFile);
  db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO items (kind) VALUES (?)");
  for (const kind of ["tool", "tool", "toy"]) insert.run(kind);
  db.close();
});
afterAll(async () => {
  sql.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function environment() {
  const clock = fakeClock();
  const storage = memoryStorage(clock);
  const http = liveHttpTransport({ api: { baseUrl: api.url }, ro: { baseUrl: api.url }, ungranted: { baseUrl: api.url } });
  const run = (integration: LoadedIntegration, handler: string, input: unknown, extra: Partial<ExecuteOptions> = {}): Promise<ExecutionResult> =>
    execute({ integration, handler, input, installId: "inst-1", store: storage.forInstall("inst-1"), http, sql, clock, credentials: { token: TOKEN }, ...extra });
  return { clock, storage, run };
}

const output = (r: ExecutionResult) => {
  if (!r.ok) throw new Error(`invocation failed: ${JSON.stringify(r.error)}`);
  return r.output;
};
const requestsTo = (prefix: string) => api.received.filter((r) => r.url.startsWith(prefix));

describe("ctx.device.http", () => {
  it("resolves the alias to its binding, sends method, path and query, and shapes the reply", async () => {
    const { run } = environment();
    const r = await run(kit, "fetch_user", { id: "u-1" });
    expect(output(r)).toEqual({ id: "u-1", name: "Ada" });
    const sent = requestsTo("/users/u-1");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: "GET", url: "/users/u-1?expand=team" });
    expect(r.requests).toEqual([{ kind: "http", alias: "api", method: "GET", path: "/users/u-1", query: { expand: "team" }, status: 200 }]);
  });

  it("gives the handler status, headers, body and parsed json", async () => {
    const { run } = environment();
    const r = await run(kit, "raw_http", { path: "/echo", method: "POST", json: { a: [1, 2] }, headers: { "X-Trace": "t1" }, query: { q: "x y" } });
    const out = output(r) as { status: number; body: string; json: { method: string; url: string; headers: Record<string, string>; body: string }; headers: Record<string, string> };
    expect(out.status).toBe(200);
    expect(out.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(out.body)).toEqual(out.json);
    expect(out.json).toMatchObject({ method: "POST", url: "/echo?q=x+y", body: '{"a":[1,2]}' });
    expect(out.json.headers).toMatchObject({ "x-trace": "t1", "content-type": "application/json" });
  });

  const authCases: [string, Auth, Record<string, unknown>, string, string][] = [
    ["api_key with authHeaderName and authValuePrefix", { type: "api_key", authHeaderName: "X-Api-Key", authValuePrefix: "Key " }, { apiKey: "ak:Lovelace@key~1815" }, "x-api-key", "Key ak:Lovelace@key~1815"],
    [
      "api_key in the field auth.fields marks as a password",
      { type: "api_key", authValuePrefix: "Bearer ", fields: { type: "object", properties: { secretKey: { type: "string", format: "password" } } } },
      { secretKey: "sk_test:Lovelace@1815" },
      "authorization",
      "Bearer sk_test:Lovelace@1815",
    ],
    ["bearer_token", { type: "bearer_token" }, { token: "bt:Lovelace@bearer~1815" }, "authorization", "Bearer bt:Lovelace@bearer~1815"],
    ["basic", { type: "basic" }, { username: "Ada_Lovelace~1815", password: "pw@Analytical~Engine" }, "authorization", `Basic ${Buffer.from("Ada_Lovelace~1815:pw@Analytical~Engine").toString("base64")}`],
    [
      "oauth2 access token",
      { type: "oauth2", oauth2: { authorizationUrl: "https://id.example/authorize", tokenUrl: "https://id.example/token" } },
      { accessToken: "at:oauth@Lovelace~1815", refreshToken: "rt:oauth@Babbage~1791" },
      "authorization",
      "Bearer at:oauth@Lovelace~1815",
    ],
  ];

  it.each(authCases)("injects %s; the handler never sees the secret", async (_name, auth, credentials, header, value) => {
    const { run } = environment();
    const integration = extend(kit, {}, (m) => void (m.auth = auth));
    // The handler tries to set the header itself; the injected credential wins. The echo sends the secret back, and it is redacted from everything the result holds.
    const r = await run(integration, "raw_http", { path: "/echo", headers: { [header]: "forged" } }, { credentials });
    expect(r.ok).toBe(true);
    const sent = api.received.at(-1)!;
    expect(sent.headers[header]).toBe(value);
    const secrets = Object.values(credentials).map(String);
    const everything = JSON.stringify(r);
    for (const s of [...secrets, value]) expect(everything).not.toContain(s);
    expect(everything).toContain(REDACTED);
  });

  it("the credential is nowhere in the handler's reach", async () => {
    const { run } = environment();
    const integration = extend(kit, {
      probe: {
        body: `local seen = {}
          local function walk(t, depth)
            if depth > 4 then return end
            for k, v in pairs(t) do
              if type(v) == "string" and utf8.len(v) then seen[#seen + 1] = v elseif type(v) == "table" then walk(v, depth + 1) end
            end
          end
          walk(ctx, 0)
          walk(_G, 0)
          return seen`,
      },
    });
    const r = await run(integration, "probe", {});
    expect(JSON.stringify(output(r))).not.toContain(TOKEN);
  });

  it("missing credentials fail the device call with a catchable CREDENTIALS_MISSING", async () => {
    const { run } = environment();
    const integration = extend(kit, { try_call: { body: `local ok, e = pcall(ctx.device.http, "api", { path = "/x" }) return e` } });
    const r = await run(integration, "try_call", {}, { credentials: {} });
    expect(output(r)).toEqual({ code: "CREDENTIALS_MISSING", message: "auth.type is bearer_token but the install's credentials have no token" });
  });

  it("a path that leaves the binding is refused before anything is sent", async () => {
    const { run } = environment();
    const before = api.received.length;
    const r = await run(kit, "raw_http", { path: "http://evil.example/x" });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "HTTP_BAD_PATH" } });
    const r2 = await run(kit, "raw_http", { path: "/../../etc/passwd" });
    expect(r2).toMatchObject({ ok: false, error: { kind: "expected", code: "HTTP_BAD_PATH", message: expect.stringContaining("climbs above") } });
    expect(api.received.length).toBe(before);
  });
});

describe("permissions name the manifest field to change", () => {
  const cases: [string, string, unknown[], string, string][] = [
    ["an undeclared alias", "device.http", ["nope", { path: "/" }], "UNDECLARED_ALIAS", "resources.nope"],
    ["a declared alias that is not granted", "device.http", ["ungranted", { path: "/" }], "PERMISSION_DENIED", "permissions.device.ungranted"],
    ["a method the alias is not granted", "device.http", ["ro", { method: "POST", path: "/" }], "PERMISSION_DENIED", "permissions.device.ro.methods"],
    ["sql on an http alias", "device.sql", ["api", "SELECT 1"], "PERMISSION_DENIED", "resources.api.kind"],
    ["an undeclared container", "integration.containersGet", ["nope", "k"], "UNDECLARED_CONTAINER", "dataContainerSchemas.nope"],
    ["writing a read-only container", "integration.containersSet", ["archive", "k", {}], "PERMISSION_DENIED", "permissions.containers.archive"],
    ["a topic that is not granted", "emit", ["user.deleted", {}], "PERMISSION_DENIED", "permissions.events.emit"],
  ];

  it.each(cases)("%s", async (_name, call, args, code, field) => {
    const { run } = environment();
    const r = await run(kit, "ctx_call", { call, args });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code, message: expect.stringContaining(`declare it in integration.json at ${field}`) } });
  });

  it("the cache when permissions.cache is not granted", async () => {
    const { run } = environment();
    const integration = extend(kit, {}, (m) => void (m.permissions.cache = false));
    const r = await run(integration, "ctx_call", { call: "integration.cacheGet", args: ["k"] });
    expect(r).toMatchObject({ ok: false, error: { code: "PERMISSION_DENIED", message: expect.stringContaining("permissions.cache") } });
  });

  it("more device calls than maxCalls grants", async () => {
    const { run } = environment();
    const integration = extend(kit, { flood: { body: `for i = 1, 6 do ctx.device.http("api", { path = "/n" .. i }) end` } });
    const r = await run(integration, "flood", {});
    expect(r).toMatchObject({ ok: false, error: { code: "DEVICE_CALLS_EXCEEDED", message: expect.stringContaining("permissions.device.api.maxCalls") } });
    expect(r.requests).toHaveLength(5);
  });
});

describe("ctx.device.sql", () => {
  it("runs a parameterised query against the bound database and returns rows", async () => {
    const { run } = environment();
    expect(output(await run(kit, "count_items", { kind: "tool" }))).toEqual({ count: 2 });
    const r = await run(kit, "ctx_call", { call: "device.sql", args: ["db", "SELECT kind, count(*) AS n FROM items GROUP BY kind ORDER BY kind"] });
    expect(output(r)).toEqual({ result: [{ kind: "tool", n: 2 }, { kind: "toy", n: 1 }] });
    expect(r.requests).toEqual([{ kind: "sql", alias: "db", query: "SELECT kind, count(*) AS n FROM items GROUP BY kind ORDER BY kind", params: [], rows: 2 }]);
  });

  it("a readOnly grant refuses writing statements, and the data stays as it was", async () => {
    const { run } = environment();
    const r = await run(kit, "ctx_call", { call: "device.sql", args: ["db", "DELETE FROM items", []] });
    expect(r).toMatchObject({ ok: false, error: { code: "SQL_READ_ONLY", message: expect.stringContaining("permissions.device.db.readOnly") } });
    expect(output(await run(kit, "count_items", { kind: "toy" }))).toEqual({ count: 1 });
  });

  it("an SQL error comes back as a catchable SQL_ERROR", async () => {
    const { run } = environment();
    const r = await run(kit, "ctx_call", { call: "device.sql", args: ["db", "SELECT * FROM nowhere"] });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "SQL_ERROR", message: expect.stringContaining("no such table") } });
  });
});

describe("ctx.integration cache", () => {
  it("keeps a value for its TTL in seconds on the install's clock", async () => {
    const { run, clock, storage } = environment();
    for (let i = 0; i < 3; i++) expect((await run(kit, "tick", null)).ok).toBe(true);
    expect(await storage.forInstall("inst-1").cacheEntries()).toEqual({ ticks: 3 });
    clock.advance(299_000);
    await run(kit, "tick", null);
    expect(await storage.forInstall("inst-1").cacheGet("ticks")).toBe(4);
    clock.advance(300_000);
    await run(kit, "tick", null);
    expect(await storage.forInstall("inst-1").cacheGet("ticks")).toBe(1);
  });

  it("a cache hit saves the device call", async () => {
    const { run } = environment();
    await run(kit, "fetch_user", { id: "cached-1" });
    const again = await run(kit, "fetch_user", { id: "cached-1" });
    expect(output(again)).toEqual({ id: "cached-1", name: "Ada", cached: true });
    expect(again.requests).toEqual([]);
    expect(requestsTo("/users/cached-1")).toHaveLength(1);
  });

  it("cacheDelete reports whether the key was there", async () => {
    const { run } = environment();
    await run(kit, "ctx_call", { call: "integration.cacheSet", args: [{ key: "k", value: { v: [1] } }] });
    expect(output(await run(kit, "ctx_call", { call: "integration.cacheGet", args: ["k"] }))).toEqual({ result: { v: [1] } });
    expect(output(await run(kit, "ctx_call", { call: "integration.cacheDelete", args: ["k"] }))).toEqual({ result: true });
    expect(output(await run(kit, "ctx_call", { call: "integration.cacheDelete", args: ["k"] }))).toEqual({ result: false });
  });

  it.each([
    ["a negative ttl", { key: "k", value: 1, ttl: -1 }, /ttl must be a number of seconds/],
    ["a ttl over a year", { key: "k", value: 1, ttl: 400 * 24 * 3600 }, /ttl must be a number of seconds/],
    ["an empty key", { key: "", value: 1 }, /key must be a non-empty string/],
  ])("refuses %s", async (_name, entry, message) => {
    const { run } = environment();
    const r = await run(kit, "ctx_call", { call: "integration.cacheSet", args: [entry] });
    expect(r).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT", message: expect.stringMatching(message) } });
  });
});

describe("ctx.integration containers", () => {
  it("stores records valid under dataContainerSchemas and lists them with prefix, limit and cursor", async () => {
    const { run, storage } = environment();
    for (const key of ["a:1", "a:2", "a:3", "b:1"]) {
      const r = await run(kit, "save_note", { key, text: `note ${key}` });
      expect(output(r)).toEqual({ saved: key });
      expect(r.events).toEqual([{ topic: "note.saved", payload: { key } }]);
    }
    const first = output(await run(kit, "list_notes", { prefix: "a:", limit: 2 })) as { keys: string[]; cursor: string };
    expect(first.keys).toEqual(["a:1", "a:2"]);
    const second = output(await run(kit, "list_notes", { prefix: "a:", limit: 2, cursor: first.cursor }));
    expect(second).toEqual({ keys: ["a:3"] });
    expect((await storage.forInstall("inst-1").containerEntries()).notes).toEqual({
      "a:1": { text: "note a:1" },
      "a:2": { text: "note a:2" },
      "a:3": { text: "note a:3" },
      "b:1": { text: "note b:1" },
    });
  });

  it("refuses a record its schema rejects, naming the schema and the failing pointer, and stores nothing", async () => {
    const { run, storage } = environment();
    const r = await run(kit, "save_note", { key: "long", text: "x".repeat(101) });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "CONTAINER_VALUE_INVALID", message: expect.stringContaining("dataContainerSchemas.notes: /text must NOT have more than 100 characters") } });
    const extra = await run(kit, "ctx_call", { call: "integration.containersSet", args: ["notes", "k", { text: "ok", extra: 1 }] });
    expect(extra).toMatchObject({ ok: false, error: { code: "CONTAINER_VALUE_INVALID", message: expect.stringContaining("must NOT have additional properties (extra)") } });
    expect(await storage.forInstall("inst-1").containerEntries()).toEqual({});
  });

  it("gets and deletes records, and reads a read-only container", async () => {
    const { run } = environment();
    await run(kit, "save_note", { key: "n", text: "t" });
    expect(output(await run(kit, "ctx_call", { call: "integration.containersGet", args: ["notes", "n"] }))).toEqual({ result: { text: "t" } });
    expect(output(await run(kit, "ctx_call", { call: "integration.containersDelete", args: ["notes", "n"] }))).toEqual({ result: true });
    expect(output(await run(kit, "ctx_call", { call: "integration.containersGet", args: ["notes", "n"] }))).toEqual({});
    expect(output(await run(kit, "ctx_call", { call: "integration.containersList", args: ["archive"] }))).toEqual({ result: { items: [] } });
  });

  it("a forged cursor is refused with INVALID_CURSOR", async () => {
    const { run } = environment();
    const r = await run(kit, "list_notes", { prefix: "a:", cursor: "Zm9yZ2Vk" });
    expect(r).toMatchObject({ ok: false, error: { code: "INVALID_CURSOR" } });
  });
});

describe("ctx.config, ctx.install, ctx.run", () => {
  const integration = () =>
    extend(kit, {
      ids: { body: `return { install = ctx.install, run = ctx.run, team = ctx.config.team }` },
      write_config: { body: `ctx.config.team = "other"` },
    });

  it("ctx.install and ctx.run carry the ids of this install and invocation", async () => {
    const { run } = environment();
    const r = await run(integration(), "ids", {}, { runId: "run-42", installId: "install-7", config: { team: "core" } });
    expect(output(r)).toEqual({ install: { id: "install-7", slug: "kit-sink", version: "1.0.0" }, run: { id: "run-42", handler: "ids" }, team: "core" });
    expect(r.runId).toBe("run-42");
  });

  it("a run id is generated when the caller names none", async () => {
    const { run } = environment();
    const r = await run(integration(), "ids", {});
    expect((output(r) as { run: { id: string } }).run.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ctx.config is read-only: writing it is an internal error at the handler's line", async () => {
    const { run } = environment();
    const r = await run(integration(), "write_config", {}, { config: { team: "core" } });
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "handlers/inline_write_config.lua", line: 3, message: expect.stringContaining("ctx.config is read-only") } });
  });

  it("config is checked against configSchema before the handler runs", async () => {
    const { run } = environment();
    const r = await run(integration(), "ids", {}, { config: { team: 5 } });
    expect(r).toMatchObject({ ok: false, error: { kind: "validation", code: "CONFIG_INVALID", issues: [{ pointer: "/team", message: "must be string" }] } });
    expect(r.stats).toBeNull();
  });
});

describe("ctx.log and redaction", () => {
  const integration = () =>
    extend(kit, {
      leak: {
        body: `local s = input.secret
          ctx.log.debug("d")
          ctx.log.info("token is " .. s, { nested = { value = "x" .. s .. "y", [s] = "as a key", list = { s } } })
          ctx.log.warn("percent " .. input.encoded)
          ctx.log.error({ structured = s })
          ctx.emit("note.saved", { token = s })
          if input.fail == "expected" then error({ code = "FAILED", message = "failed with " .. s }) end
          if input.fail == "internal" then error("crashed with " .. s) end
          return { echoed = s }`,
      },
    });

  it("records structured logs at each level with the clock's time", async () => {
    const { run } = environment();
    const r = await run(integration(), "leak", { secret: "harmless", encoded: "plain" });
    expect(r.logs.map((l) => [l.level, l.message])).toEqual([
      ["debug", "d"],
      ["info", "token is harmless"],
      ["warn", "percent plain"],
      ["error", '{"structured":"harmless"}'],
    ]);
    expect(r.logs[1]!.fields).toEqual({ nested: { value: "xharmlessy", harmless: "as a key", list: ["harmless"] } });
    expect(r.logs[0]!.at).toBe("2026-01-01T00:00:00.000Z");
  });

  it.each(["none", "expected", "internal"])("removes every credential value from logs, fields, keys, events, output and errors (failure: %s)", async (fail) => {
    const { run } = environment();
    const r = await run(integration(), "leak", { secret: TOKEN, encoded: encodeURIComponent(`${TOKEN}/x?`), fail });
    const text = JSON.stringify(r);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(encodeURIComponent(TOKEN));
    expect(r.logs[1]).toMatchObject({ message: `token is ${REDACTED}`, fields: { nested: { value: `x${REDACTED}y`, [REDACTED]: "as a key", list: [REDACTED] } } });
    expect(r.events).toEqual([{ topic: "note.saved", payload: { token: REDACTED } }]);
    if (fail === "none") expect(r).toMatchObject({ ok: true, output: { echoed: REDACTED } });
    if (fail === "expected") expect(r).toMatchObject({ ok: false, error: { kind: "expected", message: `failed with ${REDACTED}` } });
    if (fail === "internal") expect(r).toMatchObject({ ok: false, error: { kind: "internal", message: expect.stringContaining(`crashed with ${REDACTED}`) } });
  });

  it("redacts the derived basic-auth header value too", async () => {
    const { run } = environment();
    const integration = extend(kit, { leak_header: { body: `local r = ctx.device.http("api", { path = "/echo" }) ctx.log.info(r.json.headers.authorization) return r.json.headers` } }, (m) => {
      m.auth = { type: "basic" };
    });
    const r = await run(integration, "leak_header", {}, { credentials: { username: "Ada_Lovelace~1815", password: "pw@Analytical~Engine" } });
    // The whole header value is a secret of its own, so nothing of it is left.
    expect(r.logs[0]!.message).toBe(REDACTED);
    expect(JSON.stringify(r)).not.toContain(Buffer.from("Ada_Lovelace~1815:pw@Analytical~Engine").toString("base64"));
  });
});

describe("ctx.json and ctx.emit", () => {
  it("ctx.json encodes and decodes", async () => {
    const { run } = environment();
    const integration = extend(kit, { codec: { body: `local v = ctx.json.decode(input.text) v.added = true return { text = ctx.json.encode({ n = v.n }), v = v }` } });
    expect(output(await run(integration, "codec", { text: '{"n":1,"list":[]}' }))).toEqual({ text: '{"n":1}', v: { n: 1, list: [], added: true } });
  });

  it("emits granted topics with their payloads", async () => {
    const { run } = environment();
    const r = await run(kit, "ctx_call", { call: "emit", args: ["note.saved", { key: "k", list: [1] }] });
    expect(r.events).toEqual([{ topic: "note.saved", payload: { key: "k", list: [1] } }]);
  });
});

describe("schemas around the call", () => {
  it("input is checked before the call: nothing runs, nothing is sent", async () => {
    const { run } = environment();
    const before = api.received.length;
    const r = await run(kit, "fetch_user", { id: 5 });
    expect(r).toMatchObject({ ok: false, error: { kind: "validation", code: "INPUT_INVALID", issues: [{ pointer: "/id", message: "must be string" }] } });
    expect(r.stats).toBeNull();
    expect(api.received.length).toBe(before);
  });

  it.each([
    ["references another document", { $ref: "https://example.com/other.json" }, /cannot be compiled: can't resolve reference/],
    ["loops through its references as ajv compiles them", { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, properties: { x: { $ref: "#/$defs/a" } } }, /cannot be compiled: Maximum call stack/],
    ["loops through its references as a value is checked", { allOf: [{ $ref: "#" }] }, /loop without end/],
  ])("an inputSchema that %s fails as a typed SCHEMA_INVALID, before anything runs", async (_, inputSchema, message) => {
    const { run } = environment();
    const integration = extend(kit, { broken_schema: { body: "return {}", inputSchema } });
    await expect(run(integration, "broken_schema", { x: 1 })).rejects.toMatchObject({ name: "ExecutorError", code: "SCHEMA_INVALID", message: expect.stringMatching(message), hint: expect.stringContaining("ihub validate") });
  });

  it("rpc output is checked after the call", async () => {
    const { run } = environment();
    const r = await run(kit, "bad_output", {});
    expect(r).toMatchObject({ ok: false, error: { kind: "validation", code: "OUTPUT_INVALID", message: expect.stringContaining("must have required property 'id'") } });
  });

  it("an expected error skips output validation", async () => {
    const { run } = environment();
    const r = await run(kit, "fetch_user", { id: "404" });
    expect(r).toMatchObject({ ok: false, error: { kind: "expected", code: "NOT_FOUND", message: "no user 404" } });
  });

  it("an unknown handler is a thrown HANDLER_NOT_FOUND with the handlers listed", async () => {
    const { run } = environment();
    await expect(run(kit, "nope", {})).rejects.toMatchObject({ code: "HANDLER_NOT_FOUND", hint: expect.stringContaining("fetch_user") });
  });
});
