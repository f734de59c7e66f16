/** Builds and signs the bundles of the given slugs, with progress; shared by `ihub bundle` and `ihub publish`. */
import type { VersionRecord } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { progress } from "../report/progress.js";
import { signBundle, type SigningKey } from "../signing/signing-key.js";
import { buildBundle, type BuiltBundle } from "./build-bundle.js";
import type { FileSource } from "./bundle-contents.js";

export type SignedBundle = BuiltBundle & { signature: VersionRecord["signature"] };
export type BuildFailure = { slug: string; error: IhubError };

export async function buildSignedBundles(
  root: string,
  slugs: readonly string[],
  key: SigningKey,
  source: FileSource = fsFileSource(root),
): Promise<{ bundles: SignedBundle[]; failures: BuildFailure[] }> {
  const bundles: SignedBundle[] = [];
  const failures: BuildFailure[] = [];
  const bar = progress("bundling", slugs.length);
  for (const slug of slugs) {
    try {
      const built = await buildBundle(source, slug);
      bundles.push({ ...built, signature: signBundle(key, built.slug, built.version, built.integrity.sha512) });
    } catch (error) {
      if (!(error instanceof IhubError)) throw error;
      failures.push({ slug, error });
    }
    bar.tick(slug);
  }
  bar.done();
  return { bundles, failures };
}
