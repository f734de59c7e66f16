/**
 * The verified bundle of an install, loaded once per content digest. Pulling by the exact version
 * goes through the registry client's checks again (integrity, signature, safe unpack, or its
 * verified cache); a registry that now serves other bytes under the same version is refused.
 */
import { loadBundle, type LoadedIntegration } from "../executor/load-integration.js";
import { sha512Hex } from "../registry/integrity.js";
import type { PulledBundle, RegistryClient } from "../registry/registry-client.js";
import { ServiceError } from "./service-error.js";

export type BundleRef = { slug: string; version: string; integrity: string };

export function createBundleLoader(registry: Pick<RegistryClient, "pull">) {
  const loaded = new Map<string, Promise<LoadedIntegration>>();
  const fromPulled = (pulled: PulledBundle) => {
    const digest = sha512Hex(pulled.record.integrity);
    let entry = loaded.get(digest);
    if (!entry) {
      entry = loadBundle(pulled.dir);
      loaded.set(digest, entry);
      entry.catch(() => loaded.delete(digest));
    }
    return { digest, integration: entry };
  };
  return {
    /** A new install: resolve and verify `slug@range`. */
    async pull(spec: string) {
      const pulled = await registry.pull(spec, { allowYanked: true });
      const { digest, integration } = fromPulled(pulled);
      return { pulled, digest, integration: await integration };
    },
    /** An existing install: exactly the bytes it was installed with. */
    async load(ref: BundleRef): Promise<LoadedIntegration> {
      const cached = loaded.get(ref.integrity);
      if (cached) return cached;
      const pulled = await registry.pull(`${ref.slug}@${ref.version}`, { allowYanked: true });
      const { digest, integration } = fromPulled(pulled);
      if (digest !== ref.integrity) {
        throw new ServiceError(502, "BUNDLE_CHANGED", `${ref.slug}@${ref.version} in the registry is not the bundle this install verified`, "A published version must never change; reinstall to accept the new bytes.");
      }
      return integration;
    },
  };
}

export type BundleLoader = ReturnType<typeof createBundleLoader>;
