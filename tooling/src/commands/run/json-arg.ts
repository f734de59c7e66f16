/** `--input JSON|@file` and its siblings: inline JSON, or `@path` to a JSON or YAML file (relative to the working directory). */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../../errors.js";

export async function parseJsonArg(flag: string, value: string, cwd = process.cwd()): Promise<unknown> {
  if (value.startsWith("@")) {
    const file = path.resolve(cwd, value.slice(1));
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${flag} ${value}: cannot read ${value.slice(1)} (${error.code ?? error.message})`, "Pass @ followed by the path of a JSON or YAML file.");
    });
    try {
      return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${flag} ${value}: ${(error as Error).message.split("\n")[0]}`, "The file must hold one JSON (or, for .yaml files, YAML) value.");
    }
  }
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UsageError(`${flag}: not JSON: ${(error as Error).message}`, `Quote the value for the shell, e.g. ${flag} '{"key":"value"}', or pass ${flag} @file.json.`);
  }
}

/** The same for a flag whose value must be a JSON object (config, credentials, bindings). */
export async function parseObjectArg(flag: string, value: string, cwd = process.cwd()): Promise<Record<string, unknown>> {
  const parsed = await parseJsonArg(flag, value, cwd);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`${flag} must be a JSON object`, `For example ${flag} '{"key":"value"}'.`);
  return parsed as Record<string, unknown>;
}
