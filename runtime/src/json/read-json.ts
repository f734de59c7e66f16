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

/** jsonc-parser's error names in words a person who wrote the JSON understands. */
const PLAIN: Record<Exclude<ReturnType<typeof printParseErrorCode>, "<unknown ParseErrorCode>">, string> = {
  InvalidSymbol: "unexpected text: strings and property names take double quotes, and true, false and null are lower case",
  InvalidNumberFormat: "a malformed number (no leading zeros, plus signs or trailing dots)",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between two entries",
  CloseBraceExpected: "an object is not closed: expected ',' or '}'",
  CloseBracketExpected: "an array is not closed: expected ',' or ']'",
  EndOfFileExpected: "more text after the end of the document",
  InvalidCommentToken: "a comment, which JSON does not allow",
  UnexpectedEndOfComment: "a comment that is not closed (JSON does not allow comments)",
  UnexpectedEndOfString: "a string that is not closed on its line (write a line break inside a string as \\n)",
  UnexpectedEndOfNumber: "a number that is cut short",
  InvalidUnicode: "a \\u escape without four hex digits",
  InvalidEscapeCharacter: 'an unknown escape in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
  InvalidCharacter: "a control character inside a string (write a tab as \\t)",
};

/** What went wrong at `offset`, in plain words; a comma right before a closing bracket is the usual cause. */
function plainReason(text: string, offset: number, code: string): string {
  const closing = text[offset];
  if ((closing === "}" || closing === "]") && /,\s*$/.test(text.slice(Math.max(0, offset - 200), offset))) {
    return `a comma before '${closing}' (JSON allows no trailing comma)`;
  }
  if (code === "ValueExpected" && text.slice(offset).trim() === "") return "the text ends where a value was expected";
  if (code === "CommaExpected" && (closing === "}" || closing === "]")) return `'${closing}' does not close the array or object open here: expected ',' or its own closing bracket`;
  return Object.hasOwn(PLAIN, code) ? PLAIN[code as keyof typeof PLAIN] : "unexpected content";
}

/** Where JSON.parse failed and why, by jsonc-parser's strict settings; safe to call because the nesting is already bounded. */
function syntaxProblem(text: string): JsonProblem {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const position = textPosition(text, first?.offset ?? 0);
  const reason = first ? plainReason(text, first.offset, printParseErrorCode(first.error)) : "unexpected content";
  return { problem: "syntax", message: `not valid JSON at line ${position.line}, column ${position.column}: ${reason}`, position, pointer: null };
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
