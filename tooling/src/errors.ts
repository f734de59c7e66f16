/**
 * Errors the CLI turns into exit codes. Commands throw these; only `cli/main.ts` decides how the
 * process ends, so nothing deep inside calls `process.exit`.
 */

/**
 * How `ihub` ends. CI reads 1 as "the repository has findings", so anything that is not the
 * user's to fix in the repository (a bug, a crash) must never end with 1.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export type ErrorLocation = { file?: string; pointer?: string; line?: number; column?: number };

export class IhubError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: ErrorLocation;
  /** EXIT.findings for a failed check the user can fix in the repo, EXIT.usage for a wrong invocation. */
  readonly exitCode: typeof EXIT.findings | typeof EXIT.usage;

  constructor(code: string, message: string, opts: { hint?: string; location?: ErrorLocation; exitCode?: IhubError["exitCode"]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "IhubError";
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location ?? {};
    this.exitCode = opts.exitCode ?? EXIT.findings;
  }

  toJSON() {
    return { code: this.code, message: this.message, hint: this.hint, ...this.location };
  }
}

export class UsageError extends IhubError {
  constructor(message: string, hint?: string) {
    super("IH_USAGE", message, { hint, exitCode: EXIT.usage });
    this.name = "UsageError";
  }
}
