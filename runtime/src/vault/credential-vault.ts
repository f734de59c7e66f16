/**
 * Credentials at rest: AES-256-GCM with a fresh 96-bit IV per record. The install id is the
 * additional authenticated data, so a sealed record copied onto another install fails to open.
 * Each record names the key that sealed it; the vault holds every key it may still need to open
 * older records and seals only with the active one, which is what makes rotation possible.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { VaultError } from "./vault-error.js";

export type VaultKey = { id: string; key: Buffer };
export type SealedCredential = { keyId: string; iv: string; tag: string; ciphertext: string };

/** Short, stable id of a key: it is stored beside every record, so it must not reveal the key. */
export function vaultKeyId(key: Buffer): string {
  return `k_${createHash("sha256").update("ihub-runtime-key-id\0").update(key).digest("hex").slice(0, 16)}`;
}

export function createVault(active: VaultKey, older: readonly VaultKey[] = []) {
  if (active.key.length !== 32) throw new VaultError("VAULT_BAD_KEY", "the credential key must be 32 bytes (AES-256)");
  const keys = new Map([...older, active].map((k) => [k.id, k.key]));
  return {
    activeKeyId: active.id,
    seal(installId: string, value: Record<string, unknown>): SealedCredential {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", active.key, iv);
      cipher.setAAD(Buffer.from(installId, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return { keyId: active.id, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") };
    },
    open(installId: string, sealed: SealedCredential): Record<string, unknown> {
      const key = keys.get(sealed.keyId);
      if (!key) {
        throw new VaultError("VAULT_KEY_UNKNOWN", `the credential of install ${installId} was sealed with key ${sealed.keyId}, which this runtime does not hold`, "Start the runtime with the IHUB_RUNTIME_KEY that sealed it.");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
        decipher.setAAD(Buffer.from(installId, "utf8"));
        decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
        const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
        return JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
      } catch {
        throw new VaultError("VAULT_TAMPERED", `the credential of install ${installId} does not authenticate`, "The stored record was altered or belongs to another install; set the credential again with PATCH.");
      }
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
