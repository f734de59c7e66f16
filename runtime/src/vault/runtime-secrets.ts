/**
 * The runtime's two secrets: the credential key (IHUB_RUNTIME_KEY, 32 bytes as 64 hex digits or
 * base64, plus the keys it replaced in IHUB_RUNTIME_PREVIOUS_KEYS) and the admin token
 * (IHUB_RUNTIME_ADMIN_TOKEN). Where absent, development values are
 * generated once under `.ihub/keys/` (mode 0600) and a warning says so, as for the signing key;
 * reusing the file across restarts is what keeps stored credentials readable.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { vaultKeyId, type VaultKey } from "./credential-vault.js";
import { VaultError } from "./vault-error.js";

export const RUNTIME_KEY_ENV = "IHUB_RUNTIME_KEY";
export const ADMIN_TOKEN_ENV = "IHUB_RUNTIME_ADMIN_TOKEN";
/** Keys that sealed credentials before a rotation, comma-separated: read, never used to seal. */
export const PREVIOUS_KEYS_ENV = "IHUB_RUNTIME_PREVIOUS_KEYS";

export type RuntimeSecrets = { key: VaultKey; previousKeys: VaultKey[]; adminToken: string; warnings: string[] };

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new VaultError("VAULT_BAD_KEY", `${where} is not a 32-byte key`, "Use 64 hex digits or base64 of 32 random bytes, e.g. `openssl rand -hex 32`.");
  return key;
}

/** Creates the file once; concurrent first starts race on an atomic link and every loser reads the winner's value. */
async function devValue(file: string, generate: () => string): Promise<string> {
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing !== null) return existing.trim();
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(tmp, generate() + "\n", { mode: 0o600 });
  await link(tmp, file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await rm(tmp, { force: true });
  return (await readFile(file, "utf8")).trim();
}

export async function loadRuntimeSecrets(keysDir: string, env: NodeJS.ProcessEnv = process.env): Promise<RuntimeSecrets> {
  const warnings: string[] = [];
  let keyBytes: Buffer;
  if (env[RUNTIME_KEY_ENV]) keyBytes = parseKey(env[RUNTIME_KEY_ENV], RUNTIME_KEY_ENV);
  else {
    const file = path.join(keysDir, "dev-runtime-key");
    keyBytes = parseKey(await devValue(file, () => randomBytes(32).toString("hex")), file);
    warnings.push(`${RUNTIME_KEY_ENV} is not set: credentials are encrypted with the development key in ${file} (set ${RUNTIME_KEY_ENV} in production; losing the key loses every stored credential)`);
  }
  let adminToken = env[ADMIN_TOKEN_ENV] ?? "";
  if (!adminToken) {
    const file = path.join(keysDir, "dev-runtime-admin-token");
    adminToken = await devValue(file, () => `ihub_admin_${randomBytes(24).toString("base64url")}`);
    warnings.push(`${ADMIN_TOKEN_ENV} is not set: the admin token is the development one in ${file}`);
  }
  const previousKeys = (env[PREVIOUS_KEYS_ENV] ?? "")
    .split(",")
    .filter((k) => k.trim() !== "")
    .map((k, i) => {
      const bytes = parseKey(k, `${PREVIOUS_KEYS_ENV} entry ${i + 1}`);
      return { id: vaultKeyId(bytes), key: bytes };
    });
  return { key: { id: vaultKeyId(keyBytes), key: keyBytes }, previousKeys, adminToken, warnings };
}
