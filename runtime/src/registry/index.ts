/**
 * `@ihub/runtime/registry`: the registry format (indexes, version records, integrity, signatures,
 * OCI artifacts), its locations and the client that resolves and pulls bundles. Loads tar and the
 * OCI client, so the CLI's verbs that only read manifests do not import it.
 */
export * from "./registry-schema.js";
export * from "./oci-artifact.js";
export { computeIntegrity, integrityMatches, layerDigest } from "./integrity.js";
export { keyIdOf, verifyRecordSignature } from "./signature.js";
export { describeLocation, parseRegistryLocation, type RegistryLocation } from "./registry-location.js";
export { registryFiles } from "./registry-layout.js";
export { readIntegrationIndex } from "./integration-index.js";
export { parseDocument } from "./parse-document.js";
export { RegistryError, type RegistryErrorCode } from "./registry-error.js";
export { OciClient, sha256Digest, type OciCredentials } from "./oci-client.js";
export { readArchive, type ArchiveFile } from "./safe-unpack.js";
export { createRegistryClient, type RegistryClient } from "./registry-client.js";
