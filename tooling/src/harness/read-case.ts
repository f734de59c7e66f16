/**
 * The parts of reading a case file that need no schema library: the text parsed (JSON or YAML)
 * with a way to point into it, and a shape check's verdict turned into a TestCase or problems
 * that name the file, the line and the JSON pointer: a contributor sees where to edit, never a
 * stack trace. Positions always come from the YAML parser (JSON is YAML 1.2), so both formats
 * report them alike; plain JSON is read with JSON.parse (see strict-json.ts) and only pays for
 * the YAML parser when a position is asked for. load-test-case.ts checks the shape with zod;
 * `ihub validate` checks it with the schema generated from zod and needs zod only to word a
 * rejected case's problems.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { CaseProblem } from "./case-result.js";
import { describeTooDeep, findDeepText, findDeepValue, fromPointer, textPosition, toPointer } from "@ihub/runtime/json";
import { parseStrictJson } from "./strict-json.js";
import type { TestCase } from "./test-case-schema.js";

export type CasePosition = { line: number; column: number };
export type { CaseProblem };

export type LoadedCase = {
  file: string;
  case: TestCase;
  /** Line and column of the value (or property key) at a JSON pointer, else of its deepest existing parent. */
  locate(pointer: string): CasePosition;
};

/** `tooDeep`: the one problem is the nesting limit (nesting-depth.ts), which validate reports under its own code. */
export type LoadCaseResult = { ok: true; loaded: LoadedCase } | { ok: false; problems: CaseProblem[]; tooDeep?: true };

/** A parsed case file whose shape is not checked yet. */
export type CaseText = { file: string; value: unknown; locate(pointer: string): CasePosition };

/** What a shape check says: zod's safeParse result, or the same form from a check that accepted the value. */
export type CaseShape = z.ZodSafeParseResult<TestCase>;

export const CASE_FILE = /\.test\.(json|ya?ml)$/;

type ParsedYaml = { doc: Document; lines: LineCounter };

function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
}

/** Walks the YAML node tree; numeric segments index sequences, so "/fixtures/http/0" works. */
function locator(yaml: () => ParsedYaml): (pointer: string) => CasePosition {
  return (pointer) => {
    const { doc, lines } = yaml();
    let node: unknown = doc.contents;
    let best = isNode(node) && node.range ? node.range[0] : 0;
    for (const segment of fromPointer(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) best = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && /^\d+$/.test(segment)) {
        node = node.items[Number(segment)];
        if (!isNode(node)) break;
        if (node.range) best = node.range[0];
      } else break;
    }
    const p = lines.linePos(best);
    return { line: p.line, column: p.col };
  };
}

/** Checks the schema cannot express: one outcome per case, one outcome per HTTP fixture. */
function semanticProblems(c: TestCase): { pointer: string; message: string }[] {
  const out: { pointer: string; message: string }[] = [];
  if (c.expect.output !== undefined && c.expect.error !== undefined) out.push({ pointer: "/expect/error", message: "expect.output and expect.error exclude each other: a call either returns or fails" });
  if (c.clock !== undefined && Number.isNaN(Date.parse(c.clock))) out.push({ pointer: "/clock", message: `clock ${JSON.stringify(c.clock)} is not an ISO 8601 time` });
  for (const [i, f] of (c.fixtures?.http ?? []).entries()) {
    if ((f.response === undefined) === (f.error === undefined)) out.push({ pointer: `/fixtures/http/${i}`, message: "an HTTP fixture has either a response or an error" });
  }
  if (c.event !== undefined && c.input !== undefined) out.push({ pointer: "/input", message: "an event case passes its input as event.payload; drop input" });
  return out;
}

const problemAt = (file: string, pointer: string, message: string, pos: CasePosition | null): CaseProblem => ({ file, pointer, line: pos?.line ?? null, column: pos?.column ?? null, message });

/** Parses case text; `file` is only used to name the problems. */
/** YAML block indentation has no brackets for the text scan to count, so the parsed value is measured too. */
function withinDepth(read: CaseText): { ok: true; read: CaseText } | { ok: false; problems: CaseProblem[]; tooDeep: true } {
  const deep = findDeepValue(read.value);
  if (!deep) return { ok: true, read };
  return { ok: false, tooDeep: true, problems: [problemAt(read.file, deep.pointer!, describeTooDeep(deep), read.locate(deep.pointer!))] };
}

export function readCaseText(file: string, text: string): { ok: true; read: CaseText } | { ok: false; problems: CaseProblem[]; tooDeep?: true } {
  // Before any parser: JSON text is YAML, so the YAML scan covers both formats.
  const deepText = findDeepText(text, "yaml");
  if (deepText) {
    const pos = textPosition(text, deepText.offset!);
    return { ok: false, tooDeep: true, problems: [problemAt(file, deepText.pointer ?? "", describeTooDeep(deepText), { line: pos.line, column: pos.column })] };
  }
  const json = parseStrictJson(text);
  let yaml: ParsedYaml | undefined;
  const locate = locator(() => (yaml ??= parseYaml(text)));
  if (json) return withinDepth({ file, value: json.value, locate });
  const { doc, lines } = (yaml = parseYaml(text));
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return problemAt(file, "", `does not parse: ${e.message.split("\n")[0]}`, { line: pos.line, column: pos.col });
      }),
    };
  }
  try {
    return withinDepth({ file, value: doc.toJS({ maxAliasCount: 100 }), locate });
  } catch (error) {
    return { ok: false, problems: [problemAt(file, "", `cannot be read: ${(error as Error).message}`, locate(""))] };
  }
}

/** The case, or its problems: the shape check's issues first, then what the schema cannot express. */
export function caseFromShape({ file, locate }: CaseText, shape: CaseShape): LoadCaseResult {
  const problem = (pointer: string, message: string) => problemAt(file, pointer, message, locate(pointer));
  if (!shape.success) {
    return {
      ok: false,
      problems: shape.error.issues.flatMap((issue) => {
        const base = issue.path.map((s) => (typeof s === "symbol" ? String(s) : s));
        if (issue.code === "unrecognized_keys") return issue.keys.map((k) => problem(toPointer([...base, k]), `unknown property "${k}"`));
        return [problem(toPointer(base), issue.message)];
      }),
    };
  }
  const semantic = semanticProblems(shape.data);
  if (semantic.length > 0) return { ok: false, problems: semantic.map((s) => problem(s.pointer, s.message)) };
  return { ok: true, loaded: { file, case: shape.data, locate } };
}
