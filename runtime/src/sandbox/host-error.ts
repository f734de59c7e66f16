/** Thrown by a SandboxHost to raise `{ code = code, message = message }` in Lua at the ctx call site. */
export class HostCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HostCallError";
  }
}
