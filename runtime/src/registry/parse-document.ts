import type { z } from "zod";
import { toPointer } from "../json/json-pointer.js";
import { RegistryError } from "./registry-error.js";

/** JSON bytes from a registry -> a validated document, or REG_BAD_DOCUMENT pointing at the first problem. */
export function parseDocument<S extends z.ZodType>(bytes: Uint8Array, schema: S, where: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new RegistryError("REG_BAD_DOCUMENT", `${where} is not valid JSON`, { file: where, cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const pointer = toPointer(issue.path);
    throw new RegistryError("REG_BAD_DOCUMENT", `${where}${pointer}: ${issue.message}`, { file: where, pointer, hint: "The registry serves a malformed document: refused." });
  }
  return parsed.data;
}
