/** The `--port` of the verbs that serve (0 picks a free port); anything else is a usage error. */
import { UsageError } from "../errors.js";

export function parsePort(value: unknown): number {
  const port = Number(value);
  if (typeof value === "boolean" || value === "" || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${String(value)} is not a port number`, "Give 0 to 65535; 0 picks a free port.");
  return port;
}
