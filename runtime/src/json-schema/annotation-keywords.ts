/**
 * Keywords an embedded schema may carry that JSON Schema does not define. 2020-12 treats any
 * unknown keyword as an annotation; `ihub validate` accepts these silently and warns about any
 * other, since a keyword outside this set is more often a typo (`minLenght`) than a hint.
 * The catalog shows `label` and `help_text` beside each field.
 */

/** Form hints real manifests carry, documented in docs/validate.md. */
export const UI_HINT_KEYWORDS = ["label", "help_text", "placeholder", "order", "group", "widget", "hidden", "multiline", "enumNames"] as const;

const UI_HINTS: ReadonlySet<string> = new Set(UI_HINT_KEYWORDS);

/** True for a UI hint or an `x-` extension keyword. */
export function isAnnotationKeyword(key: string): boolean {
  return key.startsWith("x-") || UI_HINTS.has(key);
}
