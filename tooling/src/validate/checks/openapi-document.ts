/**
 * Is a text a valid OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2, JSON or YAML, in one
 * file or several joined by relative `$ref`s), and which operations does it declare (read by
 * analysis/openapi-operations.ts, as the catalog reads them)? Judged as the reference validator
 * (openapi-spec-validator) judges, in its two steps:
 * 1. The root document as written against the official JSON Schema of its version (vendored in
 *    ../ajv/openapi-schemas/, one precompiled ajv validator per version). The raw document is
 *    what the official schemas are written for (`$ref` objects are allowed), and its errors carry
 *    pointers into the file, so findings get a line.
 * 2. The rules the schema cannot state (../openapi/spec-rules.ts), walked across every file the
 *    references reach (loaded by swagger-parser's resolver, ../openapi/document-set.ts), each
 *    finding at its own file, line and pointer.
 */
import type { ErrorObject } from "ajv";
import type { OpenApiVersion } from "../ajv/definitions.js";
import { validator } from "../ajv/validator.js";
import { loadDocumentSet, type ReadText } from "../openapi/document-set.js";
import { specFindings, withResolvedPaths } from "../openapi/spec-rules.js";
import { parseStructured } from "../structured-text.js";
import type { Position } from "../source-position.js";
import { documentOperations, type OpenApiOperations } from "../../analysis/openapi-operations.js";

/** `file`: relative to the integration folder. `tooDeep`: the nesting limit, which validate reports under its own code. */
export type OpenApiProblem = { message: string; file: string; pointer: string | null; position: Position | null; tooDeep?: true };

export type OpenApiOutcome = ({ ok: true; version: OpenApiVersion; files: string[] } & OpenApiOperations) | { ok: false; problems: OpenApiProblem[] };
/** Enough errors to fix the first round; a broken document can raise thousands. */
const MAX_PROBLEMS = 10;

const SUPPORTED = "Swagger 2.0 or OpenAPI 3.0.x, 3.1.x or 3.2.x";

/** The version whose schema applies, or why there is none. */
export function openApiVersionOf(value: Record<string, unknown>): { ok: true; version: OpenApiVersion } | { ok: false; message: string; pointer: string } {
  if (value.swagger !== undefined) {
    if (value.swagger === "2.0") return { ok: true, version: "2.0" };
    return { ok: false, message: `swagger is ${JSON.stringify(value.swagger)}: only "2.0" (a string) is Swagger 2.0`, pointer: "/swagger" };
  }
  if (value.openapi === undefined) return { ok: false, message: `has neither an "openapi" nor a "swagger" field, so it is no ${SUPPORTED} document`, pointer: "" };
  const m = typeof value.openapi === "string" ? /^3\.([0-2])\.\d+(?:-.+)?$/.exec(value.openapi) : null;
  if (m) return { ok: true, version: `3.${m[1]}` as OpenApiVersion };
  const shown = typeof value.openapi === "string" ? `"${value.openapi.slice(0, 40)}"` : `${JSON.stringify(value.openapi)} (not a string)`;
  return { ok: false, message: `openapi is ${shown}: ihub validates ${SUPPORTED} documents`, pointer: "/openapi" };
}

/** The errors worth reading: one per place, and not the `oneOf`/`anyOf`/`if` wrappers when an error inside them says more. */
function pickErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "if");
  const chosen = specific.length ? specific : [...errors];
  const seen = new Set<string>();
  return chosen.filter((e) => !seen.has(e.instancePath) && seen.add(e.instancePath));
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || "/";
  if (e.keyword === "additionalProperties") return `${at}: unknown property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === "unevaluatedProperties") return `${at}: unknown property "${String(e.params.unevaluatedProperty)}"`;
  if (e.keyword === "required") return `${at}: missing required property "${String(e.params.missingProperty)}"`;
  if (e.keyword === "enum") return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  return `${at}: ${e.message ?? e.keyword}`;
}

/**
 * `file` is the document's path relative to the integration folder; `read` reads the files its
 * `$ref`s name (relative to the same folder; it refuses anything outside).
 */
export async function validateOpenApiDocument(text: string, file: string, read: ReadText): Promise<OpenApiOutcome> {
  const fail = (problem: Omit<OpenApiProblem, "file"> & { file?: string }): OpenApiOutcome => ({ ok: false, problems: [{ file, ...problem }] });
  const parsed = parseStructured(text);
  if (!parsed.ok && parsed.tooDeep) return fail({ message: parsed.message, pointer: parsed.tooDeep.pointer, position: parsed.position, tooDeep: true });
  if (!parsed.ok) return fail({ message: `does not parse: ${parsed.message}`, pointer: null, position: parsed.position });
  const value = parsed.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return fail({ message: `is not an OpenAPI object (a mapping with "openapi" or "swagger" at the top)`, pointer: "", position: { line: 1, column: 1 } });
  const version = openApiVersionOf(value as Record<string, unknown>);
  if (!version.ok) return fail({ message: `is not an OpenAPI document: ${version.message}`, pointer: version.pointer, position: parsed.locate(version.pointer) });

  const validate = await validator(`openapi-${version.version}`);
  if (!validate(value)) {
    const problems = pickErrors(validate.errors ?? [])
      .slice(0, MAX_PROBLEMS)
      .map((e) => ({ file, message: `does not match the OpenAPI ${version.version} schema: ${describe(e)}`, pointer: e.instancePath, position: parsed.locate(e.instancePath) }));
    return { ok: false, problems };
  }

  const loaded = await loadDocumentSet(file, { value, locate: parsed.locate }, read);
  if (!loaded.ok) return { ok: false, problems: [loaded.problem] };
  const { set } = loaded;
  const findings = specFindings(set, version.version);
  if (findings.length) {
    return {
      ok: false,
      problems: findings.slice(0, MAX_PROBLEMS).map((f) => ({ file: f.file, message: f.message, pointer: f.pointer, position: set.files.get(f.file)?.locate(f.pointer) ?? null })),
    };
  }
  return { ok: true, version: version.version, files: [...set.files.keys()], ...documentOperations(withResolvedPaths(set)) };
}
