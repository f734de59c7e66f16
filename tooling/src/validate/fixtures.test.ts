/**
 * One bad integration per finding code. Committed fixtures live in tooling/test-fixtures/validate/;
 * the ones git cannot carry or that would harm a checkout (symlinks out of the tree, binary Lua,
 * a 50 MB manifest, an empty folder, case-variant folders) are built here in a temp dir from the
 * committed `minimal` fixture.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../findings/finding.js";
import { FINDING_CODES, type FindingCode } from "./codes.js";
import { validateRepo } from "./validate-repo.js";
import { runScope, validateIntegration } from "./validate-integration.js";

const FIXTURES = fileURLToPath(new URL("../../test-fixtures/validate/", import.meta.url));
const covered = new Set<string>();

type Expected = { code: FindingCode; file: string; pointer: string | null; line: number | null };
const pick = (f: Finding) => ({ code: f.code, file: f.file, pointer: f.pointer, line: f.line });

async function findingsOf(root: string): Promise<ReturnType<typeof pick>[]> {
  const result = await validateRepo(root);
  const picked = result.findings.map(pick);
  for (const f of picked) covered.add(f.code);
  return picked;
}

const committed: Record<string, Expected[]> = {
  good: [],
  minimal: [],
  "ih001-manifest-missing": [{ code: "IH001", file: "integrations/ih001-manifest-missing/integration.json", pointer: null, line: null }],
  "ih003-not-json": [{ code: "IH003", file: "integrations/ih003-not-json/integration.json", pointer: null, line: 7 }],
  "ih010-schema": [{ code: "IH010", file: "integrations/ih010-schema/integration.json", pointer: "/trustTier", line: 8 }],
  "ih011-slug-mismatch": [{ code: "IH011", file: "integrations/ih011-slug-mismatch/integration.json", pointer: "/slug", line: 3 }],
  "ih012-folder-name": [
    { code: "IH012", file: "integrations/Bad_Folder", pointer: null, line: null },
    { code: "IH010", file: "integrations/Bad_Folder/integration.json", pointer: "/slug", line: 3 },
  ],
  "ih014-handler-name": [{ code: "IH014", file: "integrations/ih014-handler-name/integration.json", pointer: "/handlers/Ping", line: 20 }],
  "ih015-publisher-placeholder": [{ code: "IH015", file: "integrations/ih015-publisher-placeholder/integration.json", pointer: "/publisher", line: 7 }],
  "ih016-description-placeholder": [{ code: "IH016", file: "integrations/ih016-description-placeholder/integration.json", pointer: "/handlers/ping/description", line: 25 }],
  "ih020-file-missing": [{ code: "IH020", file: "integrations/ih020-file-missing/integration.json", pointer: "/handlers/ping/file", line: 22 }],
  "ih030-lua-syntax": [{ code: "IH030", file: "integrations/ih030-lua-syntax/handlers/main.lua", pointer: null, line: 3 }],
  "ih032-function-missing": [{ code: "IH032", file: "integrations/ih032-function-missing/integration.json", pointer: "/handlers/ping/function", line: 23 }],
  "ih033-table-unknown": [{ code: "IH033", file: "integrations/ih033-table-unknown/handlers/main.lua", pointer: null, line: 5 }],
  "ih034-alias-undeclared": [{ code: "IH034", file: "integrations/ih034-alias-undeclared/handlers/main.lua", pointer: null, line: 3 }],
  "ih035-alias-kind": [{ code: "IH035", file: "integrations/ih035-alias-kind/handlers/main.lua", pointer: null, line: 3 }],
  "ih036-alias-not-literal": [{ code: "IH036", file: "integrations/ih036-alias-not-literal/handlers/main.lua", pointer: null, line: 5 }],
  "ih037-not-permitted": [{ code: "IH037", file: "integrations/ih037-not-permitted/handlers/main.lua", pointer: null, line: 3 }],
  "ih038-container-undeclared": [{ code: "IH038", file: "integrations/ih038-container-undeclared/handlers/main.lua", pointer: null, line: 4 }],
  "ih039-permission-undeclared": [{ code: "IH039", file: "integrations/ih039-permission-undeclared/integration.json", pointer: "/permissions/device/ghost", line: 20 }],
  "ih040-embedded-schema": [
    { code: "IH040", file: "integrations/ih040-embedded-schema/integration.json", pointer: "/configSchema/properties/region/type", line: 32 },
  ],
  "ih047-unknown-keyword": [
    { code: "IH047", file: "integrations/ih047-unknown-keyword/integration.json", pointer: "/configSchema/properties/region/minLenght", line: 36 },
  ],
  "ih048-unknown-format": [{ code: "IH048", file: "integrations/ih048-unknown-format/integration.json", pointer: "/configSchema/properties/region/format", line: 33 }],
  "ih049-remote-ref": [{ code: "IH049", file: "integrations/ih049-remote-ref/integration.json", pointer: "/configSchema/properties/region/$ref", line: 32 }],
  "ih041-oauth2": [{ code: "IH041", file: "integrations/ih041-oauth2/integration.json", pointer: "/auth/type", line: 16 }],
  "ih042-schedule": [{ code: "IH042", file: "integrations/ih042-schedule/integration.json", pointer: "/handlers/ping/schedule", line: 26 }],
  "ih043-event-topic": [{ code: "IH043", file: "integrations/ih043-event-topic/integration.json", pointer: "/handlers/ping", line: 20 }],
  "ih044-field-for-type": [{ code: "IH044", file: "integrations/ih044-field-for-type/integration.json", pointer: "/handlers/ping/event", line: 26 }],
  // Names a built-in provider instead of endpoints, so IH041 does not apply; the handler it names is missing.
  "ih045-connected-account": [{ code: "IH045", file: "integrations/ih045-connected-account/integration.json", pointer: "/connectedAccount/handler", line: 23 }],
  "ih046-provider": [{ code: "IH046", file: "integrations/ih046-provider/integration.json", pointer: "/auth/provider", line: 17 }],
  "ih050-icon-format": [{ code: "IH050", file: "integrations/ih050-icon-format/integration.json", pointer: "/icon", line: 13 }],
  "ih051-png-size": [{ code: "IH051", file: "integrations/ih051-png-size/integration.json", pointer: "/icon", line: 13 }],
  "ih052-svg-parse": [{ code: "IH052", file: "integrations/ih052-svg-parse/icon.svg", pointer: null, line: 3 }],
  "ih053-svg-square": [{ code: "IH053", file: "integrations/ih053-svg-square/icon.svg", pointer: null, line: null }],
  "ih060-openapi-invalid": [{ code: "IH060", file: "integrations/ih060-openapi-invalid/openapi.yaml", pointer: "", line: 1 }],
  "ih061-operation-missing": [{ code: "IH061", file: "integrations/ih061-operation-missing/handlers/main.lua", pointer: null, line: 4 }],
  "ih070-readme-missing": [{ code: "IH070", file: "integrations/ih070-readme-missing/README.md", pointer: null, line: null }],
  "ih071-changelog-missing": [{ code: "IH071", file: "integrations/ih071-changelog-missing/CHANGELOG.md", pointer: null, line: null }],
  "ih072-changelog-entry": [{ code: "IH072", file: "integrations/ih072-changelog-entry/CHANGELOG.md", pointer: null, line: 3 }],
  "ih073-readme-placeholder": [{ code: "IH073", file: "integrations/ih073-readme-placeholder/README.md", pointer: null, line: 3 }],
  "ih080-no-test-case": [{ code: "IH080", file: "integrations/ih080-no-test-case/integration.json", pointer: "/handlers/ping", line: 20 }],
  "ih081-test-case-invalid": [
    { code: "IH081", file: "integrations/ih081-test-case-invalid/tests/pong.test.yaml", pointer: "/expect", line: 1 },
    { code: "IH081", file: "integrations/ih081-test-case-invalid/tests/pong.test.yaml", pointer: "/expext", line: 5 },
  ],
  "ih082-test-case-handler": [{ code: "IH082", file: "integrations/ih082-test-case-handler/tests/pong.test.json", pointer: "/handler", line: 3 }],
  "ih090-module-missing": [{ code: "IH090", file: "integrations/ih090-module-missing/integration.json", pointer: "/dependencies/modules/missing-mod", line: 30 }],
  "ih091-module-version": [{ code: "IH091", file: "integrations/ih091-module-version/integration.json", pointer: "/dependencies/modules/old-mod", line: 30 }],
  "ih100-input-undeclared-closed": [{ code: "IH100", file: "integrations/ih100-input-undeclared-closed/handlers/main.lua", pointer: "/handlers/ping/inputSchema/properties/name", line: 4 }],
  "ih101-input-undeclared": [{ code: "IH101", file: "integrations/ih101-input-undeclared/handlers/main.lua", pointer: "/handlers/ping/inputSchema/properties/name", line: 4 }],
  "ih102-input-never-read": [{ code: "IH102", file: "integrations/ih102-input-never-read/integration.json", pointer: "/handlers/ping/inputSchema/properties/nickname", line: 32 }],
  "ih103-input-nil-test": [{ code: "IH103", file: "integrations/ih103-input-nil-test/handlers/main.lua", pointer: "/handlers/ping/inputSchema/properties/name", line: 3 }],
  "ih104-config-undeclared-closed": [{ code: "IH104", file: "integrations/ih104-config-undeclared-closed/handlers/main.lua", pointer: "/configSchema/properties/greeting", line: 4 }],
  "ih105-config-undeclared": [{ code: "IH105", file: "integrations/ih105-config-undeclared/handlers/main.lua", pointer: "/configSchema/properties/greeting", line: 4 }],
  "ih106-config-never-read": [{ code: "IH106", file: "integrations/ih106-config-never-read/integration.json", pointer: "/configSchema/properties/signature", line: 34 }],
  "ih107-config-nil-test": [{ code: "IH107", file: "integrations/ih107-config-nil-test/handlers/main.lua", pointer: "/configSchema/properties/signature", line: 3 }],
  "ih108-table-key": [{ code: "IH108", file: "integrations/ih108-table-key/handlers/main.lua", pointer: "/handlers/ping/outputSchema/properties/ok", line: 3 }],
  "ih109-required-key": [{ code: "IH109", file: "integrations/ih109-required-key/handlers/main.lua", pointer: "/handlers/ping/outputSchema/required/1", line: 3 }],
  "ih110-undefined-global": [{ code: "IH110", file: "integrations/ih110-undefined-global/handlers/main.lua", pointer: null, line: 3 }],
  "ih111-new-global": [{ code: "IH111", file: "integrations/ih111-new-global/handlers/main.lua", pointer: null, line: 3 }],
  "ih112-unused-local": [{ code: "IH112", file: "integrations/ih112-unused-local/handlers/main.lua", pointer: null, line: 3 }],
  "ih113-shadowed-global": [{ code: "IH113", file: "integrations/ih113-shadowed-global/handlers/main.lua", pointer: null, line: 3 }],
  "ih114-module-export": [{ code: "IH114", file: "integrations/ih114-module-export/handlers/main.lua", pointer: "/dependencies/modules/greetings", line: 5 }],
  "ih115-ctx-member": [{ code: "IH115", file: "integrations/ih115-ctx-member/handlers/main.lua", pointer: null, line: 3 }],
  "ih116-input-in-path": [{ code: "IH116", file: "integrations/ih116-input-in-path/handlers/main.lua", pointer: "/handlers/ping/inputSchema/properties/id", line: 3 }],
  "ih117-unnamed-function": [{ code: "IH117", file: "integrations/ih117-unnamed-function/handlers/main.lua", pointer: "/handlers", line: 5 }],
  "ih118-module-undeclared": [{ code: "IH118", file: "integrations/ih118-module-undeclared/handlers/main.lua", pointer: "/dependencies/modules", line: 1 }],
};

describe("committed fixtures", () => {
  it.each(Object.entries(committed))("%s", async (name, expected) => {
    expect(await findingsOf(path.join(FIXTURES, name))).toEqual(expected);
  });
});

/** A 512x512-or-other PNG with a valid header and pixel data, built in memory. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

describe("fixtures built at test time", () => {
  const temps: string[] = [];
  afterAll(async () => {
    await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
  });

  /** A repo holding the `minimal` fixture as integrations/<slug>/ (slug rewritten), plus a folder outside it. */
  async function repoWith(slug: string): Promise<{ root: string; dir: string; outside: string }> {
    const base = await mkdtemp(path.join(tmpdir(), "ihub-validate-"));
    temps.push(base);
    const root = path.join(base, "repo");
    const dir = path.join(root, "integrations", slug);
    await cp(path.join(FIXTURES, "minimal", "integrations", "minimal"), dir, { recursive: true });
    const manifest = path.join(dir, "integration.json");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace('"slug": "minimal"', `"slug": "${slug}"`));
    const outside = path.join(base, "outside");
    await mkdir(outside);
    return { root, dir, outside };
  }

  it("IH081: the harness's checks beyond the schema (one outcome per case and per fixture, a real clock, no input beside an event)", async () => {
    const { root, dir } = await repoWith("cases");
    const file = "integrations/cases/tests/ping.test.yaml";
    await rm(path.join(dir, "tests", "ping.test.json"));
    await writeFile(
      path.join(root, file),
      [
        "name: breaks every rule the schema cannot express",
        "handler: ping",
        "clock: not a time",
        "input: { id: 1 }",
        "event: { topic: tick, payload: {} }",
        "fixtures:",
        "  http:",
        "    - alias: api",
        "      request: { method: GET, path: /ping }",
        "expect:",
        "  output: { ok: true }",
        "  error: { code: boom }",
        "",
      ].join("\n"),
    );
    expect(await findingsOf(root)).toEqual([
      { code: "IH080", file: "integrations/cases/integration.json", pointer: "/handlers/ping", line: 20 },
      { code: "IH081", file, pointer: "/clock", line: 3 },
      { code: "IH081", file, pointer: "/input", line: 4 },
      { code: "IH081", file, pointer: "/fixtures/http/0", line: 8 },
      { code: "IH081", file, pointer: "/expect/error", line: 12 },
    ]);
  });

  it("IH002: a 50 MB manifest is refused by size before it is read", async () => {
    const { root, dir } = await repoWith("huge");
    await writeFile(path.join(dir, "integration.json"), `{"slug": "huge", "pad": "${"x".repeat(50 * 1024 * 1024)}"}`);
    expect(await findingsOf(root)).toEqual([{ code: "IH002", file: "integrations/huge/integration.json", pointer: null, line: null }]);
  });

  it("IH004: a handler path that is a directory is unreadable, not a crash", async () => {
    const { root, dir } = await repoWith("dir-handler");
    await rm(path.join(dir, "handlers", "main.lua"));
    await mkdir(path.join(dir, "handlers", "main.lua"));
    expect(await findingsOf(root)).toEqual([{ code: "IH004", file: "integrations/dir-handler/integration.json", pointer: "/handlers/ping/file", line: 22 }]);
  });

  it("IH021: a handler symlinked to a file outside the folder", async () => {
    const { root, dir, outside } = await repoWith("link-out");
    await writeFile(path.join(outside, "main.lua"), "return { ping = function(ctx) return {} end }\n");
    await rm(path.join(dir, "handlers", "main.lua"));
    await symlink(path.join(outside, "main.lua"), path.join(dir, "handlers", "main.lua"));
    expect(await findingsOf(root)).toEqual([{ code: "IH021", file: "integrations/link-out/integration.json", pointer: "/handlers/ping/file", line: 22 }]);
  });

  it("IH021: an integration folder that is a symlink out of the repository", async () => {
    const { root, dir, outside } = await repoWith("inside");
    await cp(dir, path.join(outside, "elsewhere"), { recursive: true });
    await symlink(path.join(outside, "elsewhere"), path.join(root, "integrations", "escaped"));
    expect(await findingsOf(root)).toEqual([{ code: "IH021", file: "integrations/escaped", pointer: null, line: null }]);
  });

  it("IH020: a dangling symlink is a missing file", async () => {
    const { root, dir } = await repoWith("dangling");
    await rm(path.join(dir, "icon.svg"));
    await symlink(path.join(dir, "nowhere.svg"), path.join(dir, "icon.svg"));
    expect(await findingsOf(root)).toEqual([{ code: "IH020", file: "integrations/dangling/integration.json", pointer: "/icon", line: 13 }]);
  });

  it("IH022: an empty integration folder", async () => {
    const { root } = await repoWith("present");
    await mkdir(path.join(root, "integrations", "empty-one"));
    expect(await findingsOf(root)).toEqual([{ code: "IH022", file: "integrations/empty-one", pointer: null, line: null }]);
  });

  it("IH031: NUL bytes in a Lua file, with the line they are on", async () => {
    const { root, dir } = await repoWith("binary-lua");
    await writeFile(path.join(dir, "handlers", "main.lua"), Buffer.concat([Buffer.from("return {\n  ping = function(ctx)\n"), Buffer.from([0, 1, 2, 0xff]), Buffer.from("\n}\n")]));
    expect(await findingsOf(root)).toEqual([{ code: "IH031", file: "integrations/binary-lua/handlers/main.lua", pointer: null, line: 3 }]);
  });

  it("IH031: a precompiled Lua chunk", async () => {
    const { root, dir } = await repoWith("bytecode");
    await writeFile(path.join(dir, "handlers", "main.lua"), Buffer.from("\x1bLuaS\x00\x19\x93\r\n", "latin1"));
    expect(await findingsOf(root)).toEqual([{ code: "IH031", file: "integrations/bytecode/handlers/main.lua", pointer: null, line: 1 }]);
  });

  it("IH010: a manifest that is JSON but not an object is a schema finding at the root", async () => {
    const { root, dir } = await repoWith("array-manifest");
    await writeFile(path.join(dir, "integration.json"), "[]\n");
    expect(await findingsOf(root)).toEqual([{ code: "IH010", file: "integrations/array-manifest/integration.json", pointer: "", line: 1 }]);
  });

  it("a manifest saved with a UTF-8 byte order mark is read like one without", async () => {
    const { root, dir } = await repoWith("with-bom");
    const manifest = path.join(dir, "integration.json");
    await writeFile(manifest, "\ufeff" + (await readFile(manifest, "utf8")));
    expect(await findingsOf(root)).toEqual([]);
  });

  it("IH030: nesting deep enough to exhaust a recursive parser is a syntax finding, not a crash", async () => {
    const { root, dir } = await repoWith("deep-lua");
    await writeFile(path.join(dir, "handlers", "main.lua"), `return { ping = function(ctx) return ${"(".repeat(5000)}1${")".repeat(5000)} end }\n`);
    expect(await findingsOf(root)).toEqual([{ code: "IH030", file: "integrations/deep-lua/handlers/main.lua", pointer: null, line: 1 }]);
  });

  /** The manifest of `dir` with `extra` (JSON members) inserted after its slug. */
  async function extendManifest(dir: string, extra: string): Promise<void> {
    const manifest = path.join(dir, "integration.json");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace(/("slug": "[^"]+",)/, `$1\n  ${extra},`));
  }
  const nested = (depth: number, leaf = "1") => `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`;
  const zeros = (n: number) => "/0".repeat(n);

  it("IH005: a manifest nested 5,000 deep (past jsonc-parser's stack) is a finding at the line and pointer of level 101", async () => {
    const { root, dir } = await repoWith("deep-manifest");
    await extendManifest(dir, `"configSchema": { "type": "object", "default": ${nested(5000)} }`);
    expect(await findingsOf(root)).toEqual([{ code: "IH005", file: "integrations/deep-manifest/integration.json", pointer: `/configSchema/default${zeros(98)}`, line: 4 }]);
  });

  it("IH005: an embedded schema nested 700 schema levels deep (past ajv's stack) is refused before ajv sees it", async () => {
    const { root, dir } = await repoWith("deep-schema");
    let schema = '{ "type": "string" }';
    for (let i = 0; i < 700; i++) schema = `{ "type": "object", "properties": { "a": ${schema} } }`;
    await extendManifest(dir, `"configSchema": ${schema}`);
    const [finding] = await findingsOf(root);
    expect(finding).toMatchObject({ code: "IH005", file: "integrations/deep-schema/integration.json", line: 4 });
    expect(finding!.pointer).toMatch(/^\/configSchema(\/properties\/a)+\/properties$/);
  });

  it("IH005: test cases nested too deep, in JSON brackets and in YAML block indentation", async () => {
    const { root, dir } = await repoWith("deep-cases");
    await writeFile(path.join(dir, "tests", "ping.test.json"), `{\n  "handler": "ping",\n  "input": ${nested(5000, "{}")},\n  "expect": { "output": { "ok": true } }\n}\n`);
    const block = Array.from({ length: 150 }, (_, i) => `${" ".repeat(2 + i)}k:`).join("\n");
    await writeFile(path.join(dir, "tests", "block.test.yaml"), `handler: ping\ninput:\n${block} 1\nexpect: { output: { ok: true } }\n`);
    expect(await findingsOf(root)).toEqual([
      { code: "IH080", file: "integrations/deep-cases/integration.json", pointer: "/handlers/ping", line: 20 },
      { code: "IH005", file: "integrations/deep-cases/tests/block.test.yaml", pointer: `/input${"/k".repeat(99)}`, line: 101 },
      { code: "IH005", file: "integrations/deep-cases/tests/ping.test.json", pointer: `/input${zeros(99)}`, line: 3 },
    ]);
  });

  it("IH005: a shared module's module.json nested too deep is reported at that file", async () => {
    const { root, dir } = await repoWith("deep-module");
    const modDir = path.join(root, "integrations", "_modules", "deep-mod");
    await mkdir(modDir, { recursive: true });
    await writeFile(path.join(modDir, "module.json"), `{ "name": "deep-mod", "version": "1.0.0", "description": "d", "x": ${nested(5000)} }`);
    await writeFile(path.join(modDir, "init.lua"), "return {}\n");
    await extendManifest(dir, `"dependencies": { "modules": { "deep-mod": "^1.0.0" } }`);
    expect(await findingsOf(root)).toEqual([{ code: "IH005", file: "integrations/_modules/deep-mod/module.json", pointer: `/x${zeros(99)}`, line: 1 }]);
  });

  it("IH005: an OpenAPI document nested too deep, JSON or YAML flow (past the YAML parser's memory), is a finding, not a crash", async () => {
    const { root, dir } = await repoWith("deep-openapi");
    await writeFile(path.join(dir, "openapi.yaml"), `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\nx-deep: ${nested(5000)}\n`);
    await extendManifest(dir, `"resources": { "api": { "kind": "http", "description": "An API.", "openapi": "openapi.yaml" } }`);
    expect(await findingsOf(root)).toEqual([{ code: "IH005", file: "integrations/deep-openapi/openapi.yaml", pointer: null, line: 4 }]);
  });

  it("IH099: a check that throws is an internal-error finding of that integration only, after what was found before", async () => {
    const { root, dir } = await repoWith("crashing");
    await writeFile(path.join(dir, "integration.json"), (await readFile(path.join(dir, "integration.json"), "utf8")).replace('"slug": "crashing"', '"slug": "other-name"'));
    const scope = runScope(root, root);
    const crashing = { ...scope, once: () => Promise.reject(new RangeError("Maximum call stack size exceeded")) };
    const result = await validateIntegration({ slug: "crashing", dir, relDir: "integrations/crashing" }, crashing);
    expect(result.findings.map(pick)).toEqual([
      { code: "IH011", file: "integrations/crashing/integration.json", pointer: "/slug", line: 3 },
      { code: "IH099", file: "integrations/crashing", pointer: null, line: null },
    ]);
    expect(result.findings[1]!.message).toContain("RangeError: Maximum call stack size exceeded");
    covered.add("IH099");
  });

  it("IH013: folders that differ only in case", async () => {
    const { root, dir } = await repoWith("dup");
    await cp(dir, path.join(root, "integrations", "DUP"), { recursive: true });
    // DUP: bad folder name, case twin of dup, declares "dup" (which dup also declares); dup: the two twins seen from its side.
    expect(await findingsOf(root)).toEqual([
      { code: "IH012", file: "integrations/DUP", pointer: null, line: null },
      { code: "IH013", file: "integrations/DUP", pointer: null, line: null },
      { code: "IH013", file: "integrations/DUP", pointer: null, line: null },
      { code: "IH011", file: "integrations/DUP/integration.json", pointer: "/slug", line: 3 },
      { code: "IH013", file: "integrations/dup", pointer: null, line: null },
      { code: "IH013", file: "integrations/dup", pointer: null, line: null },
    ]);
  });

  it("a 512x512 PNG icon passes", async () => {
    const { root, dir } = await repoWith("png-icon");
    await writeFile(path.join(dir, "icon.png"), png(512, 512));
    const manifest = path.join(dir, "integration.json");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace('"icon.svg"', '"icon.png"'));
    expect(await findingsOf(root)).toEqual([]);
  });
});

describe("coverage", () => {
  it("every finding code in the registry is produced by some fixture above", () => {
    expect(Object.keys(FINDING_CODES).filter((code) => !covered.has(code))).toEqual([]);
  });
});
