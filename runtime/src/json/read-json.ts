/**
 * The one reader of JSON text that someone else wrote: the nesting limit first (nesting-depth.ts),
 * then JSON.parse. A failure says where and what kind, never what: Node's JSON.parse messages
 * quote the text around the error, and that text may be a credential or a token.
 */
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { describeTooDeep, findDeepText } from "./nesting-depth.js";
import { textPosition, type TextPosition } from "./text-position.js";

export type JsonProblem = { problem: "too-deep" | "syntax"; message: string; position: TextPosition; pointer: string | null };

export type JsonRead = { ok: true; value: unknown } | ({ ok: false } & JsonProblem);

/** Where JSON.parse failed and why, by jsonc-parser's strict settings; safe to call because the nesting is already bounded. */
function syntaxProblem(text: string): JsonProblem {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const position = textPosition(text, first?.offset ?? 0);
  const what = first ? printParseErrorCode(first.error) : "unexpected content";
  return { problem: "syntax", message: `not valid JSON at line ${position.line}, column ${position.column} (${what})`, position, pointer: null };
}

export function readJson(text: string): JsonRead {
  const deep = findDeepText(text, "json");
  if (deep) {
    const position = textPosition(text, deep.offset!);
    return { ok: false, problem: "too-deep", message: `${describeTooDeep(deep)} (line ${position.line}, column ${position.column})`, position, pointer: deep.pointer };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, ...syntaxProblem(text) };
  }
}
