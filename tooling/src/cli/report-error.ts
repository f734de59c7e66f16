/** How a failure reaches the user: one line and a hint on stderr, or under `--json` the error document on stdout. */
import { CodedError, type CodedErrorJson } from "@ihub/runtime/errors";
import { EXIT, IhubError } from "../errors.js";
import { colors } from "../report/colors.js";
import { renderCoded, renderHint } from "../report/render-error.js";
import { ERROR_JSON_FORMAT } from "./commands.js";

const INTERNAL_HINT = "This is a bug in ihub, not in the repository: please report it with the stack trace printed on stderr.";

function printDocument(error: CodedErrorJson): void {
  process.stdout.write(JSON.stringify({ format: ERROR_JSON_FORMAT, ok: false, error }, null, 2) + "\n");
}

/**
 * Prints `error` and returns the exit code it ends the process with. A coded error from the
 * runtime (registry, executor) that no command translated is still the user's to act on, not a
 * bug: it ends like a failed check.
 */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof CodedError) {
    if (json) printDocument(error.toJSON());
    else process.stderr.write(renderCoded(error));
    return error instanceof IhubError ? error.exitCode : EXIT.findings;
  }
  // An unexpected failure is a bug in ihub: the stack goes to stderr in every mode, to report it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${colors.red("internal error")} ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  const internal = { code: "IH_INTERNAL", message, hint: INTERNAL_HINT };
  if (json) printDocument(internal);
  else process.stderr.write(renderHint(INTERNAL_HINT));
  return EXIT.internal;
}
