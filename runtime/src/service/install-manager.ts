/**
 * Installs: resolve and verify the bundle, check the request against its manifest, seal the
 * credential and store install, credential and triggers in one transaction. Nothing is written
 * before every check has passed, so a bundle that fails verification leaves no trace.
 */
import { randomUUID } from "node:crypto";
import semver from "semver";
import type { z } from "zod";
import type { Manifest } from "../manifest/manifest-schema.js";
import { parseVersionSpec } from "../registry/resolve-version.js";
import { nextFireAfter } from "../scheduler/timer-schedule.js";
import type { InstallRecord, ServiceStore, Trigger } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import type { Vault } from "../vault/credential-vault.js";
import type { createInstallBody, installView, patchInstallBody } from "./api-schemas.js";
import type { installLifecycleFields } from "./lifecycle-schemas.js";
import type { BundleLoader } from "./bundle-loader.js";
import { validatedBindings, validatedConfig, validatedCredentials } from "./install-validation.js";
import { notFound, ServiceError } from "./service-error.js";

type Deps = { store: ServiceStore; bundles: BundleLoader; vault: Vault; clock: Clock; onRemoved(install: InstallRecord): void };

/** A schedule that cannot be read is refused at install, so the worker never meets one. */
function firstFire(manifest: Manifest, handler: string, schedule: string, now: number): number {
  try {
    return nextFireAfter(schedule, now);
  } catch (error) {
    throw new ServiceError(422, "SCHEDULE_INVALID", `${manifest.slug}@${manifest.version}: handlers.${handler}.schedule ${JSON.stringify(schedule)} cannot be read: ${(error as Error).message}`, "The bundle should not have passed `ihub validate`; ask its publisher for a fixed version.");
  }
}

function triggersOf(manifest: Manifest, now: number): Trigger[] {
  const out: Trigger[] = [];
  for (const [handler, h] of Object.entries(manifest.handlers)) {
    if (h.type === "timer" && h.schedule) out.push({ kind: "timer", handler, schedule: h.schedule, firstAt: firstFire(manifest, handler, h.schedule, now) });
    if (h.type === "event" && h.event) out.push({ kind: "event", handler, topic: h.event });
  }
  return out;
}

function deprecationWarning(m: Manifest): string[] {
  if (!m.deprecated) return [];
  return [`${m.slug} is deprecated: ${m.deprecated.message}${m.deprecated.replacement ? ` (replacement: ${m.deprecated.replacement})` : ""}`];
}

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
    createdAt: new Date(i.createdAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
  };
}

export function createInstallManager(deps: Deps) {
  const { store, bundles, vault, clock } = deps;

  async function requireDependencies(tenantId: string, manifest: Manifest): Promise<void> {
    const wanted = Object.entries(manifest.dependencies?.integrations ?? {});
    if (wanted.length === 0) return;
    const installed: InstallRecord[] = [];
    for (let cursor: string | undefined, page; (page = await store.listInstalls(tenantId, { limit: 200, ...(cursor ? { cursor } : {}) })); ) {
      installed.push(...page.items);
      if (!page.cursor) break;
      cursor = page.cursor;
    }
    const missing = wanted.filter(([slug, range]) => !installed.some((i) => i.slug === slug && semver.satisfies(i.version, range)));
    if (missing.length > 0) {
      const names = missing.map(([slug, range]) => `${slug}@${range}`).join(", ");
      throw new ServiceError(409, "DEPENDENCY_MISSING", `${manifest.slug} needs ${names} installed in this tenant first`, `Install ${names}, then retry.`);
    }
  }

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
      await requireDependencies(tenantId, manifest);
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
      let sealed = undefined;
      if (body.credentials !== undefined) {
        const credential = validatedCredentials(manifest, body.credentials);
        next.credentialFields = credential.fields;
        sealed = credential.value && vault.seal(id, credential.value);
      }
      await store.updateInstall(next, sealed);
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
