import { HostCallError } from "../sandbox/host-error.js";

/** Codes a handler can see from ctx.integration.* (raised in Lua as `{ code, message }`). */
export type StorageErrorCode = "INVALID_CURSOR" | "INVALID_ARGUMENT" | "CONTAINER_VALUE_INVALID";

export class StorageError extends HostCallError {
  constructor(code: StorageErrorCode, message: string) {
    super(code, message);
    this.name = "StorageError";
  }
}
