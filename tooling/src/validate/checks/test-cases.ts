/**
 * tests/ holds valid test cases (JSON or YAML), each naming a declared handler, and at least one
 * case per handler. Cases are checked against schemas/integration-test.schema.json, generated from
 * runtime/src/harness/test-case-schema.ts, with the same ajv as the manifest: importing zod here
 * would cost `ihub validate` a second of start-up.
 */
import { readdir } from "node:fs/promises";
import type { TestCase } from "../../../../runtime/src/harness/test-case-schema.js";
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";
import { describeAjvError, repoSchemaValidator } from "../manifest/repo-schemas.js";
import { toPointer } from "../source-position.js";
import { parseStructured } from "../structured-text.js";

export const TESTS_DIR = "tests";
const TEST_FILE = /\.test\.(json|ya?ml)$/;

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
    const doc = parseStructured(textOf(read.bytes));
    if (!doc.ok) {
      ctx.report("IH081", `${file} does not parse: ${doc.message}`, { file, position: doc.position });
      continue;
    }
    const validate = repoSchemaValidator("integration-test.schema.json");
    if (!validate(doc.value)) {
      for (const error of validate.errors ?? []) {
        const d = describeAjvError(error);
        if (d) ctx.report("IH081", `${file}: ${d.message}`, { file, pointer: d.pointer, position: doc.locate(d.pointer) });
      }
      continue;
    }
    // The schema is generated from the zod definition whose type this is.
    const handler = (doc.value as TestCase).handler;
    if (ctx.manifest.handlers[handler]) covered.add(handler);
    else {
      ctx.report("IH082", `${file}: handler "${handler}" is not declared in the manifest (declared: ${Object.keys(ctx.manifest.handlers).join(", ")})`, {
        file,
        pointer: "/handler",
        position: doc.locate("/handler"),
      });
    }
  }
  for (const name of Object.keys(ctx.manifest.handlers)) {
    if (!covered.has(name)) ctx.reportAt("IH080", `handler "${name}" has no test case under ${TESTS_DIR}/`, toPointer(["handlers", name]), true);
  }
}
