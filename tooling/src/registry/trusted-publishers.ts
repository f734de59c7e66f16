/**
 * The keys a publishing `ihub registry serve` accepts records from: the operator's --trusted-key
 * files, never a key a request brings. A token only proves the publisher may write; the key
 * decides whose signature clients will see, so trusting the request's own key would let anyone
 * holding the token publish under a key of their choosing.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { keyIdOf, type RegistryKeys } from "@ihub/runtime/registry";
import { UsageError } from "../errors.js";

/** A configured key: what verifies signatures (verifyRecordSignature's shape), and what keys.json lists for it. */
export type PublisherKey = { keyId: string; key: KeyObject; entry: Omit<RegistryKeys["keys"][number], "dev"> };

const PUBLIC_KEY_HINT = "Pass an ed25519 public key in SPKI PEM form (BEGIN PUBLIC KEY), e.g. from openssl pkey -in key.pem -pubout.";

async function readPublisherKey(file: string): Promise<PublisherKey> {
  const pem = await readFile(path.resolve(file), "utf8").catch((cause: NodeJS.ErrnoException) => {
    throw new UsageError(`--trusted-key ${file} cannot be read (${cause.code ?? cause.message})`, PUBLIC_KEY_HINT);
  });
  // createPublicKey would derive the public half of a private key: a signing key does not belong on the server.
  if (pem.includes("PRIVATE KEY-----")) throw new UsageError(`--trusted-key ${file} holds a private key`, `${PUBLIC_KEY_HINT} Keep the private key with the publisher.`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UsageError(`--trusted-key ${file} is not a PEM public key`, PUBLIC_KEY_HINT);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new UsageError(`--trusted-key ${file} is an ${key.asymmetricKeyType} key, not ed25519`, PUBLIC_KEY_HINT);
  const keyId = keyIdOf(key);
  return { keyId, key, entry: { keyId, algorithm: "ed25519", publicKey: key.export({ type: "spki", format: "pem" }).toString() } };
}

/** Reads every --trusted-key file; the same key given twice counts once. */
export async function readTrustedPublisherKeys(files: readonly string[]): Promise<PublisherKey[]> {
  const keys = new Map<string, PublisherKey>();
  for (const file of files) {
    const key = await readPublisherKey(file);
    if (!keys.has(key.keyId)) keys.set(key.keyId, key);
  }
  return [...keys.values()];
}
