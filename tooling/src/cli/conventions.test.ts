/**
 * The conventions every verb of the real `ihub` process follows: exit codes (0 ok, 1 findings,
 * 2 usage, 3 internal), one error document under --json, a `format` in every --json document,
 * one `--base` default, a busy port as a typed error, each default shown once in --help.
 */
import fs from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BASE_REFS } from "../git/default-base.js";
import { commitAll, tempDirs } from "../../test-support/temp-repo.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { commandNames, commands, ERROR_JSON_FORMAT, type CommandName } from "./commands.js";
import { runIhub } from "../../test-support/ihub-process.js";

const temps = tempDirs("ihub-conventions-");
afterAll(() => temps.cleanup());

/** A git repository of one sample integration, on branch `branch`. */
async function sampleRepo(branch: string): Promise<string> {
  const root = await temps.make();
  await writeSampleIntegration(root, { kind: "ping", slug: "plain" });
  await git.init({ fs, dir: root, defaultBranch: branch });
  await commitAll(root, "base");
  return root;
}

/** Node code run before ihub starts (`--import`): the faults a test injects. */
const inject = (code: string) => ["--import", `data:text/javascript,${encodeURIComponent(code)}`];

const stackTrace = /^\s+at /m;

let repo: string;
beforeAll(async () => {
  repo = await sampleRepo("main");
});

describe("usage errors", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown option", ["validate", "--bogus"], /unknown option '--bogus'/],
    ["a missing argument", ["run", "plain"], /missing required argument 'handler'/],
    ["an unknown verb", ["bogus"], /unknown command 'bogus'/],
  ];

  it.each(cases)("%s exits 2 with the error document under --json, and a line and a hint without", async (_what, args, message) => {
    const json = await runIhub([...args, "--json"], { cwd: repo });
    expect(json.code).toBe(2);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toEqual({ format: ERROR_JSON_FORMAT, ok: false, error: { code: "IH_USAGE", message: expect.stringMatching(message), hint: expect.stringMatching(/--help/) } });

    const human = await runIhub(args, { cwd: repo });
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(message);
    expect(human.stderr).toMatch(/^error IH_USAGE .*\n {2}hint .*--help/m);
  });

  it("is the same document as a usage error a verb raises itself", async () => {
    const run = await runIhub(["validate", "--base", "main", "--json"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ format: ERROR_JSON_FORMAT, ok: false, error: { code: "IH_USAGE", message: "--base only applies with --changed", hint: expect.any(String) } });
  });
});

