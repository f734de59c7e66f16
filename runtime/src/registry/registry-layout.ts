/**
 * Where each document of a static registry lives, relative to its root (a directory or a base
 * URL), as POSIX paths. The documents' shapes are in registry-schema.ts.
 *
 *   index.json                    RegistryIndex: every integration, latest version
 *   keys.json                     RegistryKeys: public keys that verify bundle signatures
 *   <slug>/index.json             IntegrationIndex: every version of one integration
 *   <slug>/<version>.tgz          the bundle
 *   <slug>/records/<version>.json VersionRecord: the immutable record the indexes are rebuilt from
 */
export const registryFiles = {
  index: "index.json",
  keys: "keys.json",
  slugIndex: (slug: string) => `${slug}/index.json`,
  bundle: (slug: string, version: string) => `${slug}/${version}.tgz`,
  records: (slug: string) => `${slug}/records`,
  record: (slug: string, version: string) => `${slug}/records/${version}.json`,
};

