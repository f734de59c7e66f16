/**
 * All checks of one integration folder, in order of dependence: the folder itself, the manifest
 * (read, parse, schema), then the semantic check families concurrently. Semantic checks need a
 * manifest that matches the schema, so a schema error stops there (it is the thing to fix first).
 */
import { readdirSync, realpathSync } from "node:fs";
import type { Finding } from "../findings/finding.js";
import type { Manifest } from "@ihub/runtime/manifest";
import { MANIFEST_FILE } from "@ihub/runtime/layout";
import { checkDependencies } from "./checks/dependencies.js";
import { checkDocs } from "./checks/docs.js";
import { checkPlaceholders } from "./checks/placeholders.js";
import { checkEmbeddedSchemas } from "./checks/embedded-schemas.js";
import { checkHandlerRules } from "./checks/handler-rules.js";
import { checkIcon } from "./checks/icon.js";
import { checkOpenApi } from "./checks/openapi.js";
import { checkReferencedFiles } from "./checks/referenced-files.js";
import { checkTestCases } from "./checks/test-cases.js";
import { findingsCollector, joinRel, type CheckContext, type IntegrationRef, type Report } from "./integration-context.js";
import { checkLua } from "./lua/lua-check.js";
import { loadManifest } from "./manifest/load-manifest.js";
import { checkManifestSchema, slugPattern } from "./manifest/schema-check.js";
import { errnoOf, isInside, MAX_FILE_BYTES, MAX_OPENAPI_BYTES, readInside, type ReadOutcome, type RealDirs } from "./read-inside.js";

/** What all integrations of one run share. */
export type RunScope = {
  root: string;
  /** The root with symlinks resolved. */
  realRoot: string;
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
};

export function runScope(root: string, realRoot: string): RunScope {
  const memo = new Map<string, Promise<unknown>>();
  return {
    root,
    realRoot,
    once<T>(key: string, compute: () => Promise<T>) {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) memo.set(key, (p = compute()));
      return p;
    },
  };
}

export type IntegrationResult = { slug: string; findings: Finding[]; declaredSlug: string | null };

/**
 * A check that throws is a bug, but one integration's crash must not cost the report of the
 * others: it becomes an IH099 finding of that integration, after the findings made before it,
 * and the command exits with the internal-error code.
 */
export async function validateIntegration(ref: IntegrationRef, scope: RunScope): Promise<IntegrationResult> {
  const findings: Finding[] = [];
  const report = findingsCollector(ref, findings);
  try {
    return await checkIntegration(ref, scope, findings, report);
  } catch (error) {
    const what = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    report("IH099", `validating ${ref.relDir} failed: ${what}`);
    return { slug: ref.slug, findings, declaredSlug: null };
  }
}

async function checkIntegration(ref: IntegrationRef, scope: RunScope, findings: Finding[], report: Report): Promise<IntegrationResult> {
  const result = (declaredSlug: string | null = null): IntegrationResult => ({ slug: ref.slug, findings, declaredSlug });

  let realDir: string;
  try {
    realDir = realpathSync.native(ref.dir);
  } catch (error) {
    report("IH004", `${ref.relDir} cannot be resolved (${errnoOf(error)})`);
    return result();
  }
  if (!isInside(scope.realRoot, realDir)) {
    report("IH021", `${ref.relDir} is a symlink to ${realDir}, outside the repository`);
    return result();
  }
  if (!slugPattern().test(ref.slug)) report("IH012", `folder name "${ref.slug}" is not a valid slug`);
  let entries: string[];
  try {
    entries = readdirSync(realDir);
  } catch (error) {
    report("IH004", `${ref.relDir} cannot be listed (${errnoOf(error)})`);
    return result();
  }
  if (entries.length === 0) {
    report("IH022", `${ref.relDir} is empty`);
    return result();
  }

  const loaded = await loadManifest(ref.dir, realDir, report);
  if (!loaded) return result();
  const value = loaded.value as { slug?: unknown } | null;
  const declaredSlug = typeof value?.slug === "string" ? value.slug : null;
  const schemaOk = await checkManifestSchema(loaded.value, loaded.locator, report);
  if (declaredSlug !== null && declaredSlug !== ref.slug) {
    report("IH011", `slug "${declaredSlug}" differs from the folder name "${ref.slug}"`, { file: MANIFEST_FILE, pointer: "/slug", position: loaded.locator.locate("/slug") });
  }
  if (!schemaOk) return result(declaredSlug);

  const reads = new Map<string, Promise<ReadOutcome>>();
  const realDirs: RealDirs = new Map();
  const manifest = loaded.value as Manifest; // checkManifestSchema has just proved the shape
  const openapiFiles = new Set(Object.values(manifest.resources ?? {}).flatMap((r) => (r.openapi ? [r.openapi] : [])));
  const ctx: CheckContext = {
    ...ref,
    root: scope.root,
    manifest,
    source: { text: loaded.text, locator: loaded.locator, relFile: joinRel(ref.relDir, MANIFEST_FILE) },
    report,
    reportAt: (code, message, pointer, key = false) => report(code, message, { file: MANIFEST_FILE, pointer, position: loaded.locator.locate(pointer, key) }),
    read(relPath) {
      let p = reads.get(relPath);
      if (!p) reads.set(relPath, (p = readInside(ref.dir, realDir, relPath, openapiFiles.has(relPath) ? MAX_OPENAPI_BYTES : MAX_FILE_BYTES, "IH004", realDirs)));
      return p;
    },
    once: scope.once,
    abs: (relPath) => `${ref.dir}/${relPath}`,
    rel: (relPath) => joinRel(ref.relDir, relPath),
  };

  checkHandlerRules(ctx);
  await checkEmbeddedSchemas(ctx);
  // Every check settles before a failure is passed on, so none reports after the result is taken.
  const settled = await Promise.allSettled([
    checkReferencedFiles(ctx),
    checkDocs(ctx),
    checkPlaceholders(ctx),
    checkTestCases(ctx),
    checkDependencies(ctx),
    checkIcon(ctx),
    checkLua(ctx).then((analyses) => checkOpenApi(ctx, analyses)),
  ]);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return result(declaredSlug);
}
