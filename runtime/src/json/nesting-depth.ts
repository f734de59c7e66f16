/**
 * The one nesting limit of every JSON and YAML reader (manifests, test cases, shared module
 * manifests, OpenAPI documents, registry indexes, request bodies, `ihub run` arguments). The
 * parsers and validators behind them recurse: jsonc-parser overflows the stack ~5,000 levels
 * down, ajv ~700 schema levels down, yaml's flow parser runs out of memory (a fatal, uncatchable
 * error) a few thousand `[` deep. Real documents nest a few dozen levels, so text is scanned
 * before any parser sees it, in one pass and without recursion, and a value built some other way
 * (YAML block nesting, which the scan cannot see) is measured the same way after parsing.
 */
import { toPointer } from "./json-pointer.js";

/** Generous for real documents (OpenAPI nests deepest, ~30), far below where any parser fails. */
export const MAX_NESTING_DEPTH = 100;

/** Where nesting first goes past the limit: the offset of the opening bracket (text only) and the pointer of the too-deep value. */
export type TooDeep = { offset: number | null; pointer: string | null; limit: number };

/** One line for every reader's error: no content of the document, only where. */
export function describeTooDeep(t: TooDeep): string {
  return `nesting deeper than ${t.limit} levels${t.pointer ? ` at ${t.pointer}` : ""}`;
}

type Level = { array: boolean; index: number; key: string | null; expectKey: boolean };

function quotedEnd(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c) i++;
    else if (c === quote) {
      // YAML escapes a single quote by doubling it.
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
      else return i + 1;
    }
  }
  return text.length;
}

function keyOf(raw: string, quote: number): string {
  if (quote === 0x27) return raw.slice(1, -1).replace(/''/g, "'");
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw.slice(1, -1);
  }
}

/** Segments of the open levels as far as their keys are known; the first unknown key ends the pointer. */
function pointerOf(stack: readonly Level[]): string {
  const segments: (string | number)[] = [];
  for (const level of stack) {
    if (level.array) segments.push(level.index);
    else if (level.key !== null) segments.push(level.key);
    else break;
  }
  return toPointer(segments);
}

/**
 * The first place where `[`/`{` nesting in a JSON (or YAML flow) text passes `limit`, or null.
 * Brackets inside double-quoted strings do not count, nor (YAML) inside single-quoted strings of
 * a flow collection or in comments. A YAML plain scalar holding brackets may count: an error on
 * the safe side. The pointer is null when the brackets do not start at the document's root.
 */
export function findDeepText(text: string, syntax: "json" | "yaml", limit = MAX_NESTING_DEPTH): TooDeep | null {
  const yaml = syntax === "yaml";
  const stack: Level[] = [];
  let rooted: boolean | null = null;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const top = stack.at(-1);
    if (c === 0x22 || (yaml && c === 0x27 && top)) {
      const end = quotedEnd(text, i, c);
      if (top && !top.array && top.expectKey) {
        top.key = keyOf(text.slice(i, end), c);
        top.expectKey = false;
      }
      rooted ??= false;
      i = end;
      continue;
    }
    if (yaml && c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? text.length : eol;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      rooted ??= true;
      if (stack.length >= limit) return { offset: i, pointer: rooted ? pointerOf(stack) : null, limit };
      stack.push({ array: c === 0x5b, index: 0, key: null, expectKey: c === 0x7b });
    } else if (c === 0x5d || c === 0x7d) {
      stack.pop();
    } else if (c === 0x2c && top) {
      top.index++;
      top.key = null;
      top.expectKey = !top.array;
    } else if (rooted === null && !/\s/.test(text[i]!)) {
      rooted = false;
    }
    i++;
  }
  return null;
}

/** The first value nested deeper than `limit` in an already parsed value (YAML block nesting), or null. Iterative, so any depth is safe. */
export function findDeepValue(value: unknown, limit = MAX_NESTING_DEPTH): TooDeep | null {
  type Frame = { value: unknown; depth: number; parent: Frame | null; segment: string };
  const pending: Frame[] = [{ value, depth: 0, parent: null, segment: "" }];
  for (let frame = pending.pop(); frame; frame = pending.pop()) {
    if (typeof frame.value !== "object" || frame.value === null) continue;
    if (frame.depth >= limit) {
      const segments: string[] = [];
      for (let f: Frame | null = frame; f?.parent; f = f.parent) segments.unshift(f.segment);
      return { offset: null, pointer: toPointer(segments), limit };
    }
    for (const [key, child] of Object.entries(frame.value)) pending.push({ value: child, depth: frame.depth + 1, parent: frame, segment: key });
  }
  return null;
}
