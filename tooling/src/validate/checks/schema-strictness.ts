/**
 * What is wrong or doubtful in an embedded JSON Schema beyond its meta-schema (which is checked
 * first, so the shapes walked here are right), found by walking the schema instead of compiling
 * it: compiling generates and evaluates code per schema (milliseconds each), and a repository of
 * a thousand integrations embeds thousands of schemas.
 *
 * - IH040 (error): a pattern that is not a regular expression, a reference to a pointer or anchor
 *   this schema does not have, references that loop without reaching into the value.
 * - IH047 (warning): a keyword neither JSON Schema nor a known annotation (see
 *   @ihub/runtime/json-schema), most often a typo; the message names the keyword probably meant.
 * - IH048 (warning): a format no validator here knows; it stays an annotation.
 * - IH049 (error): a reference to another document, which a bundle does not carry.
 *
 * Which keywords and formats exist comes from the embedded-schema ajv (see ../ajv/), so the
 * vocabulary is the library's, not a hand-kept list.
 */
import { closest, distance } from "fastest-levenshtein";
import { isAnnotationKeyword } from "@ihub/runtime/json-schema";
import { toPointer } from "@ihub/runtime/json";
import type { FindingCode } from "../codes.js";
import { loopingReferences } from "./reference-loops.js";
import { schemaReferences, type Reference } from "./schema-references.js";
import { forEachSubschema, isSchemaObject } from "./subschemas.js";

export type StrictProblem = { code: Extract<FindingCode, "IH040" | "IH047" | "IH048" | "IH049">; pointer: string; key: boolean; message: string };

/** The keywords and formats an ajv instance knows. */
export type Vocabulary = { keywords: ReadonlySet<string>; formats: ReadonlySet<string> };

/** Core keywords ajv resolves but does not register as keywords (its strict mode calls them unknown; its validator honours them). */
const RESOLVED_BY_AJV = new Set(["$anchor"]);

function regexProblem(source: string): string | null {
  try {
    // ajv compiles patterns with the `u` flag (unicodeRegExp), so the same must parse here.
    new RegExp(source, "u");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The known keyword `key` is probably a misspelling of: same letters in another case, or at most two edits away (`minLenght`, `requried`). */
export function probableKeyword(key: string, known: ReadonlySet<string>): string | null {
  const lower = key.toLowerCase();
  for (const k of known) if (k.toLowerCase() === lower) return k;
  if (key.length < 4) return null;
  const candidate = closest(key, [...known]);
  return distance(key, candidate) <= 2 ? candidate : null;
}

function referenceProblem(ref: Reference): StrictProblem | null {
  const at = { pointer: ref.pointer, key: false };
  switch (ref.target) {
    case "local":
    case "meta-schema":
      return null;
    case "missing":
      return { code: "IH040", ...at, message: `${ref.keyword} "${ref.value}" does not resolve: this schema has no ${ref.uri.includes("#/") ? "such location" : "such anchor"} (${ref.uri})` };
    case "invalid":
      return { code: "IH040", ...at, message: `${ref.keyword} "${ref.value}" is not a URI reference` };
    case "remote":
      return { code: "IH049", ...at, message: `${ref.keyword} "${ref.value}" points to another document (${ref.uri})` };
  }
}

export function strictProblems(schema: unknown, { keywords: known, formats }: Vocabulary): StrictProblem[] {
  const out: StrictProblem[] = [];
  const walk = (node: unknown, at: (string | number)[]) => {
    if (!isSchemaObject(node)) return; // booleans are schemas too, with nothing inside
    for (const [key, value] of Object.entries(node)) {
      const here = toPointer([...at, key]);
      if (!known.has(key) && !RESOLVED_BY_AJV.has(key)) {
        if (isAnnotationKeyword(key)) continue;
        const meant = probableKeyword(key, known);
        out.push({ code: "IH047", pointer: here, key: true, message: meant ? `unknown keyword "${key}": did you mean "${meant}"?` : `unknown keyword "${key}" (kept as an annotation)` });
      } else if (key === "pattern" && typeof value === "string") {
        const problem = regexProblem(value);
        if (problem) out.push({ code: "IH040", pointer: here, key: false, message: `pattern is not a valid regular expression: ${problem}` });
      } else if (key === "format" && typeof value === "string" && !formats.has(value)) {
        out.push({ code: "IH048", pointer: here, key: false, message: `unknown format "${value}" (kept as an annotation, not validated)` });
      } else if (key === "patternProperties" && isSchemaObject(value)) {
        for (const name of Object.keys(value)) {
          const problem = regexProblem(name);
          if (problem) out.push({ code: "IH040", pointer: toPointer([...at, key, name]), key: true, message: `patternProperties key is not a valid regular expression: ${problem}` });
        }
      }
    }
    forEachSubschema(node, (sub, segments) => walk(sub, [...at, ...segments]));
  };
  walk(schema, []);
  const references = schemaReferences(schema);
  for (const ref of references) {
    const problem = referenceProblem(ref);
    if (problem) out.push(problem);
  }
  for (const ref of loopingReferences(schema, references)) {
    out.push({ code: "IH040", pointer: ref.pointer, key: false, message: `${ref.keyword} "${ref.value}" leads back to itself without reaching into the value: validating would never end` });
  }
  return out;
}
