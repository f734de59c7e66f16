import type { z } from "zod";
import { toPointer } from "../json/json-pointer.js";
import { readJson } from "../json/read-json.js";
import { RegistryError } from "./registry-error.js";

/** JSON bytes from a registry -> a validated document, or REG_BAD_DOCUMENT pointing at the first problem. */
export function parseDocument<S extends z.ZodType>(bytes: Uint8Array, schema: S, where: string): z.infer<S> {
  const json = readJson(Buffer.from(bytes).toString("utf8"));
  if (!json.ok) {
    throw new RegistryError("REG_BAD_DOCUMENT", `${where} ${json.problem === "too-deep" ? "is refused:" : "is"} ${json.message}`, { file: where, ...(json.pointer ? { pointer: json.pointer } : {}) });
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const pointer = toPointer(issue.path);
    throw new RegistryError("REG_BAD_DOCUMENT", `${where}${pointer}: ${issue.message}`, { file: where, pointer, hint: "The registry serves a malformed document: refused." });
  }
  return parsed.data;
}
