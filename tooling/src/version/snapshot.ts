/**
 * What the version gate knows about one integration at one point in history: its manifest, the
 * bundle's content digest and files, and the API operations its handlers use. Plain data, so the
 * planning core is a pure function of two snapshots.
 */
import type { Operation } from "../catalog/catalog-schema.js";
import type { Position } from "@ihub/runtime/json";
import type { Manifest } from "@ihub/runtime/manifest";

export type AliasOperations = {
  /** Repository path of the OpenAPI document. */
  file: string;
  /** Every operation the document declares. */
  documented: Operation[];
  /** The operations the handlers call (all documented ones when the calls are not literal). */
  used: Operation[];
};

export type Snapshot = {
  manifest: Manifest;
  /** Repository path of the manifest, e.g. integrations/<slug>/integration.json. */
  manifestFile: string;
  /** Where the manifest's `version` value is, for findings about it. */
  versionAt: Position;
  contentDigest: string;
  /** Bundle path -> sha256 (hex) of the file's bytes. */
  files: Record<string, string>;
  /** Bundle path -> repository path, for pointing at the file that changed. */
  repoPaths: Record<string, string>;
  /** Resource alias -> its OpenAPI operations, for aliases that have a document. */
  operations: Record<string, AliasOperations>;
};

export type SnapshotError = { code: string; message: string; file?: string; pointer?: string; at?: Position };

/** One side of the comparison: the integration did not exist, could not be read, or was read. */
export type Side = { kind: "absent" } | { kind: "invalid"; error: SnapshotError } | { kind: "present"; snapshot: Snapshot };

/** A version published to the registry, as far as the gate cares. */
export type PublishedVersion = { version: string; contentDigest: string };
