/**
 * Reads one case file (`*.test.json` or `*.test.yaml`) into a TestCase, or into problems that
 * name the file, the line and the JSON pointer (see read-case.ts), its shape checked by the zod
 * definition.
 */
import { readFile } from "node:fs/promises";
import { caseFromShape, readCaseText, type LoadCaseResult } from "./read-case.js";
import { testCaseSchema } from "./test-case-schema.js";

export { CASE_FILE, type CasePosition, type CaseProblem, type LoadCaseResult, type LoadedCase } from "./read-case.js";

/** Parses case text; `file` is only used to name the problems. */
export function parseTestCase(file: string, text: string): LoadCaseResult {
  const parsed = readCaseText(file, text);
  return parsed.ok ? caseFromShape(parsed.read, testCaseSchema.safeParse(parsed.read.value)) : parsed;
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
