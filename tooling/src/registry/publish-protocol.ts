/**
 * Publishing over HTTP to `ihub registry serve --allow-publish`: one POST to `<base>/-/publish`
 * (slugs never start with "-", so the path cannot shadow a registry file) carrying the signed
 * bundles, answered with one outcome per bundle; and POST `<base>/-/yank` (JSON) for `ihub yank`.
 * The server checks each bundle against its record and each record's signature against the keys
 * it was started with (no key travels in the request: the record names its key, the server
 * decides whether to trust it), then runs the same locked directory publish as a local
 * `ihub publish`, so remote and local publishers share one lock and one set of rules.
 *
 * A publish body is framed so the server can judge it before it reads the bundles, and keep none
 * of them in memory (publish-body.ts):
 *
 *   ihub-publish/1 <header length>\n      the preamble: junk is refused within its first bytes
 *   <header>                               JSON, { format, items: [{ record }] }
 *   <bundle 0><bundle 1>...                raw bytes, record.size of each, in the header's order
 */
import { z } from "zod";
import { REGISTRY_FORMAT, versionRecordSchema } from "@ihub/runtime/registry";

export const PUBLISH_PATH = "-/publish";
export const YANK_PATH = "-/yank";
/** The bearer token both sides read: the server accepts publishes carrying it, the publisher sends it. */
export const REGISTRY_TOKEN_ENV = "IHUB_REGISTRY_TOKEN";
/** The media type of a framed publish body; anything else (an older publisher's JSON) is refused before reading. */
export const PUBLISH_CONTENT_TYPE = "application/vnd.ihub.publish.v1";
export const PUBLISH_PREAMBLE = "ihub-publish/1";
/** The longest preamble: the magic, a space, up to 9 digits, the newline. */
export const MAX_PREAMBLE_BYTES = PUBLISH_PREAMBLE.length + 11;
/** Upper bound of one request: header and bundles. */
export const MAX_PUBLISH_BYTES = 256 * 1024 * 1024;
/** Upper bound of the header, the only part of a publish the server holds in memory (10,000 records fit). */
export const MAX_PUBLISH_HEADER_BYTES = 16 * 1024 * 1024;
/** Upper bound of a yank request, which is a few short strings. */
export const MAX_YANK_BYTES = 64 * 1024;

export const publishHeaderSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  items: z.array(z.strictObject({ record: versionRecordSchema })).min(1).max(10_000),
});
export type PublishHeader = z.infer<typeof publishHeaderSchema>;

/** The preamble for a header of `headerBytes` bytes. */
export const publishPreamble = (headerBytes: number) => `${PUBLISH_PREAMBLE} ${headerBytes}\n`;

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

/** A publish body as the pieces it is sent in: preamble and header, then each bundle's bytes as they are. */
export function publishBodyParts(items: readonly { record: PublishHeader["items"][number]["record"]; bytes: Uint8Array }[]): Uint8Array[] {
  const header: PublishHeader = { format: REGISTRY_FORMAT, items: items.map(({ record }) => ({ record })) };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  return [Buffer.from(publishPreamble(headerBytes.length), "latin1"), headerBytes, ...items.map((i) => i.bytes)];
}
