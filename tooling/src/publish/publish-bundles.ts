/**
 * Publishes signed bundles to every target: OCI registries first, so the directory registry's
 * records can carry the manifest digest (ociDigest) of the same bundle; then directories, and
 * HTTP registries that accept publishes (the same directory publish, run by the server).
 */
import { describeLocation, type OciCredentials, type RegistryKeys, type RegistryLocation, type VersionRecord } from "@ihub/runtime/registry";
import type { SignedBundle } from "../bundle/sign-built.js";
import { progress } from "../report/progress.js";
import type { SigningKey } from "../signing/signing-key.js";
import { publishToHttp } from "./publish-http.js";
import { publishToDir, type PublishOutcome } from "./publish-to-dir.js";
import { pushToOci } from "./push-oci.js";
import { versionRecord } from "./version-record.js";

export type PublishStatus = "published" | "unchanged" | "conflict";
export type PublishResult = { target: string; slug: string; version: string; status: PublishStatus; detail?: string; ociDigest?: string };

export function publicKeyEntry(key: SigningKey): RegistryKeys["keys"][number] {
  return { keyId: key.keyId, algorithm: "ed25519", publicKey: key.publicKeyPem, dev: key.dev };
}

export type PublishOptions = {
  commit: string | null;
  now?: Date;
  credentials?: OciCredentials;
  /** Bearer token for HTTP registries (`ihub registry serve --allow-publish`). */
  registryToken?: string;
};

/** One result per outcome of a directory publish, local or through an HTTP registry. */
function directoryResults(target: string, outcomes: readonly PublishOutcome[]): PublishResult[] {
  return outcomes.map((o) => ({
    target,
    slug: o.record.slug,
    version: o.record.version,
    status: o.status,
    ...(o.status === "conflict" ? { detail: `already published with content ${o.existing.contentDigest}, this build is ${o.record.contentDigest}` } : {}),
    ...(o.status === "unchanged" && o.repaired.length ? { detail: `repaired ${o.repaired.join(", ")}` } : {}),
    ...(o.record.ociDigest ? { ociDigest: o.record.ociDigest } : {}),
  }));
}

export async function publishBundles(
  bundles: readonly SignedBundle[],
  targets: readonly RegistryLocation[],
  key: SigningKey,
  opts: PublishOptions,
): Promise<PublishResult[]> {
  const now = opts.now ?? new Date();
  const records = new Map<SignedBundle, VersionRecord>(bundles.map((b) => [b, versionRecord(b, b.signature, { commit: opts.commit, publishedAt: now })]));
  const results: PublishResult[] = [];

  for (const target of targets.filter((t) => t.kind === "oci")) {
    const bar = progress(`pushing to ${describeLocation(target)}`, bundles.length);
    for (const bundle of bundles) {
      const record = records.get(bundle)!;
      const outcome = await pushToOci(target, record, bundle.bytes, opts.credentials);
      if (outcome.status !== "conflict" && !record.ociDigest) records.set(bundle, { ...record, ociDigest: outcome.digest });
      results.push({
        target: describeLocation(target),
        slug: bundle.slug,
        version: bundle.version,
        status: outcome.status === "pushed" ? "published" : outcome.status,
        ociDigest: outcome.digest,
        ...(outcome.status === "conflict" ? { detail: `tag holds content ${outcome.existingContentDigest ?? "of another tool"}, not ${bundle.contentDigest}` } : {}),
      });
      bar.tick(bundle.slug);
    }
    bar.done();
  }

  // Directories and HTTP registries last, so their records carry the OCI digest.
  for (const target of targets) {
    if (target.kind === "oci") continue;
    const items = bundles.map((b) => ({ record: records.get(b)!, bytes: b.bytes }));
    const outcomes =
      target.kind === "dir" ? await publishToDir(target.dir, items, [publicKeyEntry(key)]) : await publishToHttp(target.baseUrl, items, opts.registryToken);
    results.push(...directoryResults(describeLocation(target), outcomes));
  }
  return results;
}
