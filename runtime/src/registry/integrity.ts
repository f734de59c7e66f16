/** Subresource-Integrity strings of bundle bytes, computed by the publisher and checked by the client. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Integrity } from "./registry-schema.js";

export function computeIntegrity(bytes: Uint8Array): Integrity {
  return {
    sha256: `sha256-${createHash("sha256").update(bytes).digest("base64")}`,
    sha512: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
  };
}

/** Both hashes must match: a collision would have to be found in sha256 and sha512 at once. */
export function integrityMatches(bytes: Uint8Array, expected: Integrity): boolean {
  const actual = computeIntegrity(bytes);
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return same(actual.sha256, expected.sha256) && same(actual.sha512, expected.sha512);
}

/** Hex of the sha512 in an integrity string: the content address of a bundle in the cache. */
export function sha512Hex(integrity: Integrity): string {
  return Buffer.from(integrity.sha512.slice("sha512-".length), "base64").toString("hex");
}

/** The OCI digest of a bundle's layer is its sha256, so the record alone names the blob to fetch. */
export function layerDigest(record: { integrity: Integrity }): string {
  return `sha256:${Buffer.from(record.integrity.sha256.slice("sha256-".length), "base64").toString("hex")}`;
}
