/**
 * Installs that follow their range: each poll asks the registry, once per slug, whether the
 * slug's versions changed since the ETag it holds (a 304 over HTTP costs no body), and moves each
 * following install whose range now holds a newer version to the newest one that applies by
 * itself (upgrade-manager.ts `follow`). A version that widens access or that the config does not
 * fit is not applied: it stays pending on the install, and is not tried again until a newer
 * version appears. ETags and versions are
 * kept in memory; after a restart the first poll reads each index once in full.
 */
import type { FastifyBaseLogger } from "fastify";
import semver from "semver";
import type { RegistryClient } from "../registry/registry-client.js";
import { RegistryError } from "../registry/registry-error.js";
import { installableVersions, type Candidate } from "../registry/resolve-version.js";
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";
import type { UpgradeManager } from "./upgrade-manager.js";

type Deps = { store: ServiceStore; registry: Pick<RegistryClient, "pollVersions">; upgrades: UpgradeManager; log: FastifyBaseLogger };

export type FollowReport = { upgraded: string[]; blocked: string[]; failed: string[] };

/** Installable versions in the install's range above its version, newest first. */
function newerIn(install: InstallRecord, candidates: readonly Candidate[]): string[] {
  try {
    return installableVersions({ slug: install.slug, range: install.range }, candidates)
      .map((c) => c.version)
      .filter((v) => semver.gt(v, install.version));
  } catch (error) {
    if (error instanceof RegistryError) return [];
    throw error;
  }
}

export function createUpgradeFollower(deps: Deps) {
  const { store, registry, upgrades, log } = deps;
  const known = new Map<string, { etag: string; candidates: Candidate[] }>();

  async function follow(install: InstallRecord, newer: string[], report: FollowReport): Promise<void> {
    try {
      const outcome = await upgrades.follow(install, newer);
      if (outcome.kind === "upgraded") {
        report.upgraded.push(install.id);
        log.info({ installId: install.id, from: install.version, to: outcome.install.version }, "install followed its range");
      } else if (outcome.kind === "blocked") {
        report.blocked.push(install.id);
        log.info({ installId: install.id, version: outcome.pending.version, access: outcome.pending.access.length, problems: outcome.pending.problems.length }, "upgrade waits for the tenant");
      }
    } catch (error) {
      report.failed.push(install.id);
      log.warn({ err: error, installId: install.id }, "could not follow the range");
    }
  }

  return {
    /** One poll of every followed slug; tests call it directly, the service on an interval. */
    async poll(): Promise<FollowReport> {
      const report: FollowReport = { upgraded: [], blocked: [], failed: [] };
      const bySlug = new Map<string, InstallRecord[]>();
      for (const install of await store.installsFollowingRanges()) bySlug.set(install.slug, [...(bySlug.get(install.slug) ?? []), install]);
      for (const [slug, installs] of bySlug) {
        let seen = known.get(slug);
        try {
          const polled = await registry.pollVersions(slug, seen?.etag ?? null);
          if (polled.changed) known.set(slug, (seen = { etag: polled.etag, candidates: polled.candidates }));
        } catch (error) {
          report.failed.push(...installs.map((i) => i.id));
          log.warn({ err: error, slug }, "could not poll the registry");
          continue;
        }
        for (const install of installs) {
          const newer = newerIn(install, seen!.candidates);
          if (newer.length > 0 && newer[0] !== install.pendingUpgrade?.version) await follow(install, newer, report);
        }
      }
      return report;
    },
  };
}

export type UpgradeFollower = ReturnType<typeof createUpgradeFollower>;
