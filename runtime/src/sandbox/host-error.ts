import { CodedError } from "../errors/coded-error.js";

/** Thrown by a SandboxHost to raise `{ code = code, message = message }` in Lua at the ctx call site. */
export class HostCallError extends CodedError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "HostCallError";
  }
}
