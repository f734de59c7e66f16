/**
 * Reads registry files from a directory or over HTTP with a size cap, so a hostile registry
 * cannot exhaust memory with a huge document or bundle.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { RegistryError } from "./registry-error.js";

const TIMEOUT_MS = 30_000;

export async function readFileCapped(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") throw new RegistryError("REG_NOT_FOUND", `${file} does not exist`, { file });
    throw new RegistryError("REG_TRANSPORT", `cannot read ${file}: ${error.message}`, { file, cause: error });
  });
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new RegistryError("REG_TOO_LARGE", `${file} is ${size} bytes, above the ${maxBytes} limit`, { file });
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** GET with a byte cap enforced while the body streams (Content-Length is not trusted). */
export async function fetchCapped(url: URL, maxBytes: number, init: RequestInit = {}): Promise<{ response: Response; body: Buffer }> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS), ...init });
  } catch (cause) {
    throw new RegistryError("REG_TRANSPORT", `cannot reach ${url.href}: ${(cause as Error).message}`, { file: url.href, cause });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new RegistryError("REG_NOT_FOUND", `${url.href} answered 404`, { file: url.href });
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new RegistryError("REG_TOO_LARGE", `${url.href} is ${declared} bytes, above the ${maxBytes} limit`, { file: url.href });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => {});
        throw new RegistryError("REG_TOO_LARGE", `${url.href} sent more than ${maxBytes} bytes`, { file: url.href });
      }
      chunks.push(Buffer.from(chunk));
    }
  }
  return { response, body: Buffer.concat(chunks) };
}

/** Reads `rel` (a path built from validated slugs and versions only) from a directory or HTTP registry. */
export async function readStatic(base: { dir: string } | { baseUrl: URL }, rel: string, maxBytes: number): Promise<{ where: string; body: Buffer }> {
  if ("dir" in base) {
    const file = path.join(base.dir, ...rel.split("/"));
    return { where: file, body: await readFileCapped(file, maxBytes) };
  }
  const url = new URL(rel, base.baseUrl);
  const { response, body } = await fetchCapped(url, maxBytes);
  if (!response.ok) throw new RegistryError("REG_TRANSPORT", `${url.href} answered ${response.status}`, { file: url.href });
  return { where: url.href, body };
}
