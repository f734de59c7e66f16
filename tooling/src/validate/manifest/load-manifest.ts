/**
 * Reads and parses integration.json. Every way this can fail is a finding: missing, unreadable,
 * too large (capped before reading), nested too deep, or not JSON (with the line of the syntax error).
 */
import { MANIFEST_FILE } from "@ihub/runtime/layout";
import { parseManifestJson } from "@ihub/runtime/manifest";
import type { Report } from "../integration-context.js";
import { readInside, textOf } from "../read-inside.js";
import { JsonLocator } from "../source-position.js";
import { sourceExcerpt } from "../../findings/source-excerpt.js";

/** Real manifests are a few KB; 1 MiB leaves room for large embedded schemas. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export type LoadedManifest = { text: string; value: unknown; locator: JsonLocator };

export async function loadManifest(dir: string, realDir: string, report: Report): Promise<LoadedManifest | null> {
  const read = await readInside(dir, realDir, MANIFEST_FILE, MAX_MANIFEST_BYTES, "IH002");
  if (!read.ok) {
    report(read.code === "IH020" ? "IH001" : read.code, read.code === "IH020" ? `no ${MANIFEST_FILE} in the integration folder` : read.message, { file: MANIFEST_FILE });
    return null;
  }
  const text = textOf(read.bytes);
  const json = parseManifestJson(text);
  if (json.ok) return { text, value: json.json, locator: new JsonLocator(text) };
  const position = { line: json.position.line, column: json.position.column };
  const at = { file: MANIFEST_FILE, pointer: json.pointer, position, excerpt: sourceExcerpt(text, position) };
  if (json.problem === "too-deep") report("IH005", `${MANIFEST_FILE}: ${json.message}`, at);
  else report("IH003", `${MANIFEST_FILE} is ${json.message}`, at);
  return null;
}
