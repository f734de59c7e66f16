/**
 * Moving an install between versions. An upgrade resolves its target (an exact version, the
 * pending one being accepted, or the newest in the range), checks that the config, bindings and
 * credential fit the target and whether the target may do more than the installed version (the manifest
 * diff's `widenedAccess`). It is applied only when nothing blocks it; otherwise the install
 * records the pending upgrade and why. Applying is one store transaction (record, triggers,
 * jobs of handlers that are gone, a new credential); cache and containers are untouched. A
 * rollback returns to what the last switch left, without asking for consent again (the tenant ran
 * that version).
 */
import semver from "semver";
import type { z } from "zod";
import { widenedAccess } from "../contract/manifest-diff.js";
import { ExecutorError } from "../executor/executor-error.js";
import type { Manifest } from "../manifest/manifest-schema.js";
import { RegistryError } from "../registry/registry-error.js";
import type { InstalledVersion, InstallRecord, PendingUpgrade, PointedChange, ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import type { SealedCredential, Vault } from "../vault/credential-vault.js";
import type { rollbackBody, upgradeBody } from "./api-schemas.js";
import type { BundleLoader } from "./bundle-loader.js";
import type { ServiceMetrics } from "./service-metrics.js";
import { requireDependencies } from "./install-dependencies.js";
import { deprecationWarning, triggersOf } from "./install-triggers.js";
import { fitConfig, validatedBindings, validatedCredentials } from "./install-validation.js";
import { ServiceError } from "./service-error.js";

type Deps = {
  store: ServiceStore;
  bundles: BundleLoader;
  vault: Vault;
  clock: Clock;
  metrics: ServiceMetrics;
  /** Called after a switch, with the install as it was (its warm state can go). */
  onSwitched(before: InstallRecord): void;
};

export type UpgradeRequest = z.infer<typeof upgradeBody>;

/** A new credential for the switch (null removes it), or undefined to keep the stored one. */
type CredentialChange = SealedCredential | null | undefined;

type Plan = { kind: "current" } | { kind: "blocked"; pending: PendingUpgrade } | { kind: "ready"; next: InstallRecord; manifest: Manifest; credential: CredentialChange };

export type UpgradeOutcome =
  | { kind: "upgraded"; install: InstallRecord }
  | { kind: "current"; install: InstallRecord }
  | { kind: "blocked"; install: InstallRecord; pending: PendingUpgrade };

const versionOf = (i: InstallRecord): InstalledVersion => ({
  version: i.version, range: i.range, integrity: i.integrity, config: i.config, bindings: i.bindings, retentionTier: i.retentionTier, warnings: i.warnings,
});

/** An install-time check as a list of problems; bindings and credentials report their first (the one to fix next). */
function problemsOf(check: () => unknown): PointedChange[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof ServiceError && error.pointer) return [{ message: error.message, pointer: error.pointer }];
    throw error;
  }
}

/** The 409 a blocked upgrade answers with; the install shows the same pending change. */
export function blockedError(install: InstallRecord, pending: PendingUpgrade): ServiceError {
  const target = `${install.slug}@${pending.version}`;
  if (pending.problems.length > 0) {
    return new ServiceError(409, "UPGRADE_CONFIG_INVALID", `${target} does not accept this install's config, bindings or credential`, "Send the upgrade again with a `config` (or `bindings`, `credentials`) that fits the new version; `problems` names each value.", pending.problems[0]!.pointer, pending.problems);
  }
  return new ServiceError(409, "UPGRADE_NEEDS_CONSENT", `${target} may do more than ${install.version}: ${pending.access.map((a) => a.message).join("; ")}`, "Review `problems` (pointers into the new manifest), then send the upgrade again with `acceptPermissions: true`.", undefined, pending.access);
}

