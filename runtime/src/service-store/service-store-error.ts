/** Typed failures of the service store that a caller can act on. */
export type ServiceStoreErrorCode = "INVALID_CURSOR";

export class ServiceStoreError extends Error {
  constructor(
    readonly code: ServiceStoreErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ServiceStoreError";
  }
}
