/**
 * A runtime for tests: real SQLite file, real registry client verifying against the test key,
 * real sandbox pool, a fake clock and no background worker (tests step it with `tick()`).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fakeClock, type FakeClock } from "../../src/storage/fake-clock.js";
import { createRegistryClient } from "../../src/registry/registry-client.js";
import { openServiceStore, parseDatabaseLocation } from "../../src/service-store/open-service-store.js";
import { createVault, vaultKeyId } from "../../src/vault/credential-vault.js";
import type { OAuthSettings } from "../../src/oauth/oauth-settings.js";
import { createRuntimeApp, LOG_REDACT, type RuntimeApp, type ServiceLimits } from "../../src/service/runtime-app.js";

export const ADMIN = "admin-token-zq8-4471";

/** `dbFile` is the SQLite file the runtime stores in, null when it runs on PostgreSQL. */
export type TestRuntime = { app: RuntimeApp; clock: FakeClock; dbFile: string | null; vaultKey: Buffer };

export async function startTestRuntime(opts: { dir: string; registry: string; publicKeyPem: string; clock?: FakeClock; vaultKey?: Buffer; db?: string; limits?: Partial<ServiceLimits>; logStream?: NodeJS.WritableStream; probes?: Record<string, () => Promise<void>>; oauth?: OAuthSettings; startWorker?: boolean }): Promise<TestRuntime> {
  const clock = opts.clock ?? fakeClock();
  // A SQLite file (a fresh one by default) or a postgres:// URL, chosen as `ihub runtime start --db` chooses.
  const location = parseDatabaseLocation(opts.dir, opts.db ?? `runtime-${randomBytes(4).toString("hex")}.sqlite`);
  const vaultKey = opts.vaultKey ?? randomBytes(32);
  const app = await createRuntimeApp({
    store: await openServiceStore(location, clock),
    registry: createRegistryClient({ registry: opts.registry, cacheDir: path.join(opts.dir, "cache"), trustedKeys: [opts.publicKeyPem] }),
    vault: createVault({ id: vaultKeyId(vaultKey), key: vaultKey }),
    adminToken: ADMIN,
    clock,
    startWorker: opts.startWorker ?? false,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.probes ? { probes: opts.probes } : {}),
    ...(opts.oauth ? { oauth: opts.oauth } : {}),
    ...(opts.logStream ? { logger: { level: "debug", redact: LOG_REDACT, stream: opts.logStream } } : {}),
  });
  await app.ready();
  return { app, clock, dbFile: location.kind === "sqlite" ? location.file : null, vaultKey };
}

/** Requests through inject() as a given bearer. */
export function client(app: RuntimeApp, token: string) {
  const call = async (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : null, raw: res.body };
  };
  return {
    get: (url: string) => call("GET", url),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call("POST", url, body ?? {}, headers),
    patch: (url: string, body: unknown) => call("PATCH", url, body),
    delete: (url: string) => call("DELETE", url),
  };
}

export async function createTenant(app: RuntimeApp, name: string) {
  const res = await client(app, ADMIN).post("/v1/tenants", { name });
  if (res.status !== 201) throw new Error(`tenant: ${res.raw}`);
  return { id: res.body.id as string, token: res.body.token as string, api: client(app, res.body.token) };
}

export type FakeApi = { url: string; requests: { method: string; url: string; headers: IncomingMessage["headers"] }[]; hold: (path: string) => () => void; close(): Promise<void> };

/** A loopback stand-in for the external notes API; `hold(path)` parks the next request to it until released. */
export async function startFakeApi(): Promise<FakeApi> {
  const requests: FakeApi["requests"] = [];
  const held = new Map<string, Promise<void>>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const wait = held.get(req.url ?? "");
    if (wait) await wait;
    const m = /^\/notes\/([^/?]+)/.exec(req.url ?? "");
    res.setHeader("content-type", "application/json");
    if (m && m[1] !== "missing") res.end(JSON.stringify({ id: m[1], title: `Title of ${m[1]}` }));
    else if (m) res.writeHead(404).end(JSON.stringify({ message: "not found" }));
    else res.end("{}");
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hold(p) {
      let release!: () => void;
      held.set(p, new Promise<void>((r) => (release = r)));
      return () => {
        held.delete(p);
        release();
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Resolves once `check` holds, looking again after each turn of the event loop (no timing guesses). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
