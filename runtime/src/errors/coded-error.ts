/**
 * The one shape of a typed failure: a stable code, a message, a hint a person can act on and
 * where the problem is. Runtime, registry, executor, storage and CLI errors all extend it, so
 * one function (tooling's report/render-error.ts) shows any of them and one `toJSON` writes them.
 */

/** Where the problem is: a file (repository- or registry-relative), a JSON pointer into it, a position. */
export type ErrorLocation = { file?: string; pointer?: string; line?: number; column?: number };

export type CodedErrorJson = { code: string; message: string; hint?: string } & ErrorLocation;

export type CodedErrorOptions = { hint?: string; location?: ErrorLocation; cause?: unknown };

export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly hint: string | undefined;
  readonly location: ErrorLocation;

  constructor(code: Code, message: string, opts: CodedErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "CodedError";
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location ?? {};
  }

  toJSON(): CodedErrorJson {
    return { code: this.code, message: this.message, hint: this.hint, ...this.location };
  }
}
