/**
 * A small OCI distribution-spec client on plain fetch: token auth (the Docker/OCI bearer
 * challenge used by ghcr.io, Docker Hub, Harbor, ECR...), reading tags, manifests and blobs with
 * digest checks and size caps, and the raw request the publisher's pusher builds on.
 */
import { createHash } from "node:crypto";
import { fetchCapped } from "./bounded-read.js";
import { RegistryError } from "./registry-error.js";
import { OCI_MANIFEST_MEDIA_TYPE, ociTagListSchema } from "./oci-artifact.js";
import { parseDocument } from "./parse-document.js";

export type OciCredentials = { username: string; password: string } | { token: string };

const MAX_DOCUMENT = 4 * 1024 * 1024;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const [scheme = "", ...rest] = header.split(" ");
  const params: Record<string, string> = {};
  for (const m of rest.join(" ").matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return { scheme: scheme.toLowerCase(), params };
}

export class OciClient {
  private authorization: string | undefined;

  constructor(
    readonly registryUrl: URL,
    private readonly credentials?: OciCredentials,
  ) {
    if (credentials && "token" in credentials) this.authorization = `Bearer ${credentials.token}`;
  }

  private basic(): string | undefined {
    return this.credentials && "username" in this.credentials
      ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`
      : undefined;
  }

  /** Answers the registry's 401 challenge once: Basic with the credentials, or a bearer token from the realm. */
  private async authenticate(challenge: string | null): Promise<boolean> {
    if (!challenge) return false;
    const { scheme, params } = parseChallenge(challenge);
    if (scheme === "basic") {
      this.authorization = this.basic();
      return this.authorization !== undefined;
    }
    if (scheme !== "bearer" || !params.realm) return false;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    if (params.scope) url.searchParams.set("scope", params.scope);
    const basic = this.basic();
    const { response, body } = await fetchCapped(url, 64 * 1024, basic ? { headers: { authorization: basic } } : {});
    if (!response.ok) throw new RegistryError("REG_TRANSPORT", `token endpoint ${url.origin} answered ${response.status}`, { file: url.href, hint: "Check IHUB_OCI_USERNAME / IHUB_OCI_PASSWORD (or IHUB_OCI_TOKEN)." });
    const json = JSON.parse(body.toString("utf8")) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) return false;
    this.authorization = `Bearer ${token}`;
    return true;
  }

  /** One request below `/v2/`, retried once after authenticating when challenged. Body capped at `maxBytes`. */
  async request(method: string, pathOrUrl: string, opts: { headers?: Record<string, string>; body?: Uint8Array; maxBytes?: number } = {}) {
    const url = new URL(pathOrUrl, this.registryUrl);
    const send = () =>
      fetchCapped(url, opts.maxBytes ?? MAX_DOCUMENT, {
        method,
        headers: { ...opts.headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(opts.body ? { body: opts.body } : {}),
        redirect: "follow",
      }).catch((error: unknown) => {
        // A 404 is an answer here (e.g. blob HEAD); callers look at the status.
        if (error instanceof RegistryError && error.code === "REG_NOT_FOUND") return { response: new Response(null, { status: 404 }), body: Buffer.alloc(0) };
        throw error;
      });
    let result = await send();
    if (result.response.status === 401 && (await this.authenticate(result.response.headers.get("www-authenticate")))) result = await send();
    return result;
  }

  private fail(what: string, status: number, file: string): never {
    if (status === 404) throw new RegistryError("REG_NOT_FOUND", `${what} not found`, { file });
    throw new RegistryError("REG_TRANSPORT", `${what}: registry answered ${status}`, { file, hint: status === 401 || status === 403 ? "Set IHUB_OCI_USERNAME and IHUB_OCI_PASSWORD (or IHUB_OCI_TOKEN)." : undefined });
  }

  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let next: string | null = `/v2/${repository}/tags/list`;
    // Follow pagination links, with a bound so a hostile registry cannot loop forever.
    for (let page = 0; next && page < 100; page++) {
      const { response, body } = await this.request("GET", next);
      if (response.status === 404) return tags;
      if (!response.ok) this.fail(`tags of ${repository}`, response.status, next);
      const doc = parseDocument(body, ociTagListSchema, new URL(next, this.registryUrl).href);
      tags.push(...(doc.tags ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1] ?? null;
    }
    return tags;
  }

  async getManifest(repository: string, reference: string): Promise<{ bytes: Buffer; digest: string }> {
    const where = `/v2/${repository}/manifests/${reference}`;
    const { response, body } = await this.request("GET", where, { headers: { accept: OCI_MANIFEST_MEDIA_TYPE } });
    if (!response.ok) this.fail(`manifest ${repository}:${reference}`, response.status, where);
    const digest = sha256Digest(body);
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new RegistryError("REG_INTEGRITY", `manifest ${repository}@${reference} has digest ${digest}`, { file: where });
    }
    return { bytes: body, digest };
  }

  async getBlob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    const where = `/v2/${repository}/blobs/${digest}`;
    const { response, body } = await this.request("GET", where, { maxBytes });
    if (!response.ok) this.fail(`blob ${repository}@${digest}`, response.status, where);
    if (sha256Digest(body) !== digest) throw new RegistryError("REG_INTEGRITY", `blob ${repository}@${digest} does not match its digest`, { file: where });
    return body;
  }
}
