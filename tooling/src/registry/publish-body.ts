/**
 * Reads a framed publish body (publish-protocol.ts) with bounded memory. The preamble is judged
 * on its first bytes, so junk is refused before the server reads more than a few bytes of it;
 * the header is read under its cap and judged whole (schema, a trusted key for every record, the
 * signatures, the sizes against the caps and the declared length) before a single bundle byte is
 * read. Each bundle then streams into a staged file beside the registry, hashed as it arrives,
 * and is checked against its record once its last byte is in. The caller publishes the staged
 * files by renaming them into place and removes the staging folder whatever happens.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { parseDocument, type RegistryKeys, verifyRecordSignature, type VersionRecord } from "@ihub/runtime/registry";
import { BodyReader } from "./body-reader.js";
import { MAX_PREAMBLE_BYTES, MAX_PUBLISH_BYTES, MAX_PUBLISH_HEADER_BYTES, PUBLISH_PREAMBLE, publishHeaderSchema } from "./publish-protocol.js";
import { Refusal } from "./refusal.js";
import type { PublisherKey } from "./trusted-publishers.js";

export type StagedItem = { record: VersionRecord; file: string };

const FRAMING_HINT = "Publish with `ihub publish --registry URL` of the same ihub version as the server.";
const framing = (message: string) => new Refusal(400, "IH_PUBLISH_FRAMING", message, FRAMING_HINT);
const tooLarge = () => new Refusal(413, "IH_PUBLISH_TOO_LARGE", `a publish request is at most ${MAX_PUBLISH_BYTES} bytes`, "Publish fewer integrations per request.");

const MAGIC = Buffer.from(`${PUBLISH_PREAMBLE} `, "latin1");

/** The header's length from `ihub-publish/1 <digits>\n`, refusing at the first byte that cannot belong to one. */
async function readPreamble(reader: BodyReader): Promise<number> {
  const seen: Buffer[] = [];
  let length = 0;
  while (length < MAX_PREAMBLE_BYTES) {
    const piece = await reader.next(MAX_PREAMBLE_BYTES - length);
    if (!piece) break;
    seen.push(piece);
    length += piece.length;
    const text = Buffer.concat(seen, length);
    const magic = text.subarray(0, MAGIC.length);
    if (!magic.equals(MAGIC.subarray(0, magic.length))) throw framing(`the body does not start with "${PUBLISH_PREAMBLE} "`);
    const newline = text.indexOf(0x0a);
    const digits = text.subarray(MAGIC.length, newline < 0 ? text.length : newline).toString("latin1");
    if (!/^\d*$/.test(digits)) throw framing("the preamble's header length is not a number");
    if (newline >= 0) {
      if (!digits) throw framing("the preamble's header length is missing");
      reader.unread(text.subarray(newline + 1));
      return Number(digits);
    }
  }
  throw framing(`the body does not start with a "${PUBLISH_PREAMBLE} <header length>" line`);
}

/**
 * Every record judged before any bundle is read: signed by a configured key (cheapest refusal
 * first), the signature verifies. Returns the keys.json entries of the keys used, labelled dev
 * when their records say so, as a local publish would.
 */
function trustedRecords(header: Buffer, trustedKeys: readonly PublisherKey[]): { records: VersionRecord[]; keys: RegistryKeys["keys"] } {
  const { items } = parseDocument(header, publishHeaderSchema, "publish request header");
  const keys = new Map<string, RegistryKeys["keys"][number]>();
  const records = items.map(({ record }) => {
    const name = `${record.slug}@${record.version}`;
    const signer = trustedKeys.find((k) => k.keyId === record.signature.keyId);
    if (!signer) {
      throw new Refusal(403, "IH_PUBLISH_UNTRUSTED_KEY", `${name} is signed by ${record.signature.keyId}, which this registry does not trust`, "Sign with a key the server was started with (ihub registry serve --trusted-key FILE), or ask its operator to add your public key.");
    }
    verifyRecordSignature(record, [signer], name);
    keys.set(signer.keyId, { ...signer.entry, dev: record.signature.dev === true });
    return record;
  });
  return { records, keys: [...keys.values()] };
}

/** Streams the next `record.size` bytes into `file`, hashing them; refuses a short body or bytes that do not match the record. */
async function stageBundle(reader: BodyReader, record: VersionRecord, file: string): Promise<void> {
  const sha256 = createHash("sha256");
  const sha512 = createHash("sha512");
  const handle = await open(file, "wx");
  try {
    for (let left = record.size; left > 0; ) {
      const piece = await reader.next(left);
      if (!piece) throw framing(`the body ends inside the bundle of ${record.slug}@${record.version}`);
      sha256.update(piece);
      sha512.update(piece);
      await handle.write(piece);
      left -= piece.length;
    }
  } finally {
    await handle.close();
  }
  const integrity = { sha256: `sha256-${sha256.digest("base64")}`, sha512: `sha512-${sha512.digest("base64")}` };
  if (integrity.sha256 !== record.integrity.sha256 || integrity.sha512 !== record.integrity.sha512) {
    throw new Refusal(400, "REG_INTEGRITY", `${record.slug}@${record.version}: the bundle sent does not match its record's size and integrity`);
  }
}

/** A staging folder below the registry (dot-named, so never served), on the same file system so a rename publishes a file whole. */
export function stagingDir(registryDir: string): string {
  return path.join(registryDir, `.publish-${process.pid}-${randomBytes(6).toString("hex")}`);
}

/**
 * Reads and checks the whole body into `staging` (created once the header passed). `declared` is
 * the request's content-length, when it gave one: it must be what the framing adds up to.
 */
export async function readPublishBody(
  body: Readable,
  opts: { trustedKeys: readonly PublisherKey[]; staging: string; declared: number | null },
): Promise<{ items: StagedItem[]; keys: RegistryKeys["keys"] }> {
  if (opts.declared !== null && opts.declared > MAX_PUBLISH_BYTES) throw tooLarge();
  const reader = new BodyReader(body);
  const headerLength = await readPreamble(reader);
  if (headerLength > MAX_PUBLISH_HEADER_BYTES) throw new Refusal(413, "IH_PUBLISH_TOO_LARGE", `a publish request's header is at most ${MAX_PUBLISH_HEADER_BYTES} bytes`, "Publish fewer integrations per request.");
  const header = await reader.exactly(headerLength);
  if (!header) throw framing("the body ends inside its header");
  const { records, keys } = trustedRecords(header, opts.trustedKeys);
  const total = reader.consumed + records.reduce((sum, r) => sum + r.size, 0);
  if (total > MAX_PUBLISH_BYTES) throw tooLarge();
  if (opts.declared !== null && opts.declared !== total) throw framing(`the request declares ${opts.declared} bytes, its header adds up to ${total}`);

  await mkdir(opts.staging, { recursive: true });
  const items: StagedItem[] = [];
  for (const [i, record] of records.entries()) {
    const file = path.join(opts.staging, `${i}.tgz`);
    await stageBundle(reader, record, file);
    items.push({ record, file });
  }
  if (await reader.next(1)) throw framing("the body goes on after its last bundle");
  return { items, keys };
}
