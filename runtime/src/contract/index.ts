/**
 * `@ihub/runtime/contract`: what changed in an integration's contract between two manifests. The
 * version gate rates the changes into a semver bump; the runtime holds an upgrade that widens
 * what an install may do until its tenant consents.
 */
export * from "./manifest-diff.js";
export type { ContractLevel } from "./schema-diff.js";
