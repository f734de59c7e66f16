/**
 * What every check of one integration receives: where the integration lives, its parsed manifest
 * and a `report` that turns a code plus a location into a complete Finding (severity and hint come
 * from the code registry, so no check can disagree with the docs).
 */
import path from "node:path";
import type { Finding } from "../findings/finding.js";
import type { Manifest } from "@ihub/runtime/manifest";
import { FINDING_CODES, type FindingCode } from "./codes.js";
import type { ReadOutcome } from "./read-inside.js";
import type { JsonLocator, Position } from "./source-position.js";

/**
 * Where a finding points: a file relative to the integration folder, and a pointer or a position
 * in it; `hint` replaces the code's own where the finding knows better (the version to use, the
 * alias probably meant), and `excerpt` shows the source line.
 */
export type FindingLocation = { file?: string | null; pointer?: string | null; position?: Position | null; hint?: string; excerpt?: string };

export type Report = (code: FindingCode, message: string, at?: FindingLocation) => void;

export type IntegrationRef = {
  /** Folder name under integrations/. */
  slug: string;
  /** Absolute path of the folder. */
  dir: string;
  /** Repository-relative path of the folder, with forward slashes. */
  relDir: string;
};

export type ManifestSource = { text: string; locator: JsonLocator; relFile: string };

export type CheckContext = IntegrationRef & {
  root: string;
  manifest: Manifest;
  source: ManifestSource;
  report: Report;
  /** Reports a finding located at a JSON pointer of the manifest. */
  reportAt(code: FindingCode, message: string, pointer: string, key?: boolean): void;
  /** Reads a file inside the integration folder once per run, whichever check asks first. */
  read(relPath: string): Promise<ReadOutcome>;
  /**
   * Memoises work shared by every integration of one run: shared module metadata, and the verdict
   * on a file's content (Lua, OpenAPI, test case), which integrations copied from one another repeat.
   */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Absolute path of a file given relative to the integration folder. */
  abs(relPath: string): string;
  /** Repository-relative path of a file given relative to the integration folder. */
  rel(relPath: string): string;
};

export function findingsCollector(ref: IntegrationRef, findings: Finding[]): Report {
  return (code, message, at = {}) => {
    const info = FINDING_CODES[code];
    findings.push({
      code,
      severity: info.severity,
      integration: ref.slug,
      file: at.file === undefined ? ref.relDir : at.file === null ? null : joinRel(ref.relDir, at.file),
      line: at.position?.line ?? null,
      column: at.position?.column ?? null,
      pointer: at.pointer ?? null,
      message,
      hint: at.hint ?? info.hint,
      ...(at.excerpt === undefined ? {} : { excerpt: at.excerpt }),
    });
  };
}

export function joinRel(relDir: string, relPath: string): string {
  return path.posix.join(relDir, relPath.split(path.sep).join("/"));
}
