/**
 * A real registry for service tests, built by the real bundler and publisher in a temp folder:
 * signed with a fresh ed25519 key whose public half is what the runtime is told to trust.
 */
import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { buildSignedBundles } from "../../../tooling/src/bundle/sign-built.js";
import { publishBundles } from "../../../tooling/src/publish/publish-bundles.js";
import { yankVersion } from "../../../tooling/src/publish/yank.js";
import { loadSigningKey } from "../../../tooling/src/signing/signing-key.js";
import type { Manifest } from "../../src/manifest/manifest-schema.js";
import { writeNotesIntegration } from "./notes-integration.js";

/** `lua` gives handlers/notes.lua of the integrations it names by slug (the notes handlers otherwise). */
export async function buildTestRegistry(root: string, manifests: readonly Manifest[], opts: { yank?: string[]; from?: string; slugs?: string[]; lua?: Record<string, string> } = {}) {
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const key = await loadSigningKey(root, { IHUB_SIGNING_KEY: pem });
  const registry = path.join(root, "registry");
  const src = path.join(root, "src");
  let trees = 0;
  // One source tree per version: the bundler reads the integration folder as it is on disk.
  const publish = async (more: readonly Manifest[]) => {
    for (const m of more) {
      const tree = path.join(src, String(trees++));
      await writeNotesIntegration(tree, m, opts.lua?.[m.slug]);
      const { bundles, failures } = await buildSignedBundles(tree, [m.slug], key);
      if (failures.length) throw failures[0]!.error;
      await publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
    }
  };
  await publish(manifests);
  if (opts.from && opts.slugs) {
    const { bundles, failures } = await buildSignedBundles(opts.from, opts.slugs, key);
    if (failures.length) throw failures[0]!.error;
    await publishBundles(bundles, [{ kind: "dir", dir: registry }], key, { commit: null });
  }
  for (const spec of opts.yank ?? []) {
    const [slug, version] = spec.split("@") as [string, string];
    await yankVersion(registry, slug, version, "broken release");
  }
  /** `publish` adds versions later, signed with the same key, as a release after the install would. */
  return { registry, publicKeyPem: key.publicKeyPem, publish };
}
