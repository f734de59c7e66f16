/**
 * The server side of HTTP publishing (publish-protocol.ts): authenticate, read a capped body,
 * check every record's signature against the keys the server was started with and every bundle
 * against its record, then publish into the directory under its lock. A request that fails any
 * check publishes nothing. Yanks go through the same door and the same lock.
 */
import { timingSafeEqual } from "node:crypto";
import type http from "node:http";
import { integrityMatches, parseDocument, RegistryError, type RegistryKeys, verifyRecordSignature } from "@ihub/runtime/registry";
import { CodedError } from "@ihub/runtime/errors";
import { publishToDir, type PublishItem } from "../publish/publish-to-dir.js";
import { yankVersion } from "../publish/yank.js";
import { MAX_PUBLISH_BYTES, publishRequestSchema, REGISTRY_TOKEN_ENV, yankRequestSchema } from "./publish-protocol.js";
import type { PublisherKey } from "./trusted-publishers.js";

/** What a server that accepts writes is configured with. */
export type PublishAccess = { token: string; trustedKeys: readonly PublisherKey[] };

/** A refusal answered with its own HTTP status. */
class Refusal extends CodedError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    hint?: string,
  ) {
    super(code, message, { hint });
  }
}

/** The status a coded failure is answered with: a refusal's own, 400 for a bad document, else by code. */
function statusOf(error: CodedError): number {
  if (error instanceof Refusal) return error.status;
  if (error instanceof RegistryError) return 400;
  return IHUB_STATUS[error.code] ?? 500;
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_PUBLISH_BYTES) throw new Refusal(413, "IH_PUBLISH_TOO_LARGE", `a publish request is at most ${MAX_PUBLISH_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_PUBLISH_BYTES) throw new Refusal(413, "IH_PUBLISH_TOO_LARGE", `a publish request is at most ${MAX_PUBLISH_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Every item checked before any is written: signed by a configured key (cheapest refusal first),
 * the signature verifies, the bytes match the record. Returns the keys.json entries of the keys
 * used, labelled dev when their records say so, as a local publish would.
 */
function checkedItems(body: Buffer, trustedKeys: readonly PublisherKey[]): { items: PublishItem[]; keys: RegistryKeys["keys"] } {
  const request = parseDocument(body, publishRequestSchema, "publish request");
  const keys = new Map<string, RegistryKeys["keys"][number]>();
  const items = request.items.map(({ record, bundle }) => {
    const name = `${record.slug}@${record.version}`;
    const signer = trustedKeys.find((k) => k.keyId === record.signature.keyId);
    if (!signer) {
      throw new Refusal(403, "IH_PUBLISH_UNTRUSTED_KEY", `${name} is signed by ${record.signature.keyId}, which this registry does not trust`, "Sign with a key the server was started with (ihub registry serve --trusted-key FILE), or ask its operator to add your public key.");
    }
    verifyRecordSignature(record, [signer], name);
    const bytes = Buffer.from(bundle, "base64");
    if (bytes.length !== record.size || !integrityMatches(bytes, record.integrity)) throw new Refusal(400, "REG_INTEGRITY", `${name}: the bundle sent does not match its record's size and integrity`);
    keys.set(signer.keyId, { ...signer.entry, dev: record.signature.dev === true });
    return { record, bytes };
  });
  return { items, keys: [...keys.values()] };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
}

/** Authenticates, reads the body, runs `work` and answers its result; every failure as a typed JSON refusal. */
async function respond(token: string, req: http.IncomingMessage, res: http.ServerResponse, work: (body: Buffer) => Promise<unknown>): Promise<void> {
  try {
    if (req.method !== "POST") throw new Refusal(405, "IH_USAGE", "write with POST");
    if (!authorized(req, token)) throw new Refusal(401, "IH_PUBLISH_UNAUTHORIZED", "missing or wrong bearer token", `Set ${REGISTRY_TOKEN_ENV} to the token the server was started with.`);
    send(res, 200, await work(await readBody(req)));
  } catch (error) {
    if (error instanceof CodedError) return send(res, statusOf(error), { error: { code: error.code, message: error.message, hint: error.hint } });
    // A bug, not the publisher's fault: the operator sees the stack, the publisher a 500.
    process.stderr.write(`registry write failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    send(res, 500, { error: { code: "IH_INTERNAL", message: "the registry failed to write" } });
  }
}

const IHUB_STATUS: Record<string, number> = { IH_REGISTRY_LOCKED: 503, IH_YANK_NOT_FOUND: 404 };

export function handlePublish(dir: string, access: PublishAccess, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  return respond(access.token, req, res, async (body) => {
    const { items, keys } = checkedItems(body, access.trustedKeys);
    return { outcomes: await publishToDir(dir, items, keys) };
  });
}

export function handleYank(dir: string, access: PublishAccess, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  return respond(access.token, req, res, async (body) => {
    const { slug, version, reason } = parseDocument(body, yankRequestSchema, "yank request");
    return yankVersion(dir, slug, version, reason);
  });
}
