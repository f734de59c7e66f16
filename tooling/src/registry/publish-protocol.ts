/**
 * Publishing over HTTP to `ihub registry serve --allow-publish`: one POST to `<base>/-/publish`
 * (slugs never start with "-", so the path cannot shadow a registry file) carrying the signed
 * bundles, answered with one outcome per bundle; and POST `<base>/-/yank` for `ihub yank`. The server checks each bundle against its
 * record and each record's signature against the keys it was started with (no key travels in
 * the request: the record names its key, the server decides whether to trust it), then runs the
 * same locked directory publish as a local `ihub publish`, so remote and local publishers share
 * one lock and one set of rules.
 */
import { z } from "zod";
import { REGISTRY_FORMAT, versionRecordSchema } from "@ihub/runtime/registry";

export const PUBLISH_PATH = "-/publish";
export const YANK_PATH = "-/yank";
/** The bearer token both sides read: the server accepts publishes carrying it, the publisher sends it. */
export const REGISTRY_TOKEN_ENV = "IHUB_REGISTRY_TOKEN";
/** Upper bound of one request body: a batch of bundles, base64-encoded. */
export const MAX_PUBLISH_BYTES = 256 * 1024 * 1024;

export const publishRequestSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  items: z.array(z.strictObject({ record: versionRecordSchema, bundle: z.base64() })).min(1).max(10_000),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;

export const publishResponseSchema = z.strictObject({
  outcomes: z.array(
    z.discriminatedUnion("status", [
      z.strictObject({ status: z.literal("published"), record: versionRecordSchema }),
      z.strictObject({ status: z.literal("unchanged"), record: versionRecordSchema, repaired: z.array(z.string()) }),
      z.strictObject({ status: z.literal("conflict"), record: versionRecordSchema, existing: versionRecordSchema }),
    ]),
  ),
});

export const yankRequestSchema = z.strictObject({ slug: versionRecordSchema.shape.slug, version: versionRecordSchema.shape.version, reason: z.string().trim().min(1).max(1000) });
export type YankRequest = z.infer<typeof yankRequestSchema>;
export const yankResponseSchema = z.strictObject({ record: versionRecordSchema, changed: z.boolean() });

/** The body of every refusal: what the publisher prints. */
export const publishErrorSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), hint: z.string().optional() }) });
