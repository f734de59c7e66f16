/**
 * The one parser of an integration's manifest text: JSON, then the zod schema, then (when the
 * caller knows the folder) the slug. It returns what went wrong as a typed value and throws
 * nothing, so each caller decides: the executor and the bundler throw their coded errors, the
 * catalog records a finding, and validate (which reports every problem with its line through
 * the JSON Schema generated from the same zod schema) takes only the JSON step.
 */
import { toPointer } from "../json/json-pointer.js";
import { readJson, type JsonProblem } from "../json/read-json.js";
import { manifestSchema, type Manifest } from "./manifest-schema.js";

/** `not-json` carries where the syntax error is; `too-deep` where the nesting limit was passed. */
type Problem<P> = { ok: false; problem: P } & Omit<JsonProblem, "problem">;
export type ManifestJson = { ok: true; json: unknown } | Problem<"not-json"> | Problem<"too-deep">;

export type ManifestRead =
  | { ok: true; manifest: Manifest }
  | Extract<ManifestJson, { ok: false }>
  /** The first schema issue; `pointer` is where it is. */
  | { ok: false; problem: "invalid"; message: string; pointer: string }
  /** The manifest's `slug` is not the folder's name. */
  | { ok: false; problem: "slug-mismatch"; declared: string; pointer: "/slug" };

export function parseManifestJson(text: string): ManifestJson {
  const read = readJson(text);
  if (read.ok) return { ok: true, json: read.value };
  return read.problem === "too-deep" ? { ...read, problem: "too-deep" } : { ...read, problem: "not-json" };
}

/** `folderSlug`, when given, is the name of the folder the manifest lives in, which its slug must equal. */
export function parseManifest(text: string, folderSlug?: string): ManifestRead {
  const json = parseManifestJson(text);
  if (!json.ok) return json;
  const parsed = manifestSchema.safeParse(json.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: "invalid", message: issue.message, pointer: toPointer(issue.path) };
  }
  if (folderSlug !== undefined && parsed.data.slug !== folderSlug) return { ok: false, problem: "slug-mismatch", declared: parsed.data.slug, pointer: "/slug" };
  return { ok: true, manifest: parsed.data };
}
