/**
 * ed25519 signatures over `signedPayload`. Key ids are derived from the public key itself, so a
 * registry cannot label a key of its own with the id of a key the caller trusts.
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { RegistryError } from "./registry-error.js";
import { signedPayload, type VersionRecord } from "./registry-schema.js";

/** `ed25519:` + the first 32 hex digits of sha256 over the SPKI DER of the public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `ed25519:${createHash("sha256").update(der).digest("hex").slice(0, 32)}`;
}

export type TrustedKey = { keyId: string; key: KeyObject };

/** Parses SPKI PEM public keys the caller trusts; each key's id is computed, never taken from a document. */
export function trustedKeysFromPem(pems: readonly string[]): TrustedKey[] {
  return pems.map((pem) => {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new RegistryError("REG_UNTRUSTED_KEY", `trusted key is ${key.asymmetricKeyType}, not ed25519`);
    return { keyId: keyIdOf(key), key };
  });
}

type Signed = Pick<VersionRecord, "slug" | "version" | "integrity" | "signature">;

export const UNTRUSTED_KEY_HINT = "Add the publisher's public key to the trusted keys, or use dev trust (local runs only) to accept the registry's keys.json.";

export function isTrusted(record: Pick<Signed, "signature">, trusted: readonly TrustedKey[]): boolean {
  return trusted.some((k) => k.keyId === record.signature.keyId);
}

export function verifyRecordSignature(record: Signed, trusted: readonly TrustedKey[], file?: string): void {
  const key = trusted.find((k) => k.keyId === record.signature.keyId);
  if (!key) {
    throw new RegistryError("REG_UNTRUSTED_KEY", `${record.slug}@${record.version} is signed by ${record.signature.keyId}, which is not a trusted key`, {
      file,
      hint: UNTRUSTED_KEY_HINT,
    });
  }
  const ok = verify(null, signedPayload(record.slug, record.version, record.integrity.sha512), key.key, Buffer.from(record.signature.value, "base64"));
  if (!ok) {
    throw new RegistryError("REG_SIGNATURE", `signature of ${record.slug}@${record.version} does not verify with ${key.keyId}`, {
      file,
      hint: "The record, the bundle or the signature was altered after signing: do not install it.",
    });
  }
}
