/**
 * Errors the CLI turns into exit codes. Commands throw these; only `cli/main.ts` decides how the
 * process ends, so nothing deep inside calls `process.exit`.
 */
export type ErrorLocation = { file?: string; pointer?: string; line?: number; column?: number };

export class IhubError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: ErrorLocation;
  /** 1 for a failed check the user can fix in the repo, 2 for a wrong invocation. */
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, opts: { hint?: string; location?: ErrorLocation; exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "IhubError";
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location ?? {};
    this.exitCode = opts.exitCode ?? 1;
  }

  toJSON() {
    return { code: this.code, message: this.message, hint: this.hint, ...this.location };
  }
}

export class UsageError extends IhubError {
  constructor(message: string, hint?: string) {
    super("IH_USAGE", message, { hint, exitCode: 2 });
    this.name = "UsageError";
  }
}
