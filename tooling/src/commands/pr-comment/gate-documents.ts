/**
 * The `--json` documents of `ihub validate`, `ihub test` and `ihub version`, checked at the
 * boundary with the schemas the gates' documents are typed by (documents/stage-documents.ts), so
 * the renderer works on typed data. Unknown fields are dropped (the formats may add fields); a
 * missing or mistyped field is an error naming its path.
 *
 * A gate that failed before producing a report prints the CLI's error document instead
 * (`{ ok: false, error: { code, message, hint } }`), and one that crashed prints nothing: both
 * are outcomes the comment shows, so a broken gate is visible on the pull request too.
 */
import { z } from "zod";
import { codedErrorSchema } from "../../documents/shared.js";
import { jsonDocumentSchema } from "../../documents/stage-documents.js";
import { toPointer } from "@ihub/runtime/json";
import { IhubError } from "../../errors.js";

// The gates' own document schemas: what `ihub <gate> --json` prints is checked against the same ones.
const validateReportSchema = jsonDocumentSchema("validate");
const testReportSchema = jsonDocumentSchema("test");
const versionReportSchema = jsonDocumentSchema("version");

/** What every verb prints under `--json` when it stops with an error (cli/report-error.ts). */
const errorDocumentSchema = z.object({ ok: z.literal(false), error: codedErrorSchema });

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
    throw invalid(gate, file, `not an \`ihub ${gate} --json\` document: ${issue.message} at ${toPointer(issue.path) || "/"}`);
  }
  return { kind: "report", report: parsed.data as z.infer<(typeof gateSchemas)[G]> };
}
