/**
 * Parses a JSON or YAML file (test cases, OpenAPI documents) into a value plus a way to map a
 * JSON pointer back to `line:column`. JSON text goes through JSON.parse first: it is an order of
 * magnitude faster than a YAML parser on large documents, and since JSON is YAML the value is
 * the same. Only YAML text, or JSON that does not parse, pays for the YAML parser. Nesting past
 * the limit of every reader (nesting-depth.ts) is refused before either parser runs, or after
 * parsing for YAML block nesting, which no bracket shows.
 */
import { isMap, isNode, isScalar, parseDocument, type Document } from "yaml";
import { describeTooDeep, findDeepText, findDeepValue, fromPointer } from "@ihub/runtime/json";
import { LineIndex } from "@ihub/runtime/json";
import { JsonLocator, type Position } from "./source-position.js";

/** Aliases in YAML can expand exponentially ("billion laughs"); real documents need a handful. */
const MAX_ALIAS_COUNT = 100;

export type StructuredText =
  | { ok: true; value: unknown; locate(pointer: string): Position }
  | { ok: false; message: string; position: Position | null; tooDeep?: { pointer: string | null } };

/** Position of the key at `segments` (or of the value in a list), else of its deepest existing ancestor. */
function positionInYaml(doc: Document, lines: LineIndex, segments: readonly string[]): Position {
  const keyOf = (s: string, parent: unknown) => (isMap(parent) ? s : /^\d+$/.test(s) ? Number(s) : s);
  const path: (string | number)[] = [];
  let parentNode: unknown = doc.contents;
  for (const s of segments) {
    path.push(keyOf(s, parentNode));
    parentNode = doc.getIn(path, true);
  }
  const parent = path.length ? (path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)) : null;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === segments.at(-1));
    if (pair && isNode(pair.key) && pair.key.range) return lines.position(pair.key.range[0]);
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.position(node.range[0]);
  }
  return { line: 1, column: 1 };
}

function parseYaml(text: string): StructuredText {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    // Without prettyErrors the parser leaves linePos out; the offset says the same.
    const at = error.linePos?.[0];
    const position = at ? { line: at.line, column: at.col } : new LineIndex(text).position(error.pos[0]);
    return { ok: false, message: error.message.split("\n")[0]!, position };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { ok: false, message: (e as Error).message, position: null };
  }
  let lines: LineIndex | undefined;
  return { ok: true, value, locate: (pointer) => positionInYaml(doc, (lines ??= new LineIndex(text)), fromPointer(pointer)) };
}

function checkedDepth(parsed: StructuredText): StructuredText {
  if (!parsed.ok) return parsed;
  const deep = findDeepValue(parsed.value);
  if (!deep) return parsed;
  return { ok: false, message: describeTooDeep(deep), position: parsed.locate(deep.pointer!), tooDeep: { pointer: deep.pointer } };
}

export function parseStructured(text: string): StructuredText {
  const deep = findDeepText(text, "yaml");
  if (deep) return { ok: false, message: describeTooDeep(deep), position: new LineIndex(text).position(deep.offset!), tooDeep: { pointer: deep.pointer } };
  return checkedDepth(parseUnchecked(text));
}

function parseUnchecked(text: string): StructuredText {
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") {
    try {
      const value: unknown = JSON.parse(text);
      const locator = new JsonLocator(text);
      return { ok: true, value, locate: (pointer) => locator.locate(pointer, true) };
    } catch {
      // Not JSON after all (YAML flow style, or a syntax error): the YAML parser says where.
    }
  }
  return parseYaml(text);
}
