/**
 * The handler-code checks (IH100-IH118) through validateRepo on integrations built in a temp dir
 * from the `minimal` fixture: the mistakes they exist for, Lua that is odd but valid (which must
 * give no finding), what the real sandbox says about the names validate judges, and mutated
 * example handlers, which must never crash the analysis.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, invoke } from "@ihub/runtime";
import { validateRepo } from "../validate-repo.js";
import { pathSafe } from "./request-path-check.js";

const FIXTURES = fileURLToPath(new URL("../../../test-fixtures/validate/", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

type Setup = {
  lua: string;
  /** Changes to the `ping` handler's manifest entry and the manifest itself. */
  handler?: Record<string, unknown>;
  manifest?: Record<string, unknown>;
  /** Shared modules: name -> init.lua. */
  modules?: Record<string, string>;
  /** More files under handlers/: name -> text. */
  files?: Record<string, string>;
};

async function findingsFor(setup: Setup): Promise<string[]> {
  const root = await mkdtemp(path.join(tmpdir(), "ihub-handler-code-"));
  temps.push(root);
  const dir = path.join(root, "integrations", "probe");
  await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, "integration.json"), "utf8"));
  manifest.slug = "probe";
  Object.assign(manifest.handlers.ping, setup.handler);
  Object.assign(manifest, setup.manifest);
  for (const [name, init] of Object.entries(setup.modules ?? {})) {
    const mod = path.join(root, "integrations", "_modules", name);
    await mkdir(mod, { recursive: true });
    await writeFile(path.join(mod, "module.json"), JSON.stringify({ name, version: "1.0.0", description: "A module." }));
    await writeFile(path.join(mod, "init.lua"), init);
    manifest.dependencies = { modules: { ...manifest.dependencies?.modules, [name]: "^1.0.0" } };
  }
  await writeFile(path.join(dir, "integration.json"), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(dir, "handlers", "main.lua"), setup.lua);
  for (const [name, text] of Object.entries(setup.files ?? {})) await writeFile(path.join(dir, "handlers", name), text);
  const result = await validateRepo(root, { workers: 0 });
  return result.findings.map((f) => `${f.code} ${f.file?.endsWith(".lua") ? "lua" : "manifest"}:${f.line} ${f.pointer ?? "-"}`);
}

const ping = (body: string) => `local M = {}\n\nfunction M.ping(ctx, input)\n${body}\nend\n\nreturn M\n`;

describe("the contributor's mistakes of the issue", () => {
  it("each gives exactly its finding at its line, with the pointer of the schema property involved", async () => {
    const findings = await findingsFor({
      manifest: { configSchema: { type: "object", properties: { greeting: { type: "string" } }, required: ["greeting"] } },
      handler: { inputSchema: { type: "object", properties: { name: { type: "string" }, title: { type: "string" } }, required: ["name"] } },
      lua: ping(['  pirnt("debug")', "  local who = input.nmae", "  local greeting = ctx.config.greetin", "  return { ok = who ~= greeting }"].join("\n")),
    });
    expect(findings).toEqual([
      "IH110 lua:4 -",
      "IH101 lua:5 /handlers/ping/inputSchema/properties/name",
      "IH105 lua:6 /configSchema/properties/greeting",
      "IH102 manifest:29 /handlers/ping/inputSchema/properties/name",
      "IH102 manifest:32 /handlers/ping/inputSchema/properties/title",
      "IH106 manifest:45 /configSchema/properties/greeting",
    ]);
  });
});

describe("config across files", () => {
  it("is read in any Lua file; with a file that does not parse, no config property is called unread", async () => {
    const manifest = { configSchema: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } } };
    const lua = ping("  return { ok = ctx.config.a ~= nil }");
    expect(await findingsFor({ manifest, lua, files: { "helper.lua": "return { f = function(ctx) return ctx.config.b end }\n" } })).toEqual([]);
    expect(await findingsFor({ manifest, lua })).toEqual(["IH106 manifest:34 /configSchema/properties/b"]);
    expect(await findingsFor({ manifest, lua, files: { "broken.lua": "return {\n" } })).toEqual(["IH030 lua:2 -"]);
  });
});

