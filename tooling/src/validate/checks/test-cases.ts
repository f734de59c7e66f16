/**
 * tests/ holds valid test cases (runtime/src/harness/test-case-schema.ts, JSON or YAML), each
 * naming a declared handler, and at least one case per handler.
 */
import { readdir } from "node:fs/promises";
import { isMap, isNode, isScalar, parseDocument, type Document } from "yaml";
import { testCaseSchema } from "../../../../runtime/src/harness/test-case-schema.js";
import type { CheckContext } from "../integration-context.js";
import { LineIndex, toPointer, type Position } from "../source-position.js";

export const TESTS_DIR = "tests";
const TEST_FILE = /\.test\.(json|ya?ml)$/;

/** Position of the key of the node at `segments` (or of the value in a list), else of its deepest existing ancestor. */
function positionIn(doc: Document, lines: LineIndex, segments: readonly PropertyKey[]): Position {
  const parent = segments.length ? (segments.length === 1 ? doc.contents : doc.getIn(segments.slice(0, -1), true)) : null;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === segments.at(-1));
    if (pair && isNode(pair.key) && pair.key.range) return lines.position(pair.key.range[0]);
  }
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return lines.position(node.range[0]);
  }
  return { line: 1, column: 1 };
}

export async function checkTestCases(ctx: CheckContext): Promise<void> {
  const entries = await readdir(ctx.abs(TESTS_DIR), { withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && TEST_FILE.test(e.name)).map((e) => `${TESTS_DIR}/${e.name}`).sort();
  const covered = new Set<string>();
  for (const file of files) {
    const read = await ctx.read(file);
    if (!read.ok) {
      ctx.report(read.code, read.message, { file });
      continue;
    }
    const text = read.bytes.toString("utf8");
    const lines = new LineIndex(text);
    const doc = parseDocument(text, { prettyErrors: false });
    const parseError = doc.errors[0];
    if (parseError) {
      const at = parseError.linePos?.[0];
      ctx.report("IH081", `${file} does not parse: ${parseError.message.split("\n")[0]}`, { file, position: at ? { line: at.line, column: at.col } : null });
      continue;
    }
    const parsed = testCaseSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const segments = issue.path.map((s) => (typeof s === "symbol" ? String(s) : s));
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
        for (const key of keys) {
          const full = key === undefined ? segments : [...segments, key];
          ctx.report("IH081", `${file}: ${toPointer(full) || "/"}: ${key === undefined ? issue.message : `unknown property "${key}"`}`, {
            file,
            pointer: toPointer(full),
            position: positionIn(doc, lines, full),
          });
        }
      }
      continue;
    }
    const handler = parsed.data.handler;
    if (ctx.manifest.handlers[handler]) covered.add(handler);
    else {
      ctx.report("IH082", `${file}: handler "${handler}" is not declared in the manifest (declared: ${Object.keys(ctx.manifest.handlers).join(", ")})`, {
        file,
        pointer: "/handler",
        position: positionIn(doc, lines, ["handler"]),
      });
    }
  }
  for (const name of Object.keys(ctx.manifest.handlers)) {
    if (!covered.has(name)) ctx.reportAt("IH080", `handler "${name}" has no test case under ${TESTS_DIR}/`, toPointer(["handlers", name]), true);
  }
}
