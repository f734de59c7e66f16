/**
 * Installs: resolve and verify the bundle, check the request against its manifest, seal the
 * credential and store install, credential and triggers in one transaction. Nothing is written
 * before every check has passed, so a bundle that fails verification leaves no trace.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { describeRetention } from "../manifest/retention-policy.js";
import { parseVersionSpec } from "../registry/resolve-version.js";
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import type { Vault } from "../vault/credential-vault.js";
import type { createInstallBody, installView, patchInstallBody } from "./api-schemas.js";
import type { installLifecycleFields } from "./lifecycle-schemas.js";
import type { BundleLoader } from "./bundle-loader.js";
import { requireDependencies } from "./install-dependencies.js";
import { deprecationWarning, triggersOf } from "./install-triggers.js";
import { validatedBindings, validatedConfig, validatedCredentials } from "./install-validation.js";
import { notFound, ServiceError } from "./service-error.js";

type Deps = { store: ServiceStore; bundles: BundleLoader; vault: Vault; clock: Clock; onRemoved(install: InstallRecord): void };

const iso = (t: number) => new Date(t).toISOString();

/** The record's part of the install view; install-views.ts adds the lifecycle fields. */
export function viewInstall(i: InstallRecord): Omit<z.infer<typeof installView>, keyof typeof installLifecycleFields> {
  return {
    id: i.id,
    integration: i.slug,
    version: i.version,
    range: i.range,
    config: i.config,
    bindings: i.bindings,
    credentials: { set: i.credentialFields },
    status: "active",
    warnings: i.warnings,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    followRange: i.followRange,
    previousVersion: i.previous?.version ?? null,
    pendingUpgrade: i.pendingUpgrade && { ...i.pendingUpgrade, detectedAt: iso(i.pendingUpgrade.detectedAt) },
    retention: i.retentionTier && { tier: i.retentionTier, keeps: describeRetention(i.retentionTier) },
  };
}

export function createInstallManager(deps: Deps) {
  const { store, bundles, vault, clock } = deps;

  async function get(tenantId: string, id: string): Promise<InstallRecord> {
    const install = await store.getInstall(tenantId, id);
    if (!install) throw notFound("install", id);
    return install;
  }

  return {
    get,

    async create(tenantId: string, body: z.infer<typeof createInstallBody>): Promise<InstallRecord> {
      const { range } = parseVersionSpec(body.integration);
      const { pulled, digest, integration } = await bundles.pull(body.integration);
      const manifest = integration.manifest;
      await requireDependencies(store, tenantId, manifest);
      const config = validatedConfig(manifest, body.config);
      const bindings = validatedBindings(manifest, body.bindings);
      const credential = validatedCredentials(manifest, body.credentials);
      const id = randomUUID();
      const now = clock.now();
      const install: InstallRecord = {
        id,
        tenantId,
        slug: pulled.slug,
        version: pulled.version,
        range,
        integrity: digest,
        config,
        bindings,
        credentialFields: credential.fields,
        warnings: [...pulled.warnings, ...deprecationWarning(manifest)],
        createdAt: now,
        updatedAt: now,
        retentionTier: manifest.retentionTier,
        followRange: body.followRange ?? false,
        previous: null,
        pendingUpgrade: null,
      };
      await store.createInstall(install, credential.value && vault.seal(id, credential.value), triggersOf(manifest, now));
      return install;
    },

    async patch(tenantId: string, id: string, body: z.infer<typeof patchInstallBody>): Promise<InstallRecord> {
      const install = await get(tenantId, id);
      const { manifest } = await bundles.load(install);
      const next: InstallRecord = { ...install, updatedAt: clock.now() };
      if (body.config !== undefined) next.config = validatedConfig(manifest, body.config);
      if (body.bindings !== undefined) next.bindings = validatedBindings(manifest, body.bindings);
      if (body.followRange !== undefined) next.followRange = body.followRange;
      let sealed = undefined;
      if (body.credentials !== undefined) {
        const credential = validatedCredentials(manifest, body.credentials);
        next.credentialFields = credential.fields;
        sealed = credential.value && vault.seal(id, credential.value);
      }
      if (!(await store.updateInstall(next, sealed))) {
        throw new ServiceError(409, "INSTALL_CHANGED", `install ${id} moved to another version while this change was checked`, "Read the install again and send the change for its current version.");
      }
      return next;
    },

    async remove(tenantId: string, id: string): Promise<void> {
      const install = await get(tenantId, id);
      if (!(await store.deleteInstall(tenantId, id))) throw notFound("install", id);
      deps.onRemoved(install);
    },
  };
}

export type InstallManager = ReturnType<typeof createInstallManager>;
