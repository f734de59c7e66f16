/**
 * tests/ holds valid test cases (JSON or YAML), each naming a declared handler, and at least one
 * case per handler. Each file is read with the harness's own reader (tooling/src/harness/
 * read-case.ts), so `ihub validate` and `ihub test` accept and reject the same cases, with the
 * same lines and pointers.
 */
import { TESTS_DIR } from "@ihub/runtime/layout";
import { CASE_FILE, caseFromShape, readCaseText, type LoadCaseResult } from "../../harness/read-case.js";
import type { TestCase } from "../../harness/test-case-schema.js";
import { validator } from "../ajv/validator.js";
import type { CheckContext } from "../integration-context.js";
import { listFolder, textOf } from "../read-inside.js";
import { toPointer } from "@ihub/runtime/json";


/**
 * The harness checks a case's shape with zod; here the (precompiled) schema generated from the
 * same definition decides, filling in the same defaults, since it accepts exactly the cases zod
 * accepts (see test-case-shape.test.ts). zod, hundreds of modules, loads only to word the
 * problems of a rejected case as `ihub test` would.
 */
async function parseCase(file: string, text: string): Promise<LoadCaseResult> {
  const parsed = readCaseText(file, text);
  if (!parsed.ok) return parsed;
  if ((await validator("test-case"))(parsed.read.value)) return caseFromShape(parsed.read, { success: true, data: parsed.read.value as TestCase });
  const { testCaseSchema } = await import("../../harness/test-case-schema.js");
  return caseFromShape(parsed.read, testCaseSchema.safeParse(parsed.read.value));
}

export async function checkTestCases(ctx: CheckContext): Promise<void> {
  const entries = listFolder(ctx.abs(TESTS_DIR));
  const files = entries.filter((e) => e.isFile() && CASE_FILE.test(e.name)).map((e) => `${TESTS_DIR}/${e.name}`).sort();
  const covered = new Set<string>();
  for (const file of files) {
    const read = await ctx.read(file);
    if (!read.ok) {
      ctx.report(read.code, read.message, { file });
      continue;
    }
    const text = textOf(read.bytes);
    const parsed = await ctx.once(`case\0${file}\0${text}`, () => parseCase(file, text));
    if (!parsed.ok) {
      for (const p of parsed.problems) {
        const position = p.line === null ? null : { line: p.line, column: p.column ?? 1 };
        ctx.report(parsed.tooDeep ? "IH005" : "IH081", `${file}${p.pointer === "" ? " " : ": "}${p.message}`, { file, pointer: p.pointer === "" ? null : p.pointer, position });
      }
      continue;
    }
    const { case: testCase, locate } = parsed.loaded;
    const handler = testCase.handler;
    if (ctx.manifest.handlers[handler]) covered.add(handler);
    else {
      ctx.report("IH082", `${file}: handler "${handler}" is not declared in the manifest (declared: ${Object.keys(ctx.manifest.handlers).join(", ")})`, {
        file,
        pointer: "/handler",
        position: locate("/handler"),
      });
    }
  }
  for (const name of Object.keys(ctx.manifest.handlers)) {
    if (!covered.has(name)) ctx.reportAt("IH080", `handler "${name}" has no test case under ${TESTS_DIR}/`, toPointer(["handlers", name]), true);
  }
}
