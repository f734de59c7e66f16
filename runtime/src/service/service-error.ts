/**
 * The one error type of the HTTP API: a stable code, the status it answers with, a message, a
 * hint a person can act on and, for a bad value, the JSON pointer into the request. The error
 * handler (error-handler.ts) turns this and every library error into `{ error: { … } }`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly pointer?: string,
    /** Every value at fault, when there are several. */
    readonly problems?: readonly { message: string; pointer: string }[],
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** Someone else's id answers exactly like a missing one, so ids of other tenants cannot be probed. */
export const notFound = (what: string, id: string) => new ServiceError(404, "NOT_FOUND", `${what} ${id} does not exist`);
