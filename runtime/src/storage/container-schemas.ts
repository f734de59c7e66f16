/**
 * Container records are checked against the manifest's dataContainerSchemas before they are
 * written, so a store never holds a record its integration's schema rejects.
 */
import { checkSchema, describeIssues } from "../executor/json-schema.js";
import { StorageError } from "./storage-error.js";

export function assertContainerValue(container: string, schema: Record<string, unknown>, value: unknown): void {
  const issues = checkSchema(schema, value);
  if (issues.length > 0) {
    throw new StorageError(
      "CONTAINER_VALUE_INVALID",
      `value for container "${container}" does not match dataContainerSchemas.${container}: ${describeIssues(issues)}`,
    );
  }
}
