/**
 * The raw baselines of the one-http rpc: the same GET to the same server without the runtime.
 * `fetch` uses Node's global dispatcher (keep-alive); `nodeHttp` a keep-alive node:http Agent
 * like the one the live transport sends through, so that ratio is like for like.
 */
import http from "node:http";

export function rawFetch(url: string): () => Promise<void> {
  return async () => {
    const res = await fetch(url);
    await res.json();
  };
}

export function rawNodeHttp(url: string): { call: () => Promise<void>; close(): void } {
  const agent = new http.Agent({ keepAlive: true });
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          JSON.parse(Buffer.concat(chunks).toString("utf8"));
          resolve();
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  return { call, close: () => agent.destroy() };
}