describe("outputs and records", () => {
  const closed = { type: "object", properties: { id: { type: "string" }, meta: { type: "object", properties: { at: { type: "string" } }, required: ["at"], additionalProperties: false } }, required: ["id"], additionalProperties: false };

  it("checks container records, nested tables included, against the container's schema", async () => {
    const findings = await findingsFor({
      manifest: { dataContainerSchemas: { things: closed }, permissions: { containers: { things: "readwrite" } } },
      lua: ping(['  ctx.integration.containersSet("things", "k", { id = "1", meta = { when = "now" }, extra = 1 })', '  ctx.integration.containersSet("things", "k", { meta = { at = "now" } })', "  return { ok = true }"].join("\n")),
    });
    expect(findings).toEqual([
      "IH109 lua:4 /dataContainerSchemas/things/properties/meta/required/0",
      "IH108 lua:4 /dataContainerSchemas/things/properties/meta/additionalProperties",
      "IH108 lua:4 /dataContainerSchemas/things/additionalProperties",
      "IH109 lua:5 /dataContainerSchemas/things/required/0",
    ]);
  });

  it("checks every returned table, and none whose keys cannot all be named", async () => {
    const findings = await findingsFor({
      handler: { outputSchema: { type: "object", properties: { ok: { type: "boolean" }, n: { type: "integer" } }, required: ["ok", "n"], additionalProperties: false } },
      lua: ping(
        [
          "  if ctx.config.a then return { ok = true } end",
          "  if ctx.config.b then local r = { ok = true }; r.n = 1; return r end",
          "  if ctx.config.c then local r = {}; fill(r); return r end",
          "  if ctx.config.d then return { [ctx.config.d] = 1, ok = true } end",
          "  return make()",
        ].join("\n"),
      ),
    });
    expect(findings.filter((f) => f.startsWith("IH108") || f.startsWith("IH109"))).toEqual(["IH109 lua:4 /handlers/ping/outputSchema/required/1"]);
  });
});

