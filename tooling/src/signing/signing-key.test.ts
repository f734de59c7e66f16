import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedPayload } from "@ihub/runtime/registry";
import { defaultPaths } from "../repo/defaults.js";
import { devKeyWarning, loadSigningKey, signBundle } from "./signing-key.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ihub-keys-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const pem = (type: "ed25519" | "ec" = "ed25519") =>
  (type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" })).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe("signing key", () => {
  it("uses IHUB_SIGNING_KEY and signs the payload verifiably", async () => {
    const key = await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() });
    expect(key.dev).toBe(false);
    expect(devKeyWarning(key)).toBeNull();
    const sig = signBundle(key, "weather", "1.2.3", "sha512-abc");
    const payload = signedPayload("weather", "1.2.3", "sha512-abc");
    expect(verify(null, payload, createPublicKey(key.publicKeyPem), Buffer.from(sig.value, "base64"))).toBe(true);
    // The signature binds name and version: the same digest under another version does not verify.
    expect(verify(null, signedPayload("weather", "1.2.4", "sha512-abc"), createPublicKey(key.publicKeyPem), Buffer.from(sig.value, "base64"))).toBe(false);
  });

  it("reads IHUB_SIGNING_KEY_FILE", async () => {
    const file = path.join(root, "release.pem");
    await writeFile(file, pem());
    const key = await loadSigningKey(root, { IHUB_SIGNING_KEY_FILE: file });
    expect(key).toMatchObject({ dev: false, source: file });
  });

  it("refuses keys that are not ed25519 private keys", async () => {
    await expect(loadSigningKey(root, { IHUB_SIGNING_KEY: "garbage" })).rejects.toMatchObject({ code: "IH_SIGNING_KEY_INVALID" });
    await expect(loadSigningKey(root, { IHUB_SIGNING_KEY: pem("ec") })).rejects.toMatchObject({ code: "IH_SIGNING_KEY_INVALID" });
    await expect(loadSigningKey(root, { IHUB_SIGNING_KEY_FILE: path.join(root, "absent.pem") })).rejects.toMatchObject({ code: "IH_SIGNING_KEY_INVALID" });
  });

  it("generates one dev key on first use, even when many processes race for it, and labels it", async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadSigningKey(root, {})));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    expect(keys[0]!.dev).toBe(true);
    expect(devKeyWarning(keys[0]!)).toMatch(/DEV key/);
    // Every record it signs says so; a release key's records do not.
    expect(signBundle(keys[0]!, "weather", "1.0.0", "sha512-abc").dev).toBe(true);
    expect(signBundle(await loadSigningKey(root, { IHUB_SIGNING_KEY: pem() }), "weather", "1.0.0", "sha512-abc")).not.toHaveProperty("dev");
    const file = defaultPaths(root).devSigningKey;
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadSigningKey(root, {})).keyId).toBe(keys[0]!.keyId);
    expect(await readFile(file, "utf8")).toMatch(/BEGIN PRIVATE KEY/);
  });
});
