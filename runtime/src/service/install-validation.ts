/**
 * What an install must satisfy, checked the same way at POST and PATCH: config against
 * configSchema with its defaults applied, one binding of the right kind per declared resource,
 * the credential against auth.fields. Each failure names the JSON pointer into the request body.
 * Credential errors never carry the value (ajv's messages name the rule, not the data).
 */
import { runValidator, schemaValidator } from "../executor/json-schema.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import type { Binding } from "../service-store/service-store.js";
import { ServiceError } from "./service-error.js";

type Problem = { message: string; pointer: string };

/** Every place `value` breaks `schema`, as pointers below `base`; ajv names the rule, never the value. */
function problemsOf(schema: object, value: unknown, base: string): Problem[] {
  // Unlike the executor's checks, this one writes configSchema's defaults into the value it checks.
  const validate = schemaValidator(schema, "fill-defaults");
  if (runValidator(validate, value)) return [];
  return validate.errors!.map((e) => {
    const leaf = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
    return { pointer: `${base}${e.instancePath}${leaf ? `/${leaf}` : ""}`, message: e.message ?? e.keyword };
  });
}

function check(schema: object, value: unknown, base: string, code: string, what: string): void {
  const [first, ...rest] = problemsOf(schema, value, base);
  if (!first) return;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
  throw new ServiceError(422, code, `${what}: ${first.pointer} ${first.message}${more}`, `Fix the value at ${first.pointer}; the integration's manifest describes every field.`, first.pointer);
}

/** The config with configSchema's defaults filled in. */
export function validatedConfig(manifest: Manifest, config: Record<string, unknown> | undefined): Record<string, unknown> {
  const value = structuredClone(config ?? {});
  if (manifest.configSchema) check(manifest.configSchema, value, "/config", "CONFIG_INVALID", "config does not match the integration's configSchema");
  return value;
}

/** Whether a config fits a version, with every problem: an upgrade reports them all at once. */
export function fitConfig(manifest: Manifest, config: Record<string, unknown>): { value: Record<string, unknown>; problems: Problem[] } {
  const value = structuredClone(config);
  return { value, problems: manifest.configSchema ? problemsOf(manifest.configSchema, value, "/config") : [] };
}

export function validatedBindings(manifest: Manifest, bindings: Record<string, Binding> | undefined): Record<string, Binding> {
  const given = bindings ?? {};
  const resources = manifest.resources ?? {};
  for (const alias of Object.keys(given)) {
    if (!Object.hasOwn(resources, alias)) {
      throw new ServiceError(422, "BINDING_UNKNOWN", `${manifest.slug} declares no resource "${alias}"`, `Declared: ${Object.keys(resources).join(", ") || "(none)"}.`, `/bindings/${alias}`);
    }
  }
  for (const [alias, resource] of Object.entries(resources)) {
    const binding = Object.hasOwn(given, alias) ? given[alias] : undefined;
    const example = resource.kind === "http" ? `{ "url": "https://…" }` : `{ "dsn": "sqlite:/path/to/db.sqlite" }`;
    if (!binding) throw new ServiceError(422, "BINDING_MISSING", `resource "${alias}" (${resource.kind}) is not bound: ${resource.description}`, `Bind it as ${example}.`, `/bindings/${alias}`);
    if ((resource.kind === "http") !== "url" in binding) {
      throw new ServiceError(422, "BINDING_KIND", `resource "${alias}" is of kind ${resource.kind}`, `Bind it as ${example}.`, `/bindings/${alias}`);
    }
  }
  return given;
}

/** The credential to seal (null when the integration takes none) and the names of its fields that are set. */
export function validatedCredentials(manifest: Manifest, credentials: Record<string, unknown> | null | undefined): { value: Record<string, unknown> | null; fields: string[] } {
  const given = credentials ?? null;
  if (manifest.auth.type === "none") {
    if (given && Object.keys(given).length > 0) throw new ServiceError(422, "CREDENTIALS_UNEXPECTED", `${manifest.slug} takes no credential (auth.type none)`, "Leave `credentials` out.", "/credentials");
    return { value: null, fields: [] };
  }
  if (manifest.auth.fields) check(manifest.auth.fields, given ?? {}, "/credentials", "CREDENTIALS_INVALID", "credentials do not match the integration's auth.fields");
  if (!given || Object.keys(given).length === 0) return { value: null, fields: [] };
  return { value: given, fields: Object.keys(given).sort() };
}
