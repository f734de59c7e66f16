/** How a failure reaches the user: one line and a hint on stderr, or under `--json` the error document on stdout. */
import { EXIT, IhubError } from "../errors.js";
import { colors } from "../report/colors.js";
import { ERROR_JSON_FORMAT } from "./commands.js";

const INTERNAL_HINT = "This is a bug in ihub, not in the repository: please report it with the stack trace printed on stderr.";

function printDocument(error: ReturnType<IhubError["toJSON"]>): void {
  process.stdout.write(JSON.stringify({ format: ERROR_JSON_FORMAT, ok: false, error }, null, 2) + "\n");
}

/** Prints `error` and returns the exit code it ends the process with. */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof IhubError) {
    if (json) printDocument(error.toJSON());
    else {
      const where = [error.location.file, error.location.line, error.location.column].filter((x) => x !== undefined).join(":");
      process.stderr.write(`${colors.red("error")} ${colors.dim(error.code)} ${where ? where + " " : ""}${error.message}\n`);
      if (error.hint) process.stderr.write(`  ${colors.cyan("hint")} ${error.hint}\n`);
    }
    return error.exitCode;
  }
  // An unexpected failure is a bug in ihub: the stack goes to stderr in every mode, to report it.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${colors.red("internal error")} ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  if (json) printDocument({ code: "IH_INTERNAL", message, hint: INTERNAL_HINT });
  else process.stderr.write(`  ${colors.cyan("hint")} ${INTERNAL_HINT}\n`);
  return EXIT.internal;
}
