/**
 * Reads and parses integration.json. Every way this can fail is a finding: missing, unreadable,
 * too large (capped before reading), or not JSON (with the line of the syntax error).
 */
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { MANIFEST_FILE } from "@ihub/runtime/layout";
import { parseManifestJson } from "@ihub/runtime/manifest";
import type { Report } from "../integration-context.js";
import { readInside, textOf } from "../read-inside.js";
import { JsonLocator, LineIndex, type Position } from "../source-position.js";

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
  const { message, position } = describeSyntaxError(text);
  report("IH003", `${MANIFEST_FILE} is not valid JSON: ${message}`, { file: MANIFEST_FILE, position });
  return null;
}

/** JSON.parse says what is wrong but not reliably where; jsonc-parser (strict settings) gives the offset. */
function describeSyntaxError(text: string): { message: string; position: Position } {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { message: "unexpected content", position: { line: 1, column: 1 } };
  return { message: printParseErrorCode(first.error), position: new LineIndex(text).position(first.offset) };
}
