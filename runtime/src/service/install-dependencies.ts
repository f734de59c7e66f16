/** `dependencies.integrations`: a version that needs other integrations is installed only beside them. */
import semver from "semver";
import type { Manifest } from "../manifest/manifest-schema.js";
import type { ServiceStore } from "../service-store/service-store.js";
import { ServiceError } from "./service-error.js";
import { allInstalls } from "./tenant-installs.js";

export async function requireDependencies(store: ServiceStore, tenantId: string, manifest: Manifest): Promise<void> {
  const wanted = Object.entries(manifest.dependencies?.integrations ?? {});
  if (wanted.length === 0) return;
  const installed = await allInstalls(store, tenantId);
  const missing = wanted.filter(([slug, range]) => !installed.some((i) => i.slug === slug && semver.satisfies(i.version, range)));
  if (missing.length > 0) {
    const names = missing.map(([slug, range]) => `${slug}@${range}`).join(", ");
    throw new ServiceError(409, "DEPENDENCY_MISSING", `${manifest.slug}@${manifest.version} needs ${names} installed in this tenant first`, `Install ${names}, then retry.`);
  }
}
