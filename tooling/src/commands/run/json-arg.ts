/**
 * `--input JSON|@file` and its siblings: inline JSON, or `@path` to a JSON or YAML file (relative
 * to the working directory). The values may be credentials, so a value that cannot be read is
 * described by position only, and nesting past the readers' limit is refused before parsing.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { describeTooDeep, findDeepText, findDeepValue, readJson, textPosition } from "@ihub/runtime/json";
import { EXIT, IhubError, UsageError } from "../../errors.js";

const TOO_DEEP_HINT = "Flatten the value: objects and arrays nest at most 100 levels.";

/** The YAML value of `text`, or a message that names a position and the parser's error code, never the text. */
function readYaml(text: string): { ok: true; value: unknown } | { ok: false; message: string; problem: "too-deep" | "syntax" } {
  const deepText = findDeepText(text, "yaml");
  if (deepText) {
    const { line, column } = textPosition(text, deepText.offset!);
    return { ok: false, message: `${describeTooDeep(deepText)} (line ${line}, column ${column})`, problem: "too-deep" };
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line, column } = textPosition(text, error.pos[0]);
    return { ok: false, message: `not valid YAML at line ${line}, column ${column} (${error.code})`, problem: "syntax" };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { ok: false, message: "not readable YAML (too many aliases)", problem: "syntax" };
  }
  const deepValue = findDeepValue(value);
  return deepValue ? { ok: false, message: describeTooDeep(deepValue), problem: "too-deep" } : { ok: true, value };
}

function refused(what: string, read: { message: string; problem: "too-deep" | "syntax" }, hint: string): IhubError {
  if (read.problem === "too-deep") return new IhubError("IH_RUN_NESTING_TOO_DEEP", `${what}: ${read.message}`, { hint: TOO_DEEP_HINT, exitCode: EXIT.usage });
  return new UsageError(`${what}: ${read.message}`, hint);
}

export async function parseJsonArg(flag: string, value: string, cwd = process.cwd()): Promise<unknown> {
  if (value.startsWith("@")) {
    const file = path.resolve(cwd, value.slice(1));
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${flag} ${value}: cannot read ${value.slice(1)} (${error.code ?? error.message})`, "Pass @ followed by the path of a JSON or YAML file.");
    });
    const read = /\.ya?ml$/i.test(file) ? readYaml(text) : readJson(text);
    if (read.ok) return read.value;
    throw refused(`${flag} ${value}`, read, "The file must hold one JSON (or, for .yaml files, YAML) value.");
  }
  const read = readJson(value);
  if (read.ok) return read.value;
  throw refused(flag, read, `Quote the value for the shell, e.g. ${flag} '{"key":"value"}', or pass ${flag} @file.json.`);
}

/** The same for a flag whose value must be a JSON object (config, credentials, bindings). */
export async function parseObjectArg(flag: string, value: string, cwd = process.cwd()): Promise<Record<string, unknown>> {
  const parsed = await parseJsonArg(flag, value, cwd);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`${flag} must be a JSON object`, `For example ${flag} '{"key":"value"}'.`);
  return parsed as Record<string, unknown>;
}
