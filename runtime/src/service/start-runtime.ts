/**
 * `ihub runtime start` without the CLI: resolves the embedded defaults, loads the secrets, opens
 * the store and the registry client, listens, and reports the URL it really listens on. The
 * caller owns the signals; `close()` is the graceful stop (no new requests, runs drained).
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createRegistryClient } from "../registry/registry-client.js";
import { describeLocation, parseRegistryLocation, type RegistryLocation } from "../registry/registry-location.js";
import { openServiceStore, parseDatabaseLocation, type DatabaseLocation } from "../service-store/open-service-store.js";
import type { ServiceStore } from "../service-store/service-store.js";
import { createVault } from "../vault/credential-vault.js";
import { rotateCredentials } from "../vault/rotate-credentials.js";
import { loadRuntimeSecrets } from "../vault/runtime-secrets.js";
import { createRuntimeApp, LOG_REDACT } from "./runtime-app.js";
import { ServiceError } from "./service-error.js";
import { OAuthError } from "../oauth/oauth-error.js";
import { oauthSettingsFromEnv, type OAuthSettings } from "../oauth/oauth-settings.js";

export type StartOptions = {
  /** Repository root the defaults live under (`.ihub/…`). */
  root: string;
  registry?: string;
  db?: string;
  host?: string;
  port?: number;
  trustedKeyFiles?: string[];
  /** Origin the OAuth providers redirect back to; IHUB_RUNTIME_PUBLIC_URL otherwise, else the origin a start request came to. */
  publicUrl?: string;
  /** How often installs that follow their range poll the registry (ServiceLimits.upgradePollMs by default). */
  upgradePollMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Where structured logs go; stdout stays free for the URL line. */
  logStream?: NodeJS.WritableStream;
  logLevel?: string;
};

export const DEFAULT_PORT = 4870;

function registryProbe(location: RegistryLocation): () => Promise<void> {
  if (location.kind === "dir") return async () => void (await stat(path.join(location.dir, "index.json")));
  const url = location.kind === "http" ? new URL("index.json", location.baseUrl) : new URL("/v2/", location.registryUrl);
  return async () => {
    const res = await fetch(url, { method: location.kind === "http" ? "HEAD" : "GET", signal: AbortSignal.timeout(2000) });
    // An OCI registry that wants a token still proves it is there.
    if (!res.ok && res.status !== 401) throw new Error(`${describeLocation(location)} answered ${res.status}`);
  };
}

function database(root: string, db: string | undefined): DatabaseLocation {
  return parseDatabaseLocation(root, db ?? path.join(root, ".ihub", "runtime.sqlite"));
}

/** The database as reports name it: a PostgreSQL URL without its password. */
function describeDatabase(d: DatabaseLocation): string {
  if (d.kind === "sqlite") return d.file;
  const url = URL.canParse(d.url) ? new URL(d.url) : null;
  if (url?.password) url.password = "***";
  return url?.toString() ?? "postgres database";
}

async function openStore(d: DatabaseLocation, onQueueError?: (error: Error) => void): Promise<ServiceStore> {
  if (d.kind === "sqlite") return openServiceStore(d);
  try {
    return await openServiceStore(d, undefined, onQueueError);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError(400, "DB_UNREACHABLE", `cannot open the PostgreSQL database ${describeDatabase(d)}: ${reason}`, "Check the --db URL (postgres://user:password@host:port/database, or ?host=/socket/dir) and that the server accepts this user.");
  }
}

/** `ihub runtime rotate-key`: re-seals every stored credential with IHUB_RUNTIME_KEY, opening old ones with IHUB_RUNTIME_PREVIOUS_KEYS. */
export async function rotateRuntimeKey(opts: Pick<StartOptions, "root" | "db" | "env">) {
  const d = database(opts.root, opts.db);
  if (d.kind === "sqlite" && !(await stat(d.file).catch(() => null))) throw new ServiceError(400, "DB_MISSING", `no runtime database at ${d.file}`, "Pass the --db the runtime runs with.");
  const secrets = await loadRuntimeSecrets(path.join(opts.root, ".ihub", "keys"), opts.env ?? process.env);
  const store = await openStore(d);
  try {
    return { db: describeDatabase(d), keyId: secrets.key.id, ...(await rotateCredentials(store, createVault(secrets.key, secrets.previousKeys))) };
  } finally {
    await store.close();
  }
}

/** The OAuth settings of the environment; a setting that cannot be used is the operator's to fix before the runtime starts. */
function oauthSettings(env: NodeJS.ProcessEnv, publicUrl: string | undefined): OAuthSettings {
  try {
    return oauthSettingsFromEnv(env, publicUrl);
  } catch (error) {
    if (error instanceof OAuthError) throw new ServiceError(400, error.code, error.message, error.hint);
    throw error;
  }
}

export async function startRuntime(opts: StartOptions) {
  const env = opts.env ?? process.env;
  const oauth = oauthSettings(env, opts.publicUrl);
  const work = path.join(opts.root, ".ihub");
  const d = database(opts.root, opts.db);
  const location = parseRegistryLocation(opts.registry ?? path.join(work, "registry"));
  const warnings: string[] = [];
  const trustedKeys = await Promise.all((opts.trustedKeyFiles ?? []).map((f) => readFile(path.resolve(opts.root, f), "utf8")));
  if (trustedKeys.length === 0) {
    warnings.push(`no --trusted-key: trusting the keys ${describeLocation(location)} lists itself (development only: a registry that can change its bundles can change its keys)`);
  }
  const secrets = await loadRuntimeSecrets(path.join(work, "keys"), env);
  warnings.push(...secrets.warnings);
  // Verified bundles are cached next to the SQLite file, or in .ihub/ beside a PostgreSQL-backed runtime.
  const stateDir = d.kind === "sqlite" ? path.dirname(d.file) : work;
  await mkdir(stateDir, { recursive: true });
  const registry = createRegistryClient({ registry: location, cacheDir: path.join(stateDir, "runtime-cache"), trustedKeys, trustRegistryKeys: trustedKeys.length === 0 });
  let app: Awaited<ReturnType<typeof createRuntimeApp>> | undefined = undefined;
  // The queue's background work on PostgreSQL (expiry, archiving) fails into the log, and is tried again at its next interval.
  const store = await openStore(d, (error) => app?.log.error({ err: error }, "queue maintenance failed"));
  app = await createRuntimeApp({
    store,
    registry,
    vault: createVault(secrets.key, secrets.previousKeys),
    adminToken: secrets.adminToken,
    oauth,
    logger: { level: opts.logLevel ?? "info", redact: LOG_REDACT, stream: opts.logStream ?? process.stderr },
    probes: { registry: registryProbe(location) },
    ...(opts.upgradePollMs ? { limits: { upgradePollMs: opts.upgradePollMs } } : {}),
  });
  for (const w of warnings) app.log.warn(w);
  const host = opts.host ?? "127.0.0.1";
  await app.listen({ host, port: opts.port ?? DEFAULT_PORT });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { app, url, db: describeDatabase(d), warnings };
}
