/**
 * Reads what the catalog shows from one integration folder: manifest, docs, icon, Lua sources,
 * OpenAPI documents and test cases. A folder whose manifest is missing or invalid yields a
 * finding instead (the catalog leaves it out; `ihub validate` explains it in full).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { manifestSchema, type Manifest } from "../../../runtime/src/manifest/manifest-schema.js";
import { testCaseSchema, type TestCase } from "../../../runtime/src/harness/test-case-schema.js";
import type { Finding } from "../findings/finding.js";
import { MANIFEST_FILE, type IntegrationDir } from "../repo/list-integrations.js";
import { HANDLERS_DIR } from "../bundle/bundle-contents.js";

export type IntegrationSource = {
  slug: string;
  manifest: Manifest;
  readme: string | null;
  changelog: string | null;
  icon: { bytes: Uint8Array; ext: string } | null;
  /** Lua sources by path relative to the integration folder. */
  lua: Record<string, string>;
  /** OpenAPI document text by resource alias. */
  openapi: Record<string, string>;
  tests: TestCase[];
};

const TESTS_DIR = "tests";
const TEST_FILE = /\.test\.(json|ya?ml)$/;

const readText = (file: string) => readFile(file, "utf8").catch(() => null);

/** Files below `dir` (recursively), relative to `base`, with forward slashes. */
async function listFiles(base: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(base, dir), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

function finding(dir: IntegrationDir, message: string, pointer: string | null = null): Finding {
  return {
    code: "IH_CATALOG_MANIFEST",
    severity: "error",
    integration: dir.slug,
    file: `${dir.relDir}/${MANIFEST_FILE}`,
    line: null,
    column: null,
    pointer,
    message,
    hint: "Run `ihub validate` for the details; the catalog leaves this integration out until its manifest is valid.",
  };
}

export async function readIntegration(dir: IntegrationDir): Promise<IntegrationSource | Finding> {
  const text = await readText(path.join(dir.dir, MANIFEST_FILE));
  if (text === null) return finding(dir, `${MANIFEST_FILE} is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return finding(dir, `${MANIFEST_FILE} is not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return finding(dir, `${MANIFEST_FILE} is invalid: ${issue.message}`, "/" + issue.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/"));
  }
  const manifest = parsed.data;
  if (manifest.slug !== dir.slug) return finding(dir, `slug "${manifest.slug}" differs from the folder name "${dir.slug}"`, "/slug");

  const lua: Record<string, string> = {};
  const luaFiles = new Set([...Object.values(manifest.handlers).map((h) => h.file), ...(await listFiles(dir.dir, HANDLERS_DIR)).filter((f) => f.endsWith(".lua"))]);
  for (const file of luaFiles) {
    const source = await readText(path.join(dir.dir, file));
    if (source !== null) lua[file] = source;
  }

  const openapi: Record<string, string> = {};
  for (const [alias, resource] of Object.entries(manifest.resources ?? {})) {
    const doc = resource.openapi ? await readText(path.join(dir.dir, resource.openapi)) : null;
    if (doc !== null) openapi[alias] = doc;
  }

  const tests: TestCase[] = [];
  for (const file of (await listFiles(dir.dir, TESTS_DIR)).filter((f) => TEST_FILE.test(f))) {
    try {
      const result = testCaseSchema.safeParse(parseYaml((await readText(path.join(dir.dir, file))) ?? ""));
      if (result.success) tests.push(result.data);
    } catch {
      // An unreadable test case only costs the page its example; `ihub test` reports it.
    }
  }

  const iconBytes = await readFile(path.join(dir.dir, manifest.icon)).catch(() => null);
  return {
    slug: dir.slug,
    manifest,
    readme: await readText(path.join(dir.dir, "README.md")),
    changelog: await readText(path.join(dir.dir, "CHANGELOG.md")),
    icon: iconBytes ? { bytes: iconBytes, ext: path.extname(manifest.icon).slice(1).toLowerCase() } : null,
    lua,
    openapi,
    tests,
  };
}