export function createUpgradeManager(deps: Deps) {
  const { store, bundles, vault, clock } = deps;

  async function apply(before: InstallRecord, next: InstallRecord, manifest: Manifest, credential: CredentialChange): Promise<InstallRecord> {
    if (!(await store.switchVersion(next, before.integrity, triggersOf(manifest, next.updatedAt), credential))) {
      throw new ServiceError(409, "UPGRADE_CONFLICT", `install ${before.id} changed version while this switch was prepared`, "Read the install again and retry.");
    }
    deps.onSwitched(before);
    return next;
  }

  function targetSpec(install: InstallRecord, request: UpgradeRequest): string {
    if (request.version) return `${install.slug}@${request.version}`;
    if (request.acceptPermissions && install.pendingUpgrade) return `${install.slug}@${install.pendingUpgrade.version}`;
    return `${install.slug}@${install.range}`;
  }

  /**
   * The credential a version would run with: the one the request brings, or the stored one, each
   * checked against the version's auth (messages name the rule, never the value).
   */
  async function credentialFor(install: InstallRecord, manifest: Manifest, given: Record<string, unknown> | null | undefined) {
    const value = given !== undefined ? given : await store.getCredential(install.tenantId, install.id).then((sealed) => sealed && vault.open(install.id, sealed));
    let checked: ReturnType<typeof validatedCredentials> | undefined;
    const problems = problemsOf(() => (checked = validatedCredentials(manifest, value)));
    if (!checked || given === undefined) return { problems, change: undefined, fields: install.credentialFields };
    return { problems, change: checked.value && vault.seal(install.id, checked.value), fields: checked.fields };
  }

  /** What moving to `spec` would do, without doing it. */
  async function plan(install: InstallRecord, spec: string, request: UpgradeRequest): Promise<Plan> {
    const { pulled, digest, integration } = await bundles.pull(spec);
    if (digest === install.integrity) return { kind: "current" };
    const manifest = integration.manifest;
    const current = (await bundles.load(install)).manifest;
    await requireDependencies(store, install.tenantId, manifest);
    const config = fitConfig(manifest, request.config ?? install.config);
    const bindings = request.bindings ?? install.bindings;
    const credential = await credentialFor(install, manifest, request.credentials);
    const pending: PendingUpgrade = {
      version: pulled.version,
      detectedAt: clock.now(),
      access: widenedAccess(current, manifest).map(({ message, pointer }) => ({ message, pointer })),
      problems: [...config.problems, ...problemsOf(() => validatedBindings(manifest, bindings)), ...credential.problems],
    };
    if (pending.problems.length > 0 || (pending.access.length > 0 && !request.acceptPermissions)) return { kind: "blocked", pending };
    const next: InstallRecord = {
      ...install,
      version: pulled.version,
      integrity: digest,
      range: semver.satisfies(pulled.version, install.range) ? install.range : `^${pulled.version}`,
      config: config.value,
      bindings,
      credentialFields: credential.fields,
      warnings: [...pulled.warnings, ...deprecationWarning(manifest)],
      retentionTier: manifest.retentionTier,
      previous: versionOf(install),
      pendingUpgrade: null,
      updatedAt: clock.now(),
    };
    return { kind: "ready", next, manifest, credential: credential.change };
  }

  /** Carries a plan out: applies it, records why it waits, or clears a pending upgrade the install has passed. */
  async function settle(install: InstallRecord, p: Plan): Promise<UpgradeOutcome> {
    deps.metrics.versionSwitches.inc({ outcome: p.kind === "ready" ? "upgraded" : p.kind });
    switch (p.kind) {
      case "current":
        if (install.pendingUpgrade && !semver.gt(install.pendingUpgrade.version, install.version)) await store.setPendingUpgrade(install.tenantId, install.id, install.integrity, null);
        return { kind: "current", install };
      case "blocked":
        await store.setPendingUpgrade(install.tenantId, install.id, install.integrity, p.pending);
        return { kind: "blocked", install: { ...install, pendingUpgrade: p.pending }, pending: p.pending };
      case "ready":
        return { kind: "upgraded", install: await apply(install, p.next, p.manifest, p.credential) };
    }
  }

  return {
    async upgrade(install: InstallRecord, request: UpgradeRequest): Promise<UpgradeOutcome> {
      return settle(install, await plan(install, targetSpec(install, request), request));
    },

    /**
     * Following the range: to the newest of `newer` (versions above the installed one, newest
     * first) that applies by itself. When a newer one cannot, it stays pending on the install,
     * so 1.1.0 is applied while 1.2.0, which adds a permission, waits for the tenant.
     */
    async follow(install: InstallRecord, newer: readonly string[]): Promise<UpgradeOutcome> {
      let waiting: Plan | null = null;
      for (const version of newer) {
        let p: Plan;
        try {
          p = await plan(install, `${install.slug}@${version}`, {});
        } catch (error) {
          // A version this runtime cannot take (untrusted signer, broken bundle) is passed over.
          if (error instanceof RegistryError || error instanceof ExecutorError) continue;
          throw error;
        }
        if (p.kind === "blocked") waiting ??= p;
        if (p.kind !== "ready") continue;
        const upgraded = await settle(install, p);
        if (!waiting || upgraded.kind !== "upgraded") return upgraded;
        // The waiting version is judged again against the version now installed.
        const still = await settle(upgraded.install, await plan(upgraded.install, `${install.slug}@${newer[0]}`, {}));
        return { kind: "upgraded", install: still.install };
      }
      return settle(install, waiting ?? { kind: "current" });
    },

    /**
     * Back to what the last switch left; following the range stops, or the next poll would undo
     * it. The credential stays unless the request brings one, and must fit the older version.
     */
    async rollback(install: InstallRecord, request: z.infer<typeof rollbackBody>): Promise<InstallRecord> {
      const back = install.previous;
      if (!back) throw new ServiceError(409, "NO_PREVIOUS_VERSION", `install ${install.id} has not been upgraded, so there is nothing to roll back to`, "Upgrade it first, or install the version you want.");
      const { manifest } = await bundles.load({ slug: install.slug, version: back.version, integrity: back.integrity });
      const credential = await credentialFor(install, manifest, request.credentials);
      if (credential.problems.length > 0) {
        throw new ServiceError(409, "ROLLBACK_CREDENTIALS_INVALID", `${install.slug}@${back.version} does not accept this install's credential`, "Send the rollback again with `credentials` for that version.", credential.problems[0]!.pointer, credential.problems);
      }
      const next: InstallRecord = { ...install, ...back, credentialFields: credential.fields, previous: versionOf(install), pendingUpgrade: null, followRange: false, updatedAt: clock.now() };
      const rolledBack = await apply(install, next, manifest, credential.change);
      deps.metrics.versionSwitches.inc({ outcome: "rolled_back" });
      return rolledBack;
    },
  };
}

export type UpgradeManager = ReturnType<typeof createUpgradeManager>;
