/** The HTTP server the bench calls: 127.0.0.1, an ephemeral port, one small JSON reply, keep-alive. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const BODY = JSON.stringify({ ok: true, service: "bench" });

export async function startLoopbackServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
