/** Failures to set up an invocation (the integration cannot be loaded or the call is malformed), thrown, not returned. */
export type ExecutorErrorCode = "INTEGRATION_NOT_FOUND" | "MANIFEST_INVALID" | "HANDLER_NOT_FOUND" | "SOURCE_MISSING" | "MODULE_MISSING";

export class ExecutorError extends Error {
  constructor(
    readonly code: ExecutorErrorCode,
    message: string,
    readonly file?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ExecutorError";
  }
}
