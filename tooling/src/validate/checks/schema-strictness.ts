/**
 * What ajv's strict mode would refuse in an embedded JSON Schema, found by walking the schema
 * instead of compiling it: unknown keywords (usually typos such as `patern`), patterns that are
 * not valid regular expressions, unknown formats, and `$ref`s that point nowhere.
 *
 * Compiling generates and evaluates code per schema (about 2.5 ms each); a repository of a
 * thousand integrations embeds seven thousand schemas, so compiling them dominated a full run.
 * The walk takes which keywords and formats the embedded-schema ajv knows (see ../ajv/), so its
 * vocabulary is the library's, not a hand-kept list. The meta-schema check (the other half of schema validity)
 * runs first, so the shapes walked here are already right.
 */
import { toPointer } from "@ihub/runtime/json";

export type StrictProblem = { pointer: string; key: boolean; message: string };

/** The keywords and formats an ajv instance knows. */
export type Vocabulary = { keywords: ReadonlySet<string>; formats: ReadonlySet<string> };

/** Keywords whose value is one subschema, an array of them, or a map of them (JSON Schema 2020-12 applicators). */
const ONE = new Set(["additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const MANY = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const MAP = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);

/** Core keywords ajv resolves but does not register as keywords (its strict mode calls them unknown; its validator honours them). */
const RESOLVED_BY_AJV = new Set(["$anchor"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function regexProblem(source: string): string | null {
  try {
    // ajv compiles patterns with the `u` flag (unicodeRegExp), so the same must parse here.
    new RegExp(source, "u");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every `$anchor` and `$dynamicAnchor` of the schema, as `#name`. */
function anchors(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) anchors(s, out);
  else if (isObject(schema)) {
    for (const k of ["$anchor", "$dynamicAnchor"]) if (typeof schema[k] === "string") out.add(`#${schema[k]}`);
    for (const v of Object.values(schema)) anchors(v, out);
  }
  return out;
}

function resolvesLocally(root: unknown, ref: string, known: Set<string>): boolean {
  if (ref === "#" || known.has(ref)) return true;
  if (!ref.startsWith("#/")) return false;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return false;
  }
  return node !== undefined;
}

export function strictProblems(schema: unknown, { keywords: known, formats }: Vocabulary): StrictProblem[] {
  const anchorNames = anchors(schema);
  const out: StrictProblem[] = [];
  const walk = (node: unknown, at: (string | number)[]) => {
    if (!isObject(node)) return; // booleans are schemas too, with nothing inside
    for (const [key, value] of Object.entries(node)) {
      const here = toPointer([...at, key]);
      if (!known.has(key) && !RESOLVED_BY_AJV.has(key)) out.push({ pointer: here, key: true, message: `unknown keyword "${key}"` });
      else if (key === "pattern" && typeof value === "string") {
        const problem = regexProblem(value);
        if (problem) out.push({ pointer: here, key: false, message: `pattern is not a valid regular expression: ${problem}` });
      } else if (key === "format" && typeof value === "string" && !formats.has(value)) {
        out.push({ pointer: here, key: false, message: `unknown format "${value}"` });
      } else if ((key === "$ref" || key === "$dynamicRef") && typeof value === "string" && !resolvesLocally(schema, value, anchorNames)) {
        out.push({ pointer: here, key: false, message: `${key} "${value}" does not resolve inside this schema (embedded schemas cannot reference other documents)` });
      }
      if (ONE.has(key)) walk(value, [...at, key]);
      else if (MANY.has(key) && Array.isArray(value)) value.forEach((s, i) => walk(s, [...at, key, i]));
      else if (MAP.has(key) && isObject(value)) {
        for (const [name, s] of Object.entries(value)) {
          if (key === "patternProperties") {
            const problem = regexProblem(name);
            if (problem) out.push({ pointer: toPointer([...at, key, name]), key: true, message: `patternProperties key is not a valid regular expression: ${problem}` });
          }
          walk(s, [...at, key, name]);
        }
      }
    }
  };
  walk(schema, []);
  return out;
}
