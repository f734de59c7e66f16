/** The publisher's side of HTTP publishing (registry/publish-protocol.ts): one POST per batch. */
import { parseDocument } from "../../../runtime/src/registry/parse-document.js";
import { RegistryError } from "../../../runtime/src/registry/registry-error.js";
import type { RegistryKeys } from "../../../runtime/src/registry/registry-schema.js";
import { IhubError } from "../errors.js";
import { PUBLISH_PATH, publishErrorSchema, publishResponseSchema, REGISTRY_TOKEN_ENV, type PublishRequest } from "../registry/publish-protocol.js";
import type { PublishItem, PublishOutcome } from "./publish-to-dir.js";

const TIMEOUT_MS = 5 * 60_000;

function failed(url: URL, status: number, body: Buffer): never {
  const parsed = publishErrorSchema.safeParse(JSON.parse(body.toString("utf8") || "null") ?? {});
  const hint =
    status === 401
      ? `Set ${REGISTRY_TOKEN_ENV} to the server's publish token.`
      : status === 404 || status === 405
        ? "This server only serves: start it with `ihub registry serve --allow-publish`, or publish to the directory it serves."
        : parsed.success
          ? parsed.data.error.hint
          : undefined;
  const detail = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : `HTTP ${status}`;
  throw new IhubError("IH_PUBLISH_HTTP_FAILED", `${url.href} refused the publish (${detail})`, { hint });
}

export async function publishToHttp(baseUrl: URL, items: readonly PublishItem[], key: RegistryKeys["keys"][number], token: string | undefined): Promise<PublishOutcome[]> {
  const url = new URL(PUBLISH_PATH, baseUrl);
  const request: PublishRequest = { format: 1, key, items: items.map((i) => ({ record: i.record, bundle: Buffer.from(i.bytes).toString("base64") })) };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new IhubError("IH_PUBLISH_HTTP_FAILED", `cannot reach ${url.href}: ${(cause as Error).message}`, { hint: "Is `ihub registry serve --allow-publish` running there?", cause });
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) failed(url, response.status, body);
  try {
    return parseDocument(body, publishResponseSchema, url.href).outcomes;
  } catch (error) {
    if (error instanceof RegistryError) throw new IhubError("IH_PUBLISH_HTTP_FAILED", error.message, { hint: "The server answered something other than an ihub publish response." });
    throw error;
  }
}
