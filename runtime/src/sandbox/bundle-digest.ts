/**
 * A digest of a bundle's Lua text, so a warm state is reused only for the very sources it was
 * built from. Hashing every call would cost a warm invocation more than running it, so the
 * digest is kept per sources object: a bundle that changes arrives as new objects (a reload,
 * a new download), and objects are not edited in place after they are handed to the runtime.
 */
import { createHash } from "node:crypto";
import type { HandlerBundle } from "./index.js";

const digests = new WeakMap<object, WeakMap<object, string>>();
const NO_MODULES = {};

function hashEntries(hash: ReturnType<typeof createHash>, tag: string, entries: Record<string, string>): void {
  for (const name of Object.keys(entries).sort()) {
    const text = entries[name]!;
    // Lengths first: no choice of names and texts can make two different bundles hash the same input.
    hash.update(`${tag}${name.length}:${name}${Buffer.byteLength(text)}:`).update(text);
  }
}

export function bundleDigest(bundle: HandlerBundle): string {
  const modules = bundle.modules ?? NO_MODULES;
  let byModules = digests.get(bundle.sources);
  let digest = byModules?.get(modules);
  if (digest === undefined) {
    const hash = createHash("sha256");
    hashEntries(hash, "s", bundle.sources);
    hashEntries(hash, "m", modules as Record<string, string>);
    digest = hash.digest("base64url");
    if (!byModules) digests.set(bundle.sources, (byModules = new WeakMap()));
    byModules.set(modules, digest);
  }
  return digest;
}
