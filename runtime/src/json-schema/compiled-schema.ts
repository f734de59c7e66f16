/**
 * Compiled validators of the JSON Schemas a manifest embeds (config, credentials, handler input
 * and output, container records), one per schema object and kept as long as that object: compiling
 * costs about a millisecond, checking a value microseconds.
 *
 * Options follow JSON Schema 2020-12: unknown keywords are annotations, unknown formats are
 * annotations too (ajv would log each one; `ihub validate` reports them instead), every standard
 * format is validated (standard-formats.ts).
 *
 * ajv records every `$id` it meets in a table shared by everything the instance compiles, so on a
 * shared instance one schema's `$id`s would clash with, or resolve into, another's. A schema that
 * declares an `$id` anywhere therefore gets an instance of its own, where its references resolve
 * inside itself alone; the rest (nearly all) share one. Both check the schema against the
 * meta-schema before compiling, through the shared instance, which compiled it once.
 */
import type { Ajv2020, Options, ValidateFunction } from "ajv/dist/2020.js";
import { lazyRequire } from "./lazy-require.js";
import { addStandardFormats } from "./standard-formats.js";

const ajvClass = lazyRequire<typeof Ajv2020>("ajv/dist/2020.js", "Ajv2020");

/** `check` leaves the value alone; `fill-defaults` writes the schema's `default`s into it (install config). */
export type SchemaUse = "check" | "fill-defaults";

const optionsFor = (use: SchemaUse): Options => ({ allErrors: true, strict: false, logger: false, useDefaults: use === "fill-defaults" });

const shared = new Map<SchemaUse, Ajv2020>();
const compiled: Record<SchemaUse, WeakMap<object, ValidateFunction>> = { check: new WeakMap(), "fill-defaults": new WeakMap() };

function sharedAjv(use: SchemaUse): Ajv2020 {
  let ajv = shared.get(use);
  if (!ajv) shared.set(use, (ajv = addStandardFormats(new (ajvClass())(optionsFor(use)))));
  return ajv;
}

/** True when `value` holds an `$id` at any depth (where ajv looks for them: every key, annotations included). */
export function declaresId(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(declaresId);
  if (typeof value !== "object" || value === null) return false;
  return Object.hasOwn(value, "$id") || Object.values(value).some(declaresId);
}

/** The validator of `schema`; throws ajv's error when the schema is invalid or a reference does not resolve. */
export function compiledSchema(schema: object, use: SchemaUse = "check"): ValidateFunction {
  let validate = compiled[use].get(schema);
  if (validate) return validate;
  const ajv = sharedAjv(use);
  if (declaresId(schema)) {
    if (!ajv.validateSchema(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(ajv.errors)}`);
    validate = addStandardFormats(new (ajvClass())({ ...optionsFor(use), validateSchema: false })).compile(schema);
  } else {
    validate = ajv.compile(schema);
  }
  compiled[use].set(schema, validate);
  return validate;
}
