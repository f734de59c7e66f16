/** RFC 6901 pointers into case files: `["a", "b/c"]` <-> `/a/b~1c`. */
export function toPointer(segments: readonly PropertyKey[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function fromPointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
