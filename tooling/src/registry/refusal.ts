import { CodedError } from "@ihub/runtime/errors";

/** A write request the registry server refuses, answered with its own HTTP status and `{ error: { code, message, hint } }`. */
export class Refusal extends CodedError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    hint?: string,
  ) {
    super(code, message, { hint });
  }
}
