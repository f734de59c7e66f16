/**
 * Reads one integration's snapshot through a FileSource: a commit's tree for the base, the
 * working tree for HEAD. The bundle entries and digest come from bundle-contents.ts, so the gate
 * and `ihub bundle` agree on what changed.
 */
import { createHash } from "node:crypto";
import path from "node:path/posix";
import { readManifest } from "../bundle/build-bundle.js";
import { collectBundleEntries, contentDigest, type FileSource } from "../bundle/bundle-contents.js";
import { deviceHttpCallsIn } from "../analysis/lua-handler-analysis.js";
import { operationsUsed, readOpenApi } from "../analysis/openapi-operations.js";
import { IhubError } from "../errors.js";
import { JsonLocator } from "../validate/source-position.js";
import { readJson } from "@ihub/runtime/json";
import { BUNDLE_MODULES_DIR, HANDLERS_DIR, INTEGRATIONS_DIR, MANIFEST_FILE, sharedModulePath } from "@ihub/runtime/layout";
import type { AliasOperations, Side } from "./snapshot.js";

const MODULE_PREFIX = `${BUNDLE_MODULES_DIR}/`;

export async function readSnapshot(source: FileSource, slug: string): Promise<Side> {
  const dir = `${INTEGRATIONS_DIR}/${slug}`;
  const manifestFile = `${dir}/${MANIFEST_FILE}`;
  const manifestBytes = await source.read(manifestFile);
  if (!manifestBytes) return { kind: "absent" };
  const manifestText = Buffer.from(manifestBytes).toString("utf8");
  let manifest;
  try {
    manifest = await readManifest(source, slug);
  } catch (error) {
    if (!(error instanceof IhubError)) throw error;
    const { pointer } = error.location;
    const json = readJson(manifestText);
    // A syntax error has its own position; a schema error the position of its pointer.
    const at = !json.ok ? { line: json.position.line, column: json.position.column } : pointer !== undefined ? new JsonLocator(manifestText).locate(pointer) : undefined;
    return { kind: "invalid", error: { code: "IH_VERSION_MANIFEST_INVALID", message: error.message, file: error.location.file ?? manifestFile, pointer, at } };
  }
  const versionAt = new JsonLocator(manifestText).locate("/version");

  const entries = await collectBundleEntries(source, slug, manifest);
  const files: Record<string, string> = {};
  const repoPaths: Record<string, string> = {};
  for (const e of entries) {
    files[e.path] = createHash("sha256").update(e.bytes).digest("hex");
    repoPaths[e.path] = e.path.startsWith(MODULE_PREFIX) ? sharedModulePath(e.path.slice(MODULE_PREFIX.length)) : `${dir}/${e.path}`;
  }

  const text = (bundlePath: string) => {
    const entry = entries.find((e) => e.path === path.normalize(bundlePath));
    return entry ? Buffer.from(entry.bytes).toString("utf8") : null;
  };
  const calls = entries.filter((e) => e.path.startsWith(`${HANDLERS_DIR}/`) && e.path.endsWith(".lua")).flatMap((e) => deviceHttpCallsIn(Buffer.from(e.bytes).toString("utf8")));
  const operations: Record<string, AliasOperations> = {};
  for (const [alias, resource] of Object.entries(manifest.resources ?? {})) {
    const doc = resource.openapi ? text(resource.openapi) : null;
    if (!resource.openapi || doc === null) continue;
    const api = readOpenApi(doc);
    operations[alias] = { file: `${dir}/${path.normalize(resource.openapi)}`, documented: api.operations, used: operationsUsed(calls.filter((c) => c.alias === alias), api) };
  }

  return { kind: "present", snapshot: { manifest, manifestFile, versionAt, contentDigest: contentDigest(entries), files, repoPaths, operations } };
}
