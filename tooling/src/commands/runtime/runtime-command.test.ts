/** `ihub runtime start` as a real process: the URL it prints is the one it listens on, SIGTERM stops it cleanly. */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createVault, sqliteServiceStore, vaultKeyId } from "@ihub/runtime/service";

const BIN = fileURLToPath(new URL("../../../bin/ihub.js", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-runtime-cmd-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("prints one JSON line with the real URL on --port 0, serves it, and exits 0 on SIGTERM", async () => {
  const child = spawn(process.execPath, [BIN, "runtime", "start", "--root", dir, "--db", path.join(dir, "rt.sqlite"), "--registry", path.join(dir, "registry"), "--port", "0", "--json"], {
    env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: "admin-zq-cli-5521", IHUB_RUNTIME_KEY: "11".repeat(32) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const { url } = JSON.parse(first) as { url: string };
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(url).not.toMatch(/:4870$/);
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
  const created = await fetch(`${url}/v1/tenants`, { method: "POST", headers: { authorization: "Bearer admin-zq-cli-5521", "content-type": "application/json" }, body: JSON.stringify({ name: "cli" }) });
  expect(created.status).toBe(201);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 30_000);

it("rotate-key re-seals the stored credentials with IHUB_RUNTIME_KEY, reading old ones with IHUB_RUNTIME_PREVIOUS_KEYS", async () => {
  const db = path.join(dir, "rotate.sqlite");
  const [oldHex, newHex] = [randomBytes(32).toString("hex"), randomBytes(32).toString("hex")];
  const oldKey = Buffer.from(oldHex, "hex");
  const store = sqliteServiceStore(db);
  await store.createTenant({ id: "t", name: "t", createdAt: 0, bindings: {} }, "hash");
  await store.createInstall({ id: "i-1", tenantId: "t", slug: "s", version: "1.0.0", range: "^1", integrity: "x", config: {}, bindings: {}, credentialFields: ["apiKey"], warnings: [], createdAt: 0, updatedAt: 0, retentionTier: "short", followRange: false, previous: null, pendingUpgrade: null }, createVault({ id: vaultKeyId(oldKey), key: oldKey }).seal("i-1", { apiKey: "sk-cli-rotate-zq-71" }), []);
  await store.close();
  const run = (env: Record<string, string>) => spawnSync(process.execPath, [BIN, "runtime", "rotate-key", "--root", dir, "--db", db, "--json"], { env: { ...process.env, ...env }, encoding: "utf8" });
  const refused = run({ IHUB_RUNTIME_KEY: newHex, IHUB_RUNTIME_ADMIN_TOKEN: "unused-zq" });
  expect(refused.status).toBe(1);
  expect(JSON.parse(refused.stdout).error.code).toBe("VAULT_KEY_UNKNOWN");
  const done = run({ IHUB_RUNTIME_KEY: newHex, IHUB_RUNTIME_PREVIOUS_KEYS: oldHex, IHUB_RUNTIME_ADMIN_TOKEN: "unused-zq" });
  expect(done.status).toBe(0);
  expect(JSON.parse(done.stdout)).toEqual({ format: "ihub.runtime/v1", db, keyId: vaultKeyId(Buffer.from(newHex, "hex")), resealed: 1 });
}, 30_000);

it("refuses an OAuth setting that would send client secrets in clear text as a usage error, before listening", () => {
  const res = spawnSync(process.execPath, [BIN, "runtime", "start", "--root", dir, "--db", path.join(dir, "oauth.sqlite"), "--port", "0", "--json"], {
    env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: "admin-zq-cli-5521", IHUB_RUNTIME_KEY: "11".repeat(32), IHUB_OAUTH_GITHUB_CLIENT_ID: "id", IHUB_OAUTH_GITHUB_TOKEN_URL: "http://github.example.com/token" },
    encoding: "utf8",
  });
  expect(res.status).toBe(2);
  expect(JSON.parse(res.stdout).error).toMatchObject({ code: expect.any(String), message: expect.stringContaining("IHUB_OAUTH_GITHUB_TOKEN_URL must use https") });
  const flag = spawnSync(process.execPath, [BIN, "runtime", "start", "--root", dir, "--db", path.join(dir, "oauth.sqlite"), "--port", "0", "--public-url", "http://runtime.example.com", "--json"], {
    env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: "admin-zq-cli-5521", IHUB_RUNTIME_KEY: "11".repeat(32) },
    encoding: "utf8",
  });
  expect(flag.status).toBe(2);
  expect(JSON.parse(flag.stdout).error.message).toContain("--public-url must use https");
}, 30_000);

it("refuses an --upgrade-poll that is not a number of seconds as a usage error", () => {
  for (const value of ["0", "soon", "90000"]) {
    const res = spawnSync(process.execPath, [BIN, "runtime", "start", "--root", dir, "--upgrade-poll", value, "--json"], { env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: "unused-zq", IHUB_RUNTIME_KEY: "11".repeat(32) }, encoding: "utf8" });
    expect([value, res.status]).toEqual([value, 2]);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, error: { message: expect.stringContaining("--upgrade-poll") } });
  }
});
