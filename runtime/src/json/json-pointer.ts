/**
 * RFC 6901 JSON pointers, the one way every layer names a place in a JSON document (findings,
 * registry refusals, test-case problems, version reasons): `["a", "b/c"]` <-> `/a/b~1c`.
 */

/** Segments (object keys, array indexes, zod issue paths) -> a pointer; `[]` is the whole document, "". */
export function toPointer(segments: readonly PropertyKey[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** A pointer -> its unescaped segments. */
export function fromPointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `base` (already a pointer) extended by unescaped `keys`. */
export function joinPointer(base: string, ...keys: readonly PropertyKey[]): string {
  return base + toPointer(keys);
}
