/**
 * The document each pipeline stage returns: the stage functions are typed by these schemas, the
 * CLI prints them (`--json` adds the verb's `format`), the pipeline keeps them, and
 * `ihub pr-comment` parses the validate, test and version ones with the same schemas. Where a
 * part is a domain type of its own (a version plan, a tag action), `satisfies` keeps the schema
 * and the type the same shape: the compiler fails if either changes alone.
 */
import { z } from "zod";
import { caseResultSchema } from "../harness/case-result.js";
import { integritySchema, signatureSchema } from "@ihub/runtime/registry";
import type { BuildCatalogResult } from "../catalog/build-catalog.js";
import { commands } from "../cli/commands.js";
import type { TagAction } from "../commands/tag/plan-tags.js";
import type { PublishResult } from "../publish/publish-bundles.js";
import type { VersionPlan } from "../version/plan-version.js";
import { bumpLevels } from "../version/bump-level.js";
import { changedSchema, findingSchema, slugErrorSchema } from "./shared.js";

export const validateDocumentSchema = z.object({
  ok: z.boolean(),
  integrations: z.array(z.string()),
  counts: z.object({ integrations: z.number().int(), error: z.number().int(), warning: z.number().int() }),
  findings: z.array(findingSchema),
  changed: changedSchema.optional(),
});

export const testDocumentSchema = z.object({
  ok: z.boolean(),
  counts: z.object({ integrations: z.number().int(), pass: z.number().int(), fail: z.number().int(), broken: z.number().int(), cases: z.number().int() }),
  integrations: z.array(z.object({ slug: z.string(), ok: z.boolean(), cases: z.array(caseResultSchema) })),
  changed: changedSchema.optional(),
});

const levelSchema = z.enum(bumpLevels);

export const versionDocumentSchema = z.object({
  ok: z.boolean(),
  against: z.discriminatedUnion("kind", [z.object({ kind: z.literal("merge-base"), ref: z.string() }), z.object({ kind: z.literal("release") })]),
  mergeBase: z.string().nullable(),
  integrations: z.array(
    z.object({
      slug: z.string(),
      status: z.enum(["changed", "unchanged", "new", "removed", "invalid"]),
      baseVersion: z.string().nullable(),
      declaredVersion: z.string().nullable(),
      declaredBump: z.enum([...bumpLevels, "downgrade", "prerelease"]).nullable(),
      required: levelSchema,
      sufficient: z.boolean(),
      suggested: z.string().nullable(),
      baseDigest: z.string().nullable(),
      headDigest: z.string().nullable(),
      registryFloor: z.string().nullable(),
      reasons: z.array(z.object({ level: z.enum(["patch", "minor", "major"]), message: z.string(), file: z.string(), pointer: z.string().nullable() })),
      findings: z.array(findingSchema),
      /** The release tag or commit the integration was measured from. */
      comparedWith: z.string().nullable(),
    }) satisfies z.ZodType<VersionPlan & { comparedWith: string | null }>,
  ),
});

const tagBase = { slug: z.string(), version: z.string(), tag: z.string(), contentDigest: z.string() };

export const tagDocumentSchema = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  head: z.string(),
  tags: z.array(
    z.discriminatedUnion("type", [
      z.object({ ...tagBase, type: z.literal("create"), commit: z.string() }),
      z.object({ ...tagBase, type: z.literal("exists"), commit: z.string() }),
      z.object({ ...tagBase, type: z.literal("conflict"), commit: z.string(), existingDigest: z.string() }),
      z.object({ ...tagBase, type: z.literal("uncommitted"), headDigest: z.string().nullable() }),
    ]) satisfies z.ZodType<TagAction>,
  ),
  errors: z.array(slugErrorSchema),
});

export const bundleDocumentSchema = z.object({
  ok: z.boolean(),
  devKey: z.boolean(),
  keyId: z.string(),
  bundles: z.array(
    z.object({
      slug: z.string(),
      version: z.string(),
      /** Where the .tgz was written. */
      file: z.string(),
      size: z.number().int(),
      files: z.number().int(),
      contentDigest: z.string(),
      integrity: integritySchema,
      signature: signatureSchema,
    }),
  ),
  errors: z.array(slugErrorSchema),
});

const publishResultSchema = z.object({
  target: z.string(),
  slug: z.string(),
  version: z.string(),
  status: z.enum(["published", "unchanged", "conflict"]),
  detail: z.string().optional(),
  ociDigest: z.string().optional(),
}) satisfies z.ZodType<PublishResult>;

/** `ihub publish` publishes what the tree builds, or with `--reconcile` repairs from the tags. */
export const publishDocumentSchema = z.union([
  z.object({ ok: z.boolean(), devKey: z.boolean(), keyId: z.string(), results: z.array(publishResultSchema), errors: z.array(slugErrorSchema) }),
  z.object({ ok: z.boolean(), devKey: z.boolean(), results: z.array(publishResultSchema), repairs: z.array(z.string()), conflicts: z.number().int() }),
]);

export const catalogDocumentSchema = z.object({
  ok: z.boolean(),
  outDir: z.string(),
  listed: z.array(z.string()),
  unlisted: z.array(z.string()),
  privateSkipped: z.array(z.string()),
  pages: z.number().int(),
  findings: z.array(findingSchema),
  ms: z.object({ read: z.number(), site: z.number(), json: z.number() }),
  /** With --serve: where the local preview answers. */
  url: z.string().optional(),
}) satisfies z.ZodType<BuildCatalogResult & { ok: boolean; url?: string }>;

export const stageDocumentSchemas = {
  validate: validateDocumentSchema,
  test: testDocumentSchema,
  version: versionDocumentSchema,
  tag: tagDocumentSchema,
  bundle: bundleDocumentSchema,
  publish: publishDocumentSchema,
  catalog: catalogDocumentSchema,
} as const;

export type StageName = keyof typeof stageDocumentSchemas;
export type StageDocument<S extends StageName> = z.infer<(typeof stageDocumentSchemas)[S]>;
export type ValidateDocument = StageDocument<"validate">;
export type TestDocument = StageDocument<"test">;
export type VersionDocument = StageDocument<"version">;

/** A stage's `--json` document: its document headed by the verb's `format` (added by printJson in cli/command.ts). */
export function jsonDocumentSchema<S extends StageName>(stage: S) {
  return z.intersection(z.object({ format: z.literal(commands[stage].format) }), stageDocumentSchemas[stage]);
}
