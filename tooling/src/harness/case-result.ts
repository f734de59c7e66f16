/**
 * The outcome of one test case, defined once with zod: the harness returns it, `ihub test
 * --json` prints it, reporters render it. A case passes, fails with typed mismatches (each
 * pointing into the case file), or is broken (the case file or its integration cannot run).
 */
import { z } from "zod";

const where = {
  /** JSON pointer into the case file of what the mismatch is about. */
  pointer: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  /** One line a person can read. */
  message: z.string(),
};
const withDiff = { ...where, expected: z.unknown(), actual: z.unknown(), diff: z.string() };
const errorValue = z.object({ code: z.string(), message: z.string() });

export const mismatchSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("unmatched_request"), ...where, request: z.string(), closest: z.object({ pointer: z.string(), differences: z.array(z.string()), exhausted: z.boolean(), diff: z.string() }).nullable() }),
  z.object({ kind: z.literal("fixture_unused"), ...where }),
  z.object({ kind: z.literal("unexpected_error"), ...where, error: errorValue }),
  z.object({ kind: z.literal("missing_error"), ...where, output: z.unknown() }),
  z.object({ kind: z.literal("error_code"), ...where, expected: z.string(), actual: z.string() }),
  z.object({ kind: z.literal("error_message"), ...where, expected: z.string(), actual: z.string() }),
  z.object({ kind: z.literal("output"), ...withDiff }),
  z.object({ kind: z.literal("cache"), ...withDiff }),
  z.object({ kind: z.literal("containers"), ...withDiff, container: z.string() }),
  z.object({ kind: z.literal("logs"), ...withDiff }),
  z.object({ kind: z.literal("events"), ...withDiff }),
  z.object({ kind: z.literal("charges"), ...withDiff }),
  z.object({ kind: z.literal("requests"), ...where, expected: z.number().int(), actual: z.number().int(), made: z.array(z.string()) }),
]);

export const caseProblemSchema = z.object({ file: z.string(), pointer: z.string(), line: z.number().int().nullable(), column: z.number().int().nullable(), message: z.string() });

const caseBase = {
  /** Case file relative to the integration folder, e.g. `tests/list-issues.test.json`. */
  file: z.string(),
  name: z.string().nullable(),
  handler: z.string().nullable(),
};

export const caseResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("pass"), ...caseBase }),
  z.object({ status: z.literal("fail"), ...caseBase, mismatches: z.array(mismatchSchema).min(1) }),
  z.object({ status: z.literal("broken"), ...caseBase, problems: z.array(caseProblemSchema).min(1) }),
]);

export type Mismatch = z.infer<typeof mismatchSchema>;
export type MismatchKind = Mismatch["kind"];
export type CaseResult = z.infer<typeof caseResultSchema>;
export type CaseStatus = CaseResult["status"];
/** Something wrong with a case file itself (or its integration), found before or instead of running it. */
export type CaseProblem = z.infer<typeof caseProblemSchema>;
