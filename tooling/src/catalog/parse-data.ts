/**
 * JSON or YAML text to a value. JSON (every `.json` file, and most OpenAPI documents) goes through
 * the native parser, several times faster than the YAML parser that would also accept it; only
 * text that is not JSON pays for YAML.
 */
import { parse as parseYaml } from "yaml";

export function parseJsonOrYaml(text: string): unknown {
  const start = text.trimStart()[0];
  if (start === "{" || start === "[") {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all (YAML flow style): fall through.
    }
  }
  return parseYaml(text);
}
