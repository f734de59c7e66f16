/**
 * Publishes signed bundles to every target: OCI registries first, so the directory registry's
 * records can carry the manifest digest (ociDigest) of the same bundle.
 */
import type { OciCredentials } from "../../../runtime/src/registry/oci-client.js";
import { describeLocation, type RegistryLocation } from "../../../runtime/src/registry/registry-location.js";
import type { RegistryKeys, VersionRecord } from "../../../runtime/src/registry/registry-schema.js";
import type { SignedBundle } from "../bundle/sign-built.js";
import { IhubError } from "../errors.js";
import { progress } from "../report/progress.js";
import type { SigningKey } from "../signing/signing-key.js";
import { publishToDir } from "./publish-to-dir.js";
import { pushToOci } from "./push-oci.js";
import { versionRecord } from "./version-record.js";

export type PublishStatus = "published" | "unchanged" | "conflict";
export type PublishResult = { target: string; slug: string; version: string; status: PublishStatus; detail?: string; ociDigest?: string };

export function publicKeyEntry(key: SigningKey): RegistryKeys["keys"][number] {
  return { keyId: key.keyId, algorithm: "ed25519", publicKey: key.publicKeyPem, dev: key.dev };
}

export function assertWritable(location: RegistryLocation): void {
  if (location.kind === "http") {
    throw new IhubError("IH_PUBLISH_READ_ONLY", `${location.baseUrl.href} is an HTTP registry, which is read-only`, {
      exitCode: 2,
      hint: "Publish to the directory the server serves (ihub registry serve --dir), or to an OCI registry (oci://host/namespace).",
    });
  }
}

export async function publishBundles(
  bundles: readonly SignedBundle[],
  targets: readonly RegistryLocation[],
  key: SigningKey,
  opts: { commit: string | null; now?: Date; credentials?: OciCredentials },
): Promise<PublishResult[]> {
  targets.forEach(assertWritable);
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

  for (const target of targets) {
    if (target.kind !== "dir") continue;
    const outcomes = await publishToDir(target.dir, bundles.map((b) => ({ record: records.get(b)!, bytes: b.bytes })), publicKeyEntry(key));
    for (const o of outcomes) {
      results.push({
        target: target.dir,
        slug: o.record.slug,
        version: o.record.version,
        status: o.status,
        ...(o.status === "conflict" ? { detail: `already published with content ${o.existing.contentDigest}, this build is ${o.record.contentDigest}` } : {}),
        ...(o.status === "unchanged" && o.repaired.length ? { detail: `repaired ${o.repaired.join(", ")}` } : {}),
        ...(o.record.ociDigest ? { ociDigest: o.record.ociDigest } : {}),
      });
    }
  }
  return results;
}
