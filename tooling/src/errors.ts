import { CodedError, type CodedErrorOptions } from "@ihub/runtime/errors";

/**
 * Errors the CLI turns into exit codes. Commands throw these; only `cli/main.ts` decides how the
 * process ends, so nothing deep inside calls `process.exit`.
 */

/**
 * How `ihub` ends. CI reads 1 as "the repository has findings", so anything that is not the
 * user's to fix in the repository (a bug, a crash) must never end with 1.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

/** The CLI's own failures; the other coded errors (registry, executor) reach the user through the same reporter. */
export class IhubError extends CodedError {
  /** EXIT.findings for a failed check the user can fix in the repo, EXIT.usage for a wrong invocation. */
  readonly exitCode: typeof EXIT.findings | typeof EXIT.usage;

  constructor(code: string, message: string, opts: CodedErrorOptions & { exitCode?: IhubError["exitCode"] } = {}) {
    const { exitCode, ...rest } = opts;
    super(code, message, rest);
    this.name = "IhubError";
    this.exitCode = exitCode ?? EXIT.findings;
  }
}

export class UsageError extends IhubError {
  constructor(message: string, hint?: string) {
    super("IH_USAGE", message, { hint, exitCode: EXIT.usage });
    this.name = "UsageError";
  }
}
