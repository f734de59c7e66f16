/**
 * The compiled `ihub` (tooling/bin/ihub.js running dist/, built by vitest's global setup as by
 * `npm ci`) as a real process: its version and help, which modules a start loads, and what a
 * checkout without the build says.
 */
import fs from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAll, tempDirs } from "../../test-support/temp-repo.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { commandNames, commands } from "./commands.js";
import { BIN, REPO_ROOT, runIhub } from "../../test-support/ihub-process.js";

const temps = tempDirs("ihub-compiled-cli-");
afterAll(() => temps.cleanup());

/** Packages a start must not pay for unless its work needs them (swagger-parser: it or the resolver validate loads from it). */
const HEAVY = { astro: "astro", octokit: "octokit", "@octokit": "octokit", "isomorphic-git": "isomorphic-git", "@apidevtools/swagger-parser": "swagger-parser", "@apidevtools/json-schema-ref-parser": "swagger-parser" } as const;
type Heavy = (typeof HEAVY)[keyof typeof HEAVY];

/**
 * A loader hook logging every ES module resolved, plus, when the process exits, every CommonJS
 * module in require's cache (swagger-parser is loaded through require).
 */
async function writeTracer(dir: string): Promise<string> {
  const hook = path.join(dir, "trace-hook.mjs");
  await writeFile(
    hook,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.IHUB_TEST_TRACE, resolved.url + "\\n");
  return resolved;
}
`,
  );
  const register = path.join(dir, "trace.mjs");
  await writeFile(
    register,
    `import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";
register(${JSON.stringify(pathToFileURL(hook).href)});
process.on("exit", () => appendFileSync(process.env.IHUB_TEST_TRACE, Object.keys(createRequire(import.meta.url).cache).map((f) => pathToFileURL(f).href + "\\n").join("")));
`,
  );
  return register;
}

let tracer: string;
let repo: string;

/** Runs the compiled ihub under the tracer: its result, the verb modules and the heavy packages it loaded. */
async function traced(args: string[]) {
  const log = path.join(await temps.make(), "trace.log");
  await writeFile(log, "");
  const run = await runIhub(args, { cwd: repo, env: { IHUB_TEST_TRACE: log }, nodeArgs: ["--import", tracer] });
  const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean);
  const verbs = new Set(urls.flatMap((u) => /\/dist\/tooling\/src\/commands\/([\w-]+)\//.exec(u)?.[1] ?? []));
  const heavy = new Set<Heavy>(urls.flatMap((u) => Object.entries(HEAVY).flatMap(([pkg, name]) => (u.includes(`/node_modules/${pkg}/`) ? [name] : []))));
  return { run, urls, verbs, heavy };
}

beforeAll(async () => {
  tracer = await writeTracer(await temps.make());
  repo = await temps.make();
  await writeSampleIntegration(repo, { kind: "ping", slug: "plain" });
  // The device sample has an OpenAPI document.
  await writeSampleIntegration(repo, { slug: "with-openapi" });
  await git.init({ fs, dir: repo, defaultBranch: "main" });
  await commitAll(repo, "base");
  await git.branch({ fs, dir: repo, ref: "feature", checkout: true });
  await writeFile(path.join(repo, "integrations", "plain", "README.md"), "# Plain\n\nChanged on the branch.\n");
  await commitAll(repo, "change plain");
});

describe("the compiled ihub", () => {
  it("runs the JavaScript in dist/, not the TypeScript sources", async () => {
    const { run, urls } = await traced(["--version"]);
    expect(run.code).toBe(0);
    expect(urls.some((u) => u.endsWith("/dist/tooling/src/cli/main.js"))).toBe(true);
    expect(urls.filter((u) => u.endsWith(".ts") || u.includes("/node_modules/tsx/"))).toEqual([]);
  });

  it("prints the package version for --version and -V", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) expect(await runIhub([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("lists every verb with its summary under --help", async () => {
    const run = await runIhub(["--help"]);
    expect(run.code).toBe(0);
    const listed = run.stdout.replace(/\s+/g, " ");
    for (const name of commandNames) expect(listed).toContain(` ${name} ${commands[name].summary}`);
  });

  it("imports no verb and no heavy package for --help and --version", async () => {
    for (const args of [["--help"], ["--version"]]) {
      const { run, verbs, heavy } = await traced(args);
      expect(run.code).toBe(0);
      expect([...verbs]).toEqual([]);
      expect([...heavy]).toEqual([]);
    }
  });

  it("imports for validate <one> only validate, and swagger-parser only for an OpenAPI document", async () => {
    // The samples lack some test cases: findings (exit 1) are fine, the point is the work done.
    const plain = await traced(["validate", "plain", "--json"]);
    expect(JSON.parse(plain.run.stdout)).toMatchObject({ integrations: ["plain"] });
    expect([...plain.verbs]).toEqual(["validate"]);
    expect([...plain.heavy]).toEqual([]);

    // The same trace sees swagger-parser when the work needs it, so the assertion above is not blind.
    const withOpenApi = await traced(["validate", "with-openapi", "--json"]);
    expect(JSON.parse(withOpenApi.run.stdout)).toMatchObject({ integrations: ["with-openapi"] });
    expect([...withOpenApi.heavy]).toEqual(["swagger-parser"]);
  });

  it("imports isomorphic-git for validate --changed, and nothing else heavy", async () => {
    const { run, heavy } = await traced(["validate", "--changed", "--base", "main", "--json"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ integrations: ["plain"], changed: { base: "main" } });
    expect([...heavy]).toEqual(["isomorphic-git"]);
  });

  it("says how to build when dist/ is missing, with exit 3 and no stack trace", async () => {
    const checkout = await temps.make();
    const bin = path.join(checkout, "tooling", "bin", "ihub.js");
    await mkdir(path.dirname(bin), { recursive: true });
    await copyFile(BIN, bin);
    const run = await runIhub(["--help"], { bin });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("ihub is not built");
    expect(run.stderr).toContain("npm run build");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
