/**
 * Integrations and a loopback API for executor tests: the kit-sink fixture read from disk,
 * extended with handlers written inline, and a real HTTP server on 127.0.0.1 that records
 * every request it receives.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Handler, Manifest } from "../src/manifest/manifest-schema.js";
import { loadIntegration, type LoadedIntegration } from "../src/executor/load-integration.js";

const KIT_SINK = fileURLToPath(new URL("../test-fixtures/repo/integrations/kit-sink", import.meta.url));

export const loadKitSink = (): Promise<LoadedIntegration> => loadIntegration(KIT_SINK);

export type InlineHandler = { body: string } & Partial<Handler>;

/**
 * A copy of `base` with each inline handler added as an rpc in handlers/inline_<name>.lua
 * (its body sees `ctx` and `input`; line 3 of the file is the body's first line), after
 * `edit` changed the copied manifest.
 */
export function extend(base: LoadedIntegration, handlers: Record<string, InlineHandler>, edit: (m: Manifest) => void = () => {}): LoadedIntegration {
  const manifest = structuredClone(base.manifest);
  const sources = { ...base.sources };
  for (const [name, { body, ...handler }] of Object.entries(handlers)) {
    const file = `handlers/inline_${name}.lua`;
    sources[file] = `local M = {}\nfunction M.${name}(ctx, input)\n${body}\nend\nreturn M\n`;
    manifest.handlers[name] = { type: "rpc", file, function: name, displayName: name, description: "Inline test handler.", ...handler };
  }
  edit(manifest);
  return { ...base, manifest, sources };
}

export type ReceivedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/**
 * Routes: GET /users/404 replies 404; GET /users/<id> replies the user; /echo replies the
 * request it received (headers included) as JSON; /hang never replies; anything else `{ ok }`.
 */
export async function startTestApi(): Promise<{ url: string; received: ReceivedRequest[]; close(): Promise<void> }> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      received.push(request);
      const path = new URL(request.url, "http://x").pathname;
      if (path === "/hang") return;
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (path === "/users/404") return reply(404, { error: "not found" });
      const user = /^\/users\/([^/]+)$/.exec(path);
      if (user) return reply(200, { id: decodeURIComponent(user[1]!), name: "Ada" });
      if (path === "/echo") return reply(200, request);
      reply(200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
