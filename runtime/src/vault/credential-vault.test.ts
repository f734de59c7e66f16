import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createVault, vaultKeyId, type VaultKey } from "./credential-vault.js";
import { ADMIN_TOKEN_ENV, loadRuntimeSecrets, RUNTIME_KEY_ENV } from "./runtime-secrets.js";

const SECRET = "zq-vault-secret-7c41e9";
const key = (): VaultKey => {
  const k = randomBytes(32);
  return { id: vaultKeyId(k), key: k };
};

describe("credential vault", () => {
  it("seals with the active key, opens with any key it holds, never shows the secret in the record", () => {
    const old = key();
    const current = key();
    const before = createVault(old).seal("install-1", { apiKey: SECRET });
    expect(JSON.stringify(before)).not.toContain(SECRET);
    expect(before.keyId).toBe(old.id);
    const rotated = createVault(current, [old]);
    expect(rotated.open("install-1", before)).toEqual({ apiKey: SECRET });
    expect(rotated.seal("install-1", { apiKey: SECRET }).keyId).toBe(current.id);
  });

  it("refuses a record moved to another install, a tampered one, and one sealed with an unknown key", () => {
    const k = key();
    const vault = createVault(k);
    const sealed = vault.seal("install-1", { apiKey: SECRET });
    expect(() => vault.open("install-2", sealed)).toThrow(expect.objectContaining({ code: "VAULT_TAMPERED" }));
    const flipped = Buffer.from(sealed.ciphertext, "base64");
    flipped[0]! ^= 1;
    expect(() => vault.open("install-1", { ...sealed, ciphertext: flipped.toString("base64") })).toThrow(expect.objectContaining({ code: "VAULT_TAMPERED" }));
    expect(() => createVault(key()).open("install-1", sealed)).toThrow(expect.objectContaining({ code: "VAULT_KEY_UNKNOWN" }));
  });
});

describe("runtime secrets", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("generates development values once, with warnings, and reuses them", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ihub-secrets-"));
    const first = await loadRuntimeSecrets(dir, {});
    const second = await loadRuntimeSecrets(dir, {});
    expect(second.key).toEqual(first.key);
    expect(second.adminToken).toBe(first.adminToken);
    expect(first.warnings.join("\n")).toMatch(new RegExp(`${RUNTIME_KEY_ENV}.*${ADMIN_TOKEN_ENV}`, "s"));
    expect((await stat(path.join(dir, "dev-runtime-key"))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, "dev-runtime-key"), "utf8")).trim()).toBe(first.key.key.toString("hex"));
  });

  it("takes both from the environment without warnings, and refuses a short key", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ihub-secrets-"));
    const hex = randomBytes(32).toString("hex");
    const secrets = await loadRuntimeSecrets(dir, { [RUNTIME_KEY_ENV]: hex, [ADMIN_TOKEN_ENV]: "admin-zq-91b" });
    expect(secrets).toMatchObject({ adminToken: "admin-zq-91b", warnings: [] });
    expect(secrets.key.key.toString("hex")).toBe(hex);
    await expect(loadRuntimeSecrets(dir, { [RUNTIME_KEY_ENV]: "abcd" })).rejects.toMatchObject({ code: "VAULT_BAD_KEY" });
  });
});