describe("crashes", () => {
  const failingReaddir = `import fs from "node:fs/promises"; import { syncBuiltinESMExports } from "node:module";
    fs.readdir = async () => { throw new Error("injected disk failure"); }; syncBuiltinESMExports();`;

  it("an unexpected error in a verb exits 3 with the stack on stderr and, under --json, an internal error document", async () => {
    const human = await runIhub(["validate"], { cwd: repo, nodeArgs: inject(failingReaddir) });
    expect(human.code).toBe(3);
    expect(human.stderr).toContain("internal error Error: injected disk failure");
    expect(human.stderr).toMatch(stackTrace);

    const json = await runIhub(["validate", "--json"], { cwd: repo, nodeArgs: inject(failingReaddir) });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({ format: ERROR_JSON_FORMAT, ok: false, error: { code: "IH_INTERNAL", message: "injected disk failure", hint: expect.stringMatching(/bug in ihub/) } });
  });

  it("a module that fails to load exits 3", async () => {
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === "commander") throw new Error("injected load failure");
      return next(specifier, context);
    }`;
    const failingCommander = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const run = await runIhub(["--help"], { cwd: repo, nodeArgs: inject(failingCommander) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("internal error Error: injected load failure");
  });

  // Thrown once the registry server listens, i.e. outside any verb's error handling: Node alone would exit 1.
  it.each([
    ["an uncaught exception", `setImmediate(() => { throw new Error("injected crash"); })`],
    ["an unhandled rejection", `setImmediate(() => Promise.reject(new Error("injected crash")))`],
  ])("%s exits 3", async (_what, fault) => {
    const dir = await temps.make();
    const afterListen = `import http from "node:http"; const listen = http.Server.prototype.listen;
      http.Server.prototype.listen = function (...args) { ${fault}; return listen.apply(this, args); };`;
    const run = await runIhub(["registry", "serve", "--dir", dir, "--port", "0"], { cwd: repo, nodeArgs: inject(afterListen) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("internal error Error: injected crash");
  });
});

describe("a busy port", () => {
  let holder: net.Server;
  let port: number;
  beforeAll(async () => {
    holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    port = (holder.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it("is a typed error naming the port, with a hint and no stack trace, exit 2", async () => {
    const dir = await temps.make();
    const human = await runIhub(["registry", "serve", "--dir", dir, "--port", String(port)], { cwd: repo });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(`error IH_PORT_IN_USE port ${port} on 127.0.0.1 is already in use`);
    expect(human.stderr).toMatch(/hint .*--port/);
    expect(human.stderr).not.toMatch(stackTrace);

    const json = await runIhub(["registry", "serve", "--dir", dir, "--port", String(port), "--json"], { cwd: repo });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: ERROR_JSON_FORMAT, ok: false, error: { code: "IH_PORT_IN_USE" } });
  });
});

describe("--json documents", () => {
  it("carry the format of the verb that printed them", async () => {
    const root = await sampleRepo("main");
    const out = await temps.make();
    const runs: [CommandName, string[]][] = [
      ["new", ["new", "fresh"]],
      ["validate", ["validate", "plain"]],
      ["test", ["test", "plain"]],
      ["version", ["version", "--base", "main"]],
      ["tag", ["tag", "--dry-run"]],
      ["bundle", ["bundle", "plain", "--out", out]],
    ];
    for (const [verb, args] of runs) {
      const run = await runIhub([...args, "--json"], { cwd: root });
      expect([0, 1], `${verb}: ${run.stderr}`).toContain(run.code);
      expect((JSON.parse(run.stdout) as { format: string }).format, verb).toBe(commands[verb].format);
    }
    expect(new Set(commandNames.map((name) => commands[name].format)).size).toBe(commandNames.length);
  });
});

describe("--base", () => {
  const verbs = [
    ["validate", "--changed"],
    ["test", "--changed"],
    ["version"],
  ] as const;

  it("is one option with one documented default in every verb that takes it", async () => {
    const lines = await Promise.all(
      verbs.map(async ([verb]) => {
        const help = (await runIhub([verb, "--help"])).stdout.replace(/\s+/g, " ");
        return /--base <ref> (.*?\(default: [^)]*\))/.exec(help)?.[1];
      }),
    );
    expect(lines[0]).toContain(`(default: the first of ${DEFAULT_BASE_REFS.join(", ")} that exists)`);
    expect(new Set(lines).size).toBe(1);
  });

  it("defaults to main when the repository has it, and is a usage error naming the candidates when it has none", async () => {
    const changed = await runIhub(["validate", "--changed", "--json"], { cwd: repo });
    expect(JSON.parse(changed.stdout)).toMatchObject({ changed: { base: "main" } });

    const trunk = await sampleRepo("trunk");
    for (const args of verbs) {
      const run = await runIhub([...args, "--json"], { cwd: trunk });
      expect(run.code, args.join(" ")).toBe(2);
      expect(JSON.parse(run.stdout).error.message).toBe(`none of ${DEFAULT_BASE_REFS.join(", ")} exists in this repository`);
    }
  });
});

describe("--help", () => {
  it("shows each default once, in every verb", async () => {
    for (const verb of commandNames) {
      const help = (await runIhub([verb, "--help"])).stdout.replace(/\s+/g, " ");
      expect(help, verb).not.toMatch(/\(default: [^)]*\) \(default:/);
    }
    const publish = (await runIhub(["publish", "--help"])).stdout.replace(/\s+/g, " ");
    expect(/--registry <location> (.*?) --reconcile/.exec(publish)?.[1]?.match(/\(default:/g)).toHaveLength(1);
  });
});

describe("a verb's own --version option", () => {
  it("is not taken for ihub's", async () => {
    const dir = await temps.make();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "version.json"), "");
    const run = await runIhub(["pr-comment", "--version", "version.json", "--dry-run", "--json"], { cwd: dir });
    expect(JSON.parse(run.stdout)).toMatchObject({ format: commands["pr-comment"].format, ok: true, action: "dry-run" });
  });
});
