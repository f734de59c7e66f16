/**
 * Every case of one integration folder: `tests/*.test.json|yaml` in name order, each run on its
 * own fresh store and sandbox. An integration that cannot be loaded yields one broken result
 * naming integration.json, so a caller always gets a result per folder, never an exception.
 */
import { MANIFEST_FILE, TESTS_DIR } from "@ihub/runtime/layout";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { ExecutorError, type LoadedIntegration, loadIntegration } from "@ihub/runtime";
import type { CaseResult } from "./case-result.js";
import { CASE_FILE, loadTestCase } from "./load-test-case.js";
import { runTestCase, type RunCaseOptions } from "./run-test-case.js";


export type IntegrationTestResult = { slug: string; cases: CaseResult[] };

/** Case files of an integration, relative to its folder with forward slashes, sorted. */
export async function listCaseFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, TESTS_DIR), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && CASE_FILE.test(e.name))
    .map((e) => `${TESTS_DIR}/${e.name}`)
    .sort();
}

/** Loads the integration, or explains in one broken result why it cannot be. */
export async function loadForTests(dir: string): Promise<{ ok: true; integration: LoadedIntegration } | { ok: false; result: CaseResult }> {
  try {
    return { ok: true, integration: await loadIntegration(dir) };
  } catch (error) {
    if (!(error instanceof ExecutorError)) throw error;
    const file = error.location.file ? path.relative(dir, error.location.file).split(path.sep).join("/") : MANIFEST_FILE;
    return { ok: false, result: { status: "broken", file, name: null, handler: null, problems: [{ file, pointer: "", line: null, column: null, message: error.hint ? `${error.message}. ${error.hint}` : error.message }] } };
  }
}

export async function runCaseFile(dir: string, integration: LoadedIntegration, file: string, opts: RunCaseOptions = {}): Promise<CaseResult> {
  const loaded = await loadTestCase(path.join(dir, file), file);
  if (!loaded.ok) return { status: "broken", file, name: null, handler: null, problems: loaded.problems };
  return runTestCase(integration, loaded.loaded, opts);
}

export async function runIntegrationTests(dir: string, opts: RunCaseOptions & { onCase?(result: CaseResult): void } = {}): Promise<IntegrationTestResult> {
  const slug = path.basename(dir);
  const loaded = await loadForTests(dir);
  if (!loaded.ok) return { slug, cases: [loaded.result] };
  const cases: CaseResult[] = [];
  for (const file of await listCaseFiles(dir)) {
    const result = await runCaseFile(dir, loaded.integration, file, opts);
    opts.onCase?.(result);
    cases.push(result);
  }
  return { slug, cases };
}
