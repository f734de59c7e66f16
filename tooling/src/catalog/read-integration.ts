/**
 * Reads what the catalog shows from one integration: manifest, docs, icon, Lua sources, OpenAPI
 * documents and test cases, from its folder in the repository or from a published bundle (which
 * holds the same files, without tests). A missing or invalid manifest yields a finding instead
 * (the catalog leaves the integration out; `ihub validate` explains it in full).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseJsonOrYaml } from "./parse-data.js";
import { type Manifest, parseManifest } from "@ihub/runtime/manifest";
import { testCaseSchema, type TestCase } from "../harness/test-case-schema.js";
import type { Finding } from "../findings/finding.js";
import { catalogFinding } from "./catalog-finding.js";
import type { IntegrationDir } from "../repo/list-integrations.js";
import { HANDLERS_DIR, MANIFEST_FILE, TESTS_DIR } from "@ihub/runtime/layout";
import type { ArchiveFile } from "@ihub/runtime/registry";

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

const TEST_FILE = /\.test\.(json|ya?ml)$/;

/** The files of one integration, by path relative to its folder (forward slashes); missing is null. */
export type SourceFiles = {
  bytes(rel: string): Promise<Uint8Array | null>;
  /** Files below `relDir`, recursively, sorted. */
  list(relDir: string): Promise<string[]>;
  /** Where findings point: the manifest's path as a person would look for it. */
  manifestLabel: string;
};

export function folderFiles(dir: IntegrationDir): SourceFiles {
  return {
    bytes: (rel) => readFile(path.join(dir.dir, rel)).catch(() => null),
    async list(relDir) {
      const entries = await readdir(path.join(dir.dir, relDir), { withFileTypes: true, recursive: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir.dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
    },
    manifestLabel: `${dir.relDir}/${MANIFEST_FILE}`,
  };
}

export function archiveFiles(files: readonly ArchiveFile[], label: string): SourceFiles {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  return {
    bytes: async (rel) => byPath.get(path.posix.normalize(rel)) ?? null,
    list: async (relDir) => [...byPath.keys()].filter((p) => p.startsWith(`${relDir}/`)).sort(),
    manifestLabel: `${label}:${MANIFEST_FILE}`,
  };
}

const decoder = new TextDecoder();

const HINT = "Run `ihub validate` for the details; the catalog leaves this integration out until its manifest is valid.";

export async function readIntegration(slug: string, files: SourceFiles): Promise<IntegrationSource | Finding> {
  const readText = async (rel: string) => {
    const bytes = await files.bytes(rel);
    return bytes === null ? null : decoder.decode(bytes);
  };
  const fail = (message: string, pointer: string | null = null) =>
    catalogFinding({ code: "IH_CATALOG_MANIFEST", integration: slug, file: files.manifestLabel, message, pointer, hint: HINT });
  const text = await readText(MANIFEST_FILE);
  if (text === null) return fail(`${MANIFEST_FILE} is missing`);
  const read = parseManifest(text, slug);
  if (!read.ok && read.problem === "not-json") return fail(`${MANIFEST_FILE} is not JSON: ${read.message}`);
  if (!read.ok && read.problem === "too-deep") return fail(`${MANIFEST_FILE}: ${read.message}`, read.pointer);
  if (!read.ok && read.problem === "invalid") return fail(`${MANIFEST_FILE} is invalid: ${read.message}`, read.pointer);
  if (!read.ok) return fail(`slug "${read.declared}" differs from the folder name "${slug}"`, read.pointer);
  const manifest = read.manifest;

  const lua: Record<string, string> = {};
  const luaFiles = new Set([...Object.values(manifest.handlers).map((h) => h.file), ...(await files.list(HANDLERS_DIR)).filter((f) => f.endsWith(".lua"))]);
  for (const file of luaFiles) {
    const source = await readText(file);
    if (source !== null) lua[file] = source;
  }

  const openapi: Record<string, string> = {};
  for (const [alias, resource] of Object.entries(manifest.resources ?? {})) {
    const doc = resource.openapi ? await readText(resource.openapi) : null;
    if (doc !== null) openapi[alias] = doc;
  }

  const tests: TestCase[] = [];
  for (const file of (await files.list(TESTS_DIR)).filter((f) => TEST_FILE.test(f))) {
    try {
      const result = testCaseSchema.safeParse(parseJsonOrYaml((await readText(file)) ?? ""));
      if (result.success) tests.push(result.data);
    } catch {
      // An unreadable test case only costs the page its example; `ihub test` reports it.
    }
  }

  const iconBytes = await files.bytes(manifest.icon);
  return {
    slug,
    manifest,
    readme: await readText("README.md"),
    changelog: await readText("CHANGELOG.md"),
    icon: iconBytes ? { bytes: iconBytes, ext: path.extname(manifest.icon).slice(1).toLowerCase() } : null,
    lua,
    openapi,
    tests,
  };
}
