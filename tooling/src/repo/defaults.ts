/**
 * The embedded defaults `npm run pipeline` uses: everything local, under the repository, so the
 * whole pipeline runs on a fresh clone with no service and no network.
 */
import path from "node:path";

/** Work folder for generated state; ignored by git. */
export const WORK_DIR = ".ihub";

export function defaultPaths(root: string) {
  const work = path.join(root, WORK_DIR);
  return {
    work,
    /** Directory registry the pipeline publishes to (static layout, see runtime/src/registry/registry-schema.ts). */
    registry: path.join(work, "registry"),
    /** Bundles built by `ihub bundle`, as `<slug>/<version>.tgz`. */
    bundles: path.join(work, "bundles"),
    /** Dev signing key generated on first use when IHUB_SIGNING_KEY(_FILE) is not set. */
    devSigningKey: path.join(work, "keys", "dev-ed25519.pem"),
    /** The Astro site's output, with catalog.json beside the pages. */
    site: path.join(root, "site", "dist"),
  };
}
