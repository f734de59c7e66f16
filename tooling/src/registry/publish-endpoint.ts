/**
 * The server side of HTTP publishing (publish-protocol.ts): authenticate, read the body under its
 * caps (a publish streamed and judged as it arrives, publish-body.ts), then publish into the
 * directory under its lock. A request that fails any check publishes nothing and leaves nothing
 * behind, and a refusal before the body's end closes the connection rather than read the rest.
 * Yanks go through the same door and the same lock.
 */
import { timingSafeEqual } from "node:crypto";
import { rm } from "node:fs/promises";
import type http from "node:http";
import { parseDocument, RegistryError } from "@ihub/runtime/registry";
import { CodedError } from "@ihub/runtime/errors";
import { publishToDir } from "../publish/publish-to-dir.js";
import { yankVersion } from "../publish/yank.js";
import { BodyReader } from "./body-reader.js";
import { readPublishBody, stagingDir } from "./publish-body.js";
import { MAX_YANK_BYTES, PUBLISH_CONTENT_TYPE, REGISTRY_TOKEN_ENV, yankRequestSchema } from "./publish-protocol.js";
import { Refusal } from "./refusal.js";
import type { PublisherKey } from "./trusted-publishers.js";

/** What a server that accepts writes is configured with. */
export type PublishAccess = { token: string; trustedKeys: readonly PublisherKey[] };

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

function declaredLength(req: http.IncomingMessage): number | null {
  const header = req.headers["content-length"];
  return header === undefined ? null : Number(header);
}

/** Answers `body`; when the request was not read to its end, the connection closes after the answer instead of draining the rest. */
function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = { "content-type": "application/json; charset=utf-8", "content-length": bytes.length, "cache-control": "no-store" };
  res.writeHead(status, req.complete ? headers : { ...headers, connection: "close" }).end(bytes);
}

/** Authenticates, runs `work` (which reads the body) and answers its result; every failure as a typed JSON refusal. */
async function respond(token: string, req: http.IncomingMessage, res: http.ServerResponse, work: () => Promise<unknown>): Promise<void> {
  try {
    if (req.method !== "POST") throw new Refusal(405, "IH_USAGE", "write with POST");
    if (!authorized(req, token)) throw new Refusal(401, "IH_PUBLISH_UNAUTHORIZED", "missing or wrong bearer token", `Set ${REGISTRY_TOKEN_ENV} to the token the server was started with.`);
    send(req, res, 200, await work());
  } catch (error) {
    if (error instanceof CodedError) return send(req, res, statusOf(error), { error: { code: error.code, message: error.message, hint: error.hint } });
    // A bug, not the publisher's fault: the operator sees the stack, the publisher a 500.
    process.stderr.write(`registry write failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    send(req, res, 500, { error: { code: "IH_INTERNAL", message: "the registry failed to write" } });
  }
}

const IHUB_STATUS: Record<string, number> = { IH_REGISTRY_LOCKED: 503, IH_YANK_NOT_FOUND: 404 };

export function handlePublish(dir: string, access: PublishAccess, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  return respond(access.token, req, res, async () => {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== PUBLISH_CONTENT_TYPE) {
      throw new Refusal(415, "IH_PUBLISH_MEDIA_TYPE", `a publish request is ${PUBLISH_CONTENT_TYPE}, not ${JSON.stringify(type || "untyped")}`, "Publish with `ihub publish --registry URL` of the same ihub version as the server (older publishers sent JSON).");
    }
    const staging = stagingDir(dir);
    try {
      const { items, keys } = await readPublishBody(req, { trustedKeys: access.trustedKeys, staging, declared: declaredLength(req) });
      return { outcomes: await publishToDir(dir, items, keys) };
    } finally {
      // Published files were renamed out of it; what is left is an unpublished or refused remainder.
      await rm(staging, { recursive: true, force: true });
    }
  });
}

export function handleYank(dir: string, access: PublishAccess, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  return respond(access.token, req, res, async () => {
    const body = await new BodyReader(req).rest(MAX_YANK_BYTES);
    if (!body) throw new Refusal(413, "IH_PUBLISH_TOO_LARGE", `a yank request is at most ${MAX_YANK_BYTES} bytes`);
    const { slug, version, reason } = parseDocument(body, yankRequestSchema, "yank request");
    return yankVersion(dir, slug, version, reason);
  });
}
