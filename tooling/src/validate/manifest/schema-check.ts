/**
 * Validates a parsed manifest against schemas/integration.schema.json (ajv, all errors), each error a finding at the JSON pointer it concerns.
 */
import { MANIFEST_FILE } from "@ihub/runtime/layout";
import type { Report } from "../integration-context.js";
import type { JsonLocator } from "../source-position.js";
import { validator } from "../ajv/validator.js";
import { describeAjvError, repoSchema } from "./repo-schemas.js";

const MANIFEST_SCHEMA = "integration.schema.json";

/** The slug rule, read from the schema so it has one source. */
export function slugPattern(): RegExp {
  const slug = (repoSchema(MANIFEST_SCHEMA).properties as Record<string, { pattern: string }>).slug!;
  return new RegExp(slug.pattern);
}

/** True when the manifest matches the schema; otherwise reports every error. */
export async function checkManifestSchema(value: unknown, locator: JsonLocator, report: Report): Promise<boolean> {
  const validate = await validator("manifest");
  if (validate(value)) return true;
  for (const error of validate.errors ?? []) {
    const d = describeAjvError(error);
    if (!d) continue;
    const at = { file: MANIFEST_FILE, pointer: d.pointer, position: locator.locate(d.pointer, d.key) };
    if (d.propertyName !== undefined && d.parent === "/handlers") report("IH014", `handler name "${d.propertyName}" is not snake_case`, at);
    else report("IH010", d.message, at);
  }
  return false;
}
