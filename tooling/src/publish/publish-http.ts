/** The publisher's side of HTTP publishing (registry/publish-protocol.ts): one framed POST per batch, one JSON POST per yank. */
import type { z } from "zod";
import { parseDocument, RegistryError } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import {
  PUBLISH_CONTENT_TYPE,
  PUBLISH_PATH,
  publishBodyParts,
  publishErrorSchema,
  publishResponseSchema,
  REGISTRY_TOKEN_ENV,
  YANK_PATH,
  yankResponseSchema,
  type YankRequest,
} from "../registry/publish-protocol.js";
import type { PublishItem, PublishOutcome } from "./publish-to-dir.js";

const TIMEOUT_MS = 5 * 60_000;

function failed(url: URL, status: number, body: Buffer): never {
  let parsed: ReturnType<typeof publishErrorSchema.safeParse> | null = null;
  try {
    parsed = publishErrorSchema.safeParse(JSON.parse(body.toString("utf8")));
  } catch {
    // not JSON: a server that is not ihub's, or a proxy's error page
  }
  const refusal = parsed?.success ? parsed.data.error : null;
  const hint =
    status === 401
      ? `Set ${REGISTRY_TOKEN_ENV} to the server's publish token.`
      : (status === 404 || status === 405) && !refusal
        ? "This server only serves: start it with `ihub registry serve --allow-publish`, or write to the directory it serves."
        : refusal?.hint;
  throw new IhubError(refusal?.code === "IH_YANK_NOT_FOUND" ? refusal.code : "IH_PUBLISH_HTTP_FAILED", `${url.href} refused (${refusal ? `${refusal.code}: ${refusal.message}` : `HTTP ${status}`})`, { hint });
}

async function postToRegistry<S extends z.ZodType>(baseUrl: URL, rel: string, request: { type: string; data: Blob | string }, schema: S, token: string | undefined): Promise<z.infer<S>> {
  const url = new URL(rel, baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": request.type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: request.data,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new IhubError("IH_PUBLISH_HTTP_FAILED", `cannot reach ${url.href}: ${(cause as Error).message}`, { hint: "Is `ihub registry serve --allow-publish` running there?", cause });
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) failed(url, response.status, body);
  try {
    return parseDocument(body, schema, url.href);
  } catch (error) {
    if (error instanceof RegistryError) throw new IhubError("IH_PUBLISH_HTTP_FAILED", error.message, { hint: "The server answered something other than an ihub registry response." });
    throw error;
  }
}

/** `items` are a local publish's: bundles in memory. The Blob sends their bytes as they are, with a content-length. */
export async function publishToHttp(baseUrl: URL, items: readonly { record: PublishItem["record"]; bytes: Uint8Array }[], token: string | undefined): Promise<PublishOutcome[]> {
  const body = { type: PUBLISH_CONTENT_TYPE, data: new Blob(publishBodyParts(items)) };
  return (await postToRegistry(baseUrl, PUBLISH_PATH, body, publishResponseSchema, token)).outcomes;
}

export function yankOverHttp(baseUrl: URL, request: YankRequest, token: string | undefined) {
  return postToRegistry(baseUrl, YANK_PATH, { type: "application/json", data: JSON.stringify(request) }, yankResponseSchema, token);
}
