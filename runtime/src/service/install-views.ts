/** The install as the API shows it: the record's view plus its OAuth connection, connected account and billed total. */
import type { z } from "zod";
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";
import type { installView } from "./api-schemas.js";
import { viewInstall } from "./install-manager.js";
import { viewLifecycle } from "./lifecycle-schemas.js";

export type InstallView = z.infer<typeof installView>;

export function createInstallViews(store: ServiceStore) {
  async function many(tenantId: string, installs: readonly InstallRecord[]): Promise<InstallView[]> {
    const lifecycle = await store.lifecycle.installLifecycle(tenantId, installs.map((i) => i.id));
    return installs.map((i) => ({ ...viewInstall(i), ...viewLifecycle(lifecycle.get(i.id)) }));
  }
  return {
    many,
    one: async (install: InstallRecord): Promise<InstallView> => (await many(install.tenantId, [install]))[0]!,
  };
}

export type InstallViews = ReturnType<typeof createInstallViews>;