describe("no finding on Lua that is odd but valid", () => {
  const programs: Record<string, string> = {
    "metatables and methods": `
local Point = {}
Point.__index = Point
function Point.new(x) return setmetatable({ x = x }, Point) end
function Point:double() return self.x * 2 end
return { ping = function(ctx, input) return { ok = Point.new(2):double() == 4 } end }`,
    "varargs, select and table.pack": `
local function count(...) local t = table.pack(...) return select("#", ...) + t.n end
return { ping = function(ctx, input) return { ok = count(1, nil, 3) == 6 } end }`,
    "goto continue and numeric for": `
return { ping = function(ctx, input)
  local n = 0
  for i = 1, 5 do
    if i % 2 == 0 then goto continue end
    n = n + i
    ::continue::
  end
  return { ok = n == 9 }
end }`,
    "closures, recursion and string methods": `
local function counter() local i = 0 return function() i = i + 1 return i end end
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
return { ping = function(ctx, input)
  local next_id = counter()
  local s = ("%d"):format(fact(3)):rep(2):upper()
  return { ok = next_id() == 1 and s == "66" }
end }`,
    "coroutines and pcall with a handler": `
return { ping = function(ctx, input)
  local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b end)
  local ok, err = pcall(error, { code = "x" })
  return { ok = co(1) == 2 and not ok and err.code == "x" }
end }`,
    "globals cached in locals, _G.name and a module table with constants": `
local pairs, type = pairs, type
local M = { VERSION = 1 }
function M.ping(ctx, input)
  local n = 0
  for _, v in pairs({ 1, 2 }) do if type(v) == "number" then n = n + v end end
  return { ok = n == 3 and M.VERSION == 1 and _G.tostring(1) == "1" }
end
return M`,
    "a file that rewrites its environment is not judged for globals": `
local _ENV = setmetatable({}, { __index = _G })
helper = function() return true end
return { ping = function(ctx, input) return { ok = helper() } end }`,
    "ctx members, json and log": `
return { ping = function(ctx, input)
  ctx.log.info("x", { run = ctx.run.id, install = ctx.install.slug })
  local t = ctx.json.decode(ctx.json.encode(ctx.json.array({ 1 })))
  return { ok = t[1] == 1 and ctx.json.null ~= nil }
end }`,
  };

  it.each(Object.entries(programs))("%s", async (_, lua) => {
    expect(await findingsFor({ lua })).toEqual([]);
  });

  it("reads input and config the way real handlers do without a finding", async () => {
    const findings = await findingsFor({
      manifest: { configSchema: { type: "object", properties: { region: { type: "string" }, limit: { type: "integer", default: 10 }, flags: { type: "object" } }, required: ["region"] } },
      handler: {
        inputSchema: {
          type: "object",
          properties: {
            id: { type: "string" },
            verbose: { type: "boolean" },
            items: { type: "array", items: { type: "object", properties: { sku: { type: "string" } }, required: ["sku"] } },
            filter: { type: "object", properties: { q: { type: "string" } } },
            extra: { allOf: [{ type: "object" }] },
          },
          required: ["id", "verbose"],
        },
      },
      lua: ping(
        [
          "  local skus = {}",
          "  for _, item in ipairs(input.items or {}) do skus[#skus + 1] = item.sku:upper() end",
          "  local f = input.filter or {}",
          "  local q = f.q and f.q:lower() or ''",
          "  if input.verbose then ctx.log.info('x', { extra = input.extra, flags = ctx.config.flags }) end",
          "  local n = ctx.config.limit * 2",
          "  return { ok = (input.id .. ctx.config.region .. q .. n .. #skus) ~= '' }",
        ].join("\n"),
      ),
    });
    expect(findings).toEqual([]);
  });

  it("a Lua 5.4 attribute (`local x <const>`) is a syntax error of fengari's Lua 5.3, not a crash", async () => {
    expect(await findingsFor({ lua: ping("  local x <const> = 1\n  return { ok = x == 1 }") })).toEqual(["IH030 lua:4 -"]);
  });
});

describe("shared modules", () => {
  it("a module function must exist; a module whose table gets computed keys is not judged", async () => {
    const findings = await findingsFor({
      modules: {
        fixed: "local M = { LIMIT = 3 }\nfunction M.hello() return 'hi' end\nreturn M\n",
        dynamic: "local M = {}\nfor _, k in ipairs({ 'a', 'b' }) do M[k] = function() return k end end\nreturn M\n",
      },
      lua: `local fixed = require("fixed")\nlocal dynamic = require("dynamic")\nrequire("absent")\nreturn { ping = function(ctx, input) return { ok = fixed.helo() ~= fixed.LIMIT and dynamic.c() } end }\n`,
    });
    expect(findings).toEqual(["IH118 lua:3 /dependencies/modules", "IH114 lua:4 /dependencies/modules/fixed"]);
  });
});

describe("validate and the sandbox agree on names", () => {
  const nilInSandbox = async (expression: string): Promise<boolean> => {
    const sources = { "h.lua": `return { h = function(ctx, input) return ${expression} == nil end }` };
    const r = await invoke({ sources, file: "h.lua", fn: "h", input: {}, ctx: { config: {}, install: { id: "i", slug: "s", version: "1.0.0" }, run: { id: "r", handler: "h" } }, limits: DEFAULT_LIMITS, host: { call: async () => null } });
    if (!r.ok) throw new Error(r.error.message);
    return r.output === true;
  };

  it.each(["print", "pirnt", "io", "os", "debug", "package", "dofile", "collectgarbage", "pairs", "require", "load", "utf8", "string.dump", "string.format", "math.floor", "table.unpack"])("global %s", async (name) => {
    const flagged = (await findingsFor({ lua: ping(`  local v = ${name}\n  return { ok = v ~= nil }`) })).some((f) => f.startsWith("IH110"));
    expect(flagged).toBe(await nilInSandbox(name));
  });

  it.each(["device.http", "device.htp", "lgo", "log.inf", "log.warn", "integration.cacheGet", "json.null", "install.id", "install.tenant", "run.handler", "emit", "cache", "graphql"])("ctx.%s", async (member) => {
    const flagged = (await findingsFor({ lua: ping(`  local v = ctx.${member}\n  return { ok = v ~= nil }`) })).some((f) => f.startsWith("IH115"));
    expect(flagged).toBe(await nilInSandbox(`ctx.${member}`));
  });
});

