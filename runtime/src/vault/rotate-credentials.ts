/**
 * Key rotation: every credential sealed with another key is opened with the key that sealed it
 * and sealed again with the active one, a page at a time. It can run while the runtime serves
 * (each record is replaced only if unchanged since it was read) and again after an interruption.
 */
import type { ServiceStore } from "../service-store/service-store.js";
import type { Vault } from "./credential-vault.js";

export async function rotateCredentials(store: Pick<ServiceStore, "credentialsSealedWithOtherKeys" | "resealCredential">, vault: Vault, pageSize = 200): Promise<{ resealed: number }> {
  let resealed = 0;
  for (;;) {
    const page = await store.credentialsSealedWithOtherKeys(vault.activeKeyId, pageSize);
    if (page.length === 0) return { resealed };
    for (const { installId, sealed } of page) {
      if (await store.resealCredential(installId, sealed, vault.seal(installId, vault.open(installId, sealed)))) resealed++;
    }
  }
}
