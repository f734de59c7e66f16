/**
 * The `--json` documents of `ihub validate`, `ihub test` and `ihub version`, as far as the PR
 * comment reads them, checked with zod at the boundary so the renderer works on typed data.
 * Unknown fields are dropped (the formats may add fields); a missing or mistyped field the
 * comment needs is an error naming its path. Test cases reuse the harness's own schema.
 *
 * A gate that failed before producing a report prints the CLI's error document instead
 * (`{ ok: false, error: { code, message, hint } }`), and one that crashed prints nothing: both
 * are outcomes the comment shows, so a broken gate is visible on the pull request too.
 */
import { z } from "zod";
import { caseResultSchema } from "../../../../runtime/src/harness/case-result.js";
import { commands } from "../../cli/commands.js";
import { IhubError } from "../../errors.js";
import type { Finding } from "../../findings/finding.js";
import { bumpLevels } from "../../version/bump-level.js";

const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  integration: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  pointer: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
}) satisfies z.ZodType<Finding>;

// The formats come from the table of verbs, which loads no verb: reading a constant does not load
// the validator or the sandbox.
const validateReportSchema = z.object({
  format: z.literal(commands.validate.format),
  ok: z.boolean(),
  integrations: z.array(z.string()),
  findings: z.array(findingSchema),
});

const testReportSchema = z.object({
  format: z.literal(commands.test.format),
  ok: z.boolean(),
  counts: z.object({ pass: z.number().int(), fail: z.number().int(), broken: z.number().int(), cases: z.number().int() }),
  integrations: z.array(z.object({ slug: z.string(), ok: z.boolean(), cases: z.array(caseResultSchema) })),
});

const versionReportSchema = z.object({
  format: z.literal(commands.version.format),
  ok: z.boolean(),
  against: z.discriminatedUnion("kind", [z.object({ kind: z.literal("merge-base"), ref: z.string() }), z.object({ kind: z.literal("release") })]),
  integrations: z.array(
    z.object({
      slug: z.string(),
      status: z.enum(["changed", "unchanged", "new", "removed", "invalid"]),
      baseVersion: z.string().nullable(),
      declaredVersion: z.string().nullable(),
      declaredBump: z.string().nullable(),
      required: z.enum(bumpLevels),
      sufficient: z.boolean(),
      suggested: z.string().nullable(),
      reasons: z.array(z.object({ level: z.enum(bumpLevels), message: z.string(), file: z.string(), pointer: z.string().nullable() })),
      findings: z.array(findingSchema),
    }),
  ),
});

const errorDocumentSchema = z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }) });

export type ValidateReport = z.infer<typeof validateReportSchema>;
export type TestReport = z.infer<typeof testReportSchema>;
export type VersionReportDocument = z.infer<typeof versionReportSchema>;
export type GateError = z.infer<typeof errorDocumentSchema>["error"];

/** What one gate left behind: its report, the error it stopped with, or nothing at all. */
export type GateOutcome<R> = { kind: "report"; report: R } | { kind: "error"; error: GateError } | { kind: "empty" };

export const gateSchemas = { validate: validateReportSchema, test: testReportSchema, version: versionReportSchema } as const;
export type GateName = keyof typeof gateSchemas;
export type GateOutcomes = { validate?: GateOutcome<ValidateReport>; test?: GateOutcome<TestReport>; version?: GateOutcome<VersionReportDocument> };

function invalid(gate: GateName, file: string, message: string): IhubError {
  return new IhubError("IH_PR_COMMENT_INPUT", `--${gate} ${file}: ${message}`, {
    hint: `Pass the document \`ihub ${gate} --json\` printed on stdout (redirect only stdout: progress goes to stderr).`,
    location: { file },
    exitCode: 2,
  });
}

/** Parses the text of one gate's `--json` output; `file` only names it in errors. */
export function parseGateDocument<G extends GateName>(gate: G, file: string, text: string): GateOutcome<z.infer<(typeof gateSchemas)[G]>> {
  if (text.trim() === "") return { kind: "empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(gate, file, `not JSON (${(error as Error).message})`);
  }
  const failed = errorDocumentSchema.safeParse(value);
  if (failed.success) return { kind: "error", error: failed.data.error };
  const parsed = gateSchemas[gate].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(gate, file, `not an \`ihub ${gate} --json\` document: ${issue.message} at /${issue.path.join("/")}`);
  }
  return { kind: "report", report: parsed.data as z.infer<(typeof gateSchemas)[G]> };
}