describe("request path safety", () => {
  it("takes a value the schema confines to one path segment as safe", () => {
    for (const s of [{ type: "integer" }, { enum: ["open", "closed"] }, { type: "string", format: "uuid" }, { type: "string", pattern: "^pi_[A-Za-z0-9]+$" }, { type: "string", pattern: "^(SM|MM)[0-9a-f]{32}$" }, { type: "string", pattern: "^\\d+$" }]) {
      expect(pathSafe(s)).toBe(true);
    }
    for (const s of [{ type: "string" }, { enum: ["a/b"] }, { enum: [".."] }, { type: "string", pattern: "^pi_.+$" }, { type: "string", pattern: "pi_[a-z]+" }, { type: "string", pattern: "^[^/]+$" }, { type: "string", pattern: "^[a-z/]+$" }, { type: ["string", "integer"] }]) {
      expect(pathSafe(s)).toBe(false);
    }
  });
});

describe("hostile Lua", () => {
  it("a member chain 20,000 fields long is analysed, not a stack overflow", async () => {
    const lua = ping(`  local v = input${".a".repeat(20_000)}\n  return { ok = v == nil }`);
    expect(await findingsFor({ lua, handler: { inputSchema: { type: "object", properties: { b: { type: "string" } } } } })).toEqual([
      "IH101 lua:4 /handlers/ping/inputSchema/properties",
      "IH102 manifest:29 /handlers/ping/inputSchema/properties/b",
    ]);
  });

  it("a call chain deeper than the parser's stack is a warning that the file could not be analysed, never a crash", async () => {
    expect(await findingsFor({ lua: ping(`  local v = f${"()".repeat(50_000)}\n  return { ok = v }`) })).toEqual(["IH033 lua:1 -"]);
  });
});

describe("mutated example handlers", () => {
  it("never crash the analysis (no IH099), whatever fengari accepts", async () => {
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const sources: string[] = [];
    for (const slug of await readdir(path.join(REPO, "integrations"))) {
      const dir = path.join(REPO, "integrations", slug, slug.startsWith("_") ? "" : "handlers");
      for (const e of await readdir(dir, { recursive: true })) if (String(e).endsWith(".lua")) sources.push(await readFile(path.join(dir, String(e)), "utf8"));
    }
    const tokens = ["local", "function", "end", "return", "(", ")", "{", "}", ".", ":", "..", "input", "ctx", "_G", "_ENV", "self", "...", "=", ",", "nil", "[", "]", "goto x", "::x::", "not", "#"];
    const crashes: string[] = [];
    for (let i = 0; i < 120; i++) {
      const lines = sources[i % sources.length]!.split("\n");
      for (let k = 0; k < 3; k++) {
        const at = Math.floor(random() * lines.length);
        const op = random();
        if (op < 0.3) lines.splice(at, 1);
        else if (op < 0.6) lines.splice(at, 0, lines[Math.floor(random() * lines.length)]!);
        else lines[at] = `${lines[at]} ${tokens[Math.floor(random() * tokens.length)]}`;
      }
      const findings = await findingsFor({ lua: lines.join("\n") });
      if (findings.some((f) => f.startsWith("IH099"))) crashes.push(lines.join("\n"));
    }
    expect(crashes).toEqual([]);
  }, 120_000);
});
