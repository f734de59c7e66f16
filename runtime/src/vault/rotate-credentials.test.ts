import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { sqliteServiceStore } from "../service-store/sqlite-service-store.js";
import { createVault, vaultKeyId, type VaultKey } from "./credential-vault.js";
import { rotateCredentials } from "./rotate-credentials.js";

const SECRET = "sk-rotate-zq-5f0d2e";
const key = (): VaultKey => {
  const k = randomBytes(32);
  return { id: vaultKeyId(k), key: k };
};
let dir = "";
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("re-seals every credential with the active key, once, and needs the old key to do it", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-rotate-"));
  const store = sqliteServiceStore(path.join(dir, "rt.sqlite"));
  await store.createTenant({ id: "t", name: "t", createdAt: 0, bindings: {} }, "hash");
  const [oldKey, newKey] = [key(), key()];
  for (const id of ["i-1", "i-2", "i-3"]) {
    await store.createInstall({ id, tenantId: "t", slug: "s", version: "1.0.0", range: "^1", integrity: "x", config: {}, bindings: {}, credentialFields: ["apiKey"], warnings: [], createdAt: 0, updatedAt: 0, retentionTier: "short", followRange: false, previous: null, pendingUpgrade: null }, createVault(oldKey).seal(id, { apiKey: SECRET }), []);
  }
  await expect(rotateCredentials(store, createVault(newKey))).rejects.toMatchObject({ code: "VAULT_KEY_UNKNOWN" });
  expect(await rotateCredentials(store, createVault(newKey, [oldKey]), 2)).toEqual({ resealed: 3 });
  expect(await rotateCredentials(store, createVault(newKey, [oldKey]))).toEqual({ resealed: 0 });
  const sealed = (await store.getCredential("t", "i-2"))!;
  expect(sealed.keyId).toBe(newKey.id);
  expect(createVault(newKey).open("i-2", sealed)).toEqual({ apiKey: SECRET });
  await store.close();
});
