/**
 * Refusals of ctx calls by the host. Each message names the manifest field to change, so the
 * author knows where to declare or grant what the handler tried to use.
 */
import type { DenialCode } from "../capabilities/permissions.js";
import { HostCallError } from "../sandbox/host-error.js";

export type CtxErrorCode = DenialCode | "INVALID_ARGUMENT" | "DEVICE_CALLS_EXCEEDED" | "TENANT_API_UNAVAILABLE";

export class CtxError extends HostCallError {
  /** Manifest field (dotted) that would allow the call, when a declaration or grant is missing. */
  readonly field: string | undefined;

  constructor(code: CtxErrorCode, message: string, field?: string) {
    super(code, field ? `${message} (declare it in integration.json at ${field})` : message);
    this.name = "CtxError";
    this.field = field;
  }

  /**
   * A copy with `redact` applied to the message and the field (an alias named after a secret
   * lands in both), keeping the code and the field the author needs.
   */
  redacted(redact: (text: string) => string): CtxError {
    return Object.assign(new CtxError(this.code as CtxErrorCode, redact(this.message)), { field: this.field === undefined ? undefined : redact(this.field) });
  }
}
