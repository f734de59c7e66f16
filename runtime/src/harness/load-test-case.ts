/**
 * Reads one case file (`*.test.json` or `*.test.yaml`) into a TestCase, or into problems that
 * name the file, the line and the JSON pointer: a contributor sees where to edit, never a stack
 * trace. Positions always come from the YAML parser (JSON is YAML 1.2), so both formats report
 * them alike; plain JSON is read with JSON.parse (see strict-json.ts) and only pays for the YAML
 * parser when a position is asked for.
 */
import { readFile } from "node:fs/promises";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { CaseProblem } from "./case-result.js";
import { fromPointer, toPointer } from "../json/json-pointer.js";
import { describeTooDeep, findDeepText, findDeepValue } from "../json/nesting-depth.js";
import { textPosition } from "../json/read-json.js";
import { parseStrictJson } from "./strict-json.js";
import { testCaseSchema, type TestCase } from "./test-case-schema.js";

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

/** Parses case text; `file` is only used to name the problems. */
export function parseTestCase(file: string, text: string): LoadCaseResult {
  // Before any parser: JSON text is YAML, so the YAML scan covers both formats.
  const deepText = findDeepText(text, "yaml");
  if (deepText) {
    const pos = textPosition(text, deepText.offset!);
    return { ok: false, tooDeep: true, problems: [{ file, pointer: deepText.pointer ?? "", line: pos.line, column: pos.column, message: describeTooDeep(deepText) }] };
  }
  const json = parseStrictJson(text);
  let yaml: ParsedYaml | undefined;
  const locate = locator(() => (yaml ??= parseYaml(text)));
  const problem = (pointer: string, message: string, pos: CasePosition | null = locate(pointer)): CaseProblem => ({ file, pointer, line: pos?.line ?? null, column: pos?.column ?? null, message });
  let value: unknown;
  if (json) value = json.value;
  else {
    const { doc, lines } = (yaml = parseYaml(text));
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          return problem("", `does not parse: ${e.message.split("\n")[0]}`, { line: pos.line, column: pos.col });
        }),
      };
    }
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      return { ok: false, problems: [problem("", `cannot be read: ${(error as Error).message}`)] };
    }
  }
  const deepValue = findDeepValue(value);
  if (deepValue) return { ok: false, tooDeep: true, problems: [problem(deepValue.pointer!, describeTooDeep(deepValue))] };
  const parsed = testCaseSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.flatMap((issue) => {
        const base = issue.path.map((s) => (typeof s === "symbol" ? String(s) : s));
        if (issue.code === "unrecognized_keys") return issue.keys.map((k) => problem(toPointer([...base, k]), `unknown property "${k}"`));
        return [problem(toPointer(base), issue.message)];
      }),
    };
  }
  const semantic = semanticProblems(parsed.data);
  if (semantic.length > 0) return { ok: false, problems: semantic.map((s) => problem(s.pointer, s.message)) };
  return { ok: true, loaded: { file, case: parsed.data, locate } };
}

export async function loadTestCase(absPath: string, file: string = absPath): Promise<LoadCaseResult> {
  let text: string;
  try {
    text = await readFile(absPath, "utf8");
  } catch (error) {
    return { ok: false, problems: [{ file, pointer: "", line: null, column: null, message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseTestCase(file, text);
}
