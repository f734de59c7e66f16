/**
 * Failures of ctx.device.* calls. Modelled on Octokit's RequestError: the error keeps what an
 * operator needs (code, status, method, URL without credentials) and is built from copies with
 * every secret redacted, so it can be logged and shown to the handler as is.
 */
import { HostCallError } from "../sandbox/host-error.js";

export const deviceErrorCodes = [
  "HTTP_BAD_PATH",
  "HTTP_BAD_PARAMS",
  "HTTP_BAD_HEADER",
  "HTTP_BAD_REQUEST",
  "HTTP_TIMEOUT",
  "HTTP_TRANSPORT",
  "HTTP_RESPONSE_TOO_LARGE",
  "SQL_ERROR",
  "SQL_READ_ONLY",
  "SQL_NO_DRIVER",
  "SQL_TOO_MANY_ROWS",
  "UNBOUND_ALIAS",
  "CREDENTIALS_MISSING",
  "NO_FIXTURE_MATCH",
] as const;
export type DeviceErrorCode = (typeof deviceErrorCodes)[number];

/** What the error says about the request: never headers, never a body, never credentials. */
export type DeviceRequestSummary = { alias: string; method?: string; url?: string; status?: number };

export class DeviceError extends HostCallError {
  readonly request: DeviceRequestSummary | undefined;

  constructor(code: DeviceErrorCode, message: string, request?: DeviceRequestSummary) {
    super(code, message);
    this.name = "DeviceError";
    this.request = request ? { ...request } : undefined;
  }
}
