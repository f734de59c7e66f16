/** Keeps a verb that serves running until Ctrl-C or SIGTERM, then closes its server. */
import type http from "node:http";

export function serveUntilSignal(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
