/**
 * The ed25519 key bundles are signed with: IHUB_SIGNING_KEY (PEM) or IHUB_SIGNING_KEY_FILE, else
 * a dev key generated on first use for local runs. A dev key is always reported as such and is
 * marked `dev: true` in the registry's keys.json so no consumer mistakes it for a release key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { mkdir, readFile, link, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { keyIdOf, signedPayload, type VersionRecord } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import { defaultPaths } from "../repo/defaults.js";

export type SigningKey = {
  privateKey: KeyObject;
  keyId: string;
  /** SPKI PEM, published in keys.json. */
  publicKeyPem: string;
  dev: boolean;
  /** Where the key came from, for the operator: an env var name or a file path. */
  source: string;
};

function fromPem(pem: string, source: string, dev: boolean): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (cause) {
    throw new IhubError("IH_SIGNING_KEY_INVALID", `signing key from ${source} is not a PEM private key`, {
      hint: "Generate one with `openssl genpkey -algorithm ed25519` and pass it as IHUB_SIGNING_KEY or IHUB_SIGNING_KEY_FILE.",
      cause,
    });
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new IhubError("IH_SIGNING_KEY_INVALID", `signing key from ${source} is ${privateKey.asymmetricKeyType}, bundles are signed with ed25519`, {
      hint: "Generate one with `openssl genpkey -algorithm ed25519`.",
    });
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), dev, source };
}

/** Creates the dev key once; concurrent first runs race on an atomic link, and every loser reads the winner's key. */
async function devKeyPem(file: string): Promise<string> {
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync("ed25519");
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return readFile(file, "utf8");
}

export async function loadSigningKey(root: string, env: NodeJS.ProcessEnv = process.env): Promise<SigningKey> {
  if (env.IHUB_SIGNING_KEY) return fromPem(env.IHUB_SIGNING_KEY, "IHUB_SIGNING_KEY", false);
  if (env.IHUB_SIGNING_KEY_FILE) {
    const file = env.IHUB_SIGNING_KEY_FILE;
    const pem = await readFile(file, "utf8").catch((cause) => {
      throw new IhubError("IH_SIGNING_KEY_INVALID", `cannot read IHUB_SIGNING_KEY_FILE ${file}`, { hint: "Point it at a readable PEM file.", cause });
    });
    return fromPem(pem, file, false);
  }
  const file = defaultPaths(root).devSigningKey;
  return fromPem(await devKeyPem(file), file, true);
}

export function signBundle(key: SigningKey, slug: string, version: string, sha512: string): VersionRecord["signature"] {
  const value = sign(null, signedPayload(slug, version, sha512), key.privateKey).toString("base64");
  return { algorithm: "ed25519", keyId: key.keyId, value, ...(key.dev ? { dev: true as const } : {}) };
}

/** The loud line every command that signs prints when the key is a dev key. */
export function devKeyWarning(key: SigningKey): string | null {
  return key.dev
    ? `WARNING: signing with a DEV key (${key.source}), generated for local runs. Consumers must not trust it; set IHUB_SIGNING_KEY or IHUB_SIGNING_KEY_FILE for releases.`
    : null;
}
