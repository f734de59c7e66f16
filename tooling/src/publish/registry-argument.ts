/** `--registry` as every verb reads it: a bad spelling is the user's usage error (exit 2), not a registry failure. */
import { parseRegistryLocation, RegistryError, type RegistryLocation } from "@ihub/runtime/registry";
import { UsageError } from "../errors.js";

export function registryArgument(spec: string): RegistryLocation {
  try {
    return parseRegistryLocation(spec);
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(error.message, error.hint);
    throw error;
  }
}
