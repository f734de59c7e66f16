/**
 * The terminal line of any coded record: a thrown error of any layer (CLI, registry, executor),
 * a stage's failure kept in its document, or a catalog finding. `error CODE file:line:col message`
 * and, when there is one, an indented hint below.
 */
import { CodedError, type CodedErrorJson } from "@ihub/runtime/errors";
import { colors } from "./colors.js";

/** What a coded record carries; findings use null where errors leave a field out. */
export type CodedRecord = { code: string; message: string; hint?: string | null; file?: string | null; line?: number | null; column?: number | null };

function record(error: CodedError | CodedErrorJson | CodedRecord): CodedRecord {
  return error instanceof CodedError ? error.toJSON() : error;
}

/** The indented hint line below a coded line, or a note that is a hint on its own. */
export function renderHint(hint: string): string {
  return `  ${colors.cyan("hint")} ${hint}\n`;
}

/** `label` is what the line starts with: "error" for a failure, a finding's severity otherwise. */
export function renderCoded(error: CodedError | CodedErrorJson | CodedRecord, label = "error"): string {
  const r = record(error);
  const where = [r.file, r.line, r.column].filter((x) => x !== null && x !== undefined).join(":");
  return `${colors.red(label)} ${colors.dim(r.code)} ${where ? where + " " : ""}${r.message}\n` + (r.hint ? renderHint(r.hint) : "");
}
