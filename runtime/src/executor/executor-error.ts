import { CodedError } from "../errors/coded-error.js";

/** Failures to set up an invocation (the integration cannot be loaded or the call is malformed), thrown, not returned. */
export type ExecutorErrorCode = "INTEGRATION_NOT_FOUND" | "MANIFEST_INVALID" | "HANDLER_NOT_FOUND" | "SOURCE_MISSING" | "MODULE_MISSING" | "NESTING_TOO_DEEP" | "SCHEMA_INVALID";

export class ExecutorError extends CodedError<ExecutorErrorCode> {
  constructor(code: ExecutorErrorCode, message: string, file?: string, hint?: string) {
    super(code, message, { hint, location: file === undefined ? {} : { file } });
    this.name = "ExecutorError";
  }
}
