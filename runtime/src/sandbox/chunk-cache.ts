/**
 * Lua text compiled once per process and kept as a binary chunk. fengari parses slowly (the
 * sandbox prelude alone takes milliseconds) while undumping the same function is about ten
 * times cheaper, and a new sandbox state loads the prelude and its bundle's files every time.
 *
 * Only text compiled here becomes binary: the sandbox never loads binary a bundle supplies,
 * since text that does not compile as text (a disguised binary chunk included) gets no entry.
 */
import { lua, lauxlib, to_luastring } from "./fengari.js";

/** Total bytes of cached chunks; the least recently used go first beyond it. */
const MAX_CACHED_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, Uint8Array | null>();
let cachedBytes = 0;

const sizeOf = (key: string, bin: Uint8Array | null) => key.length + (bin?.length ?? 0);

function compile(source: Uint8Array, chunkname: string): Uint8Array | null {
  const L = lauxlib.luaL_newstate();
  if (lauxlib.luaL_loadbufferx(L, source, null, to_luastring(chunkname), to_luastring("t")) !== lua.LUA_OK) return null;
  const parts: Uint8Array[] = [];
  // Debug information stays: errors and tracebacks need the file names and lines.
  lua.lua_dump(L, (_L, bytes, size) => (parts.push(bytes.slice(0, size)), 0), null, false);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The binary chunk of `source` under `chunkname` ("@file" or "=name"), or null when it does not compile as text. */
export function compiledChunk(source: string, chunkname: string): Uint8Array | null {
  const key = `${chunkname}\0${source}`;
  if (cache.has(key)) {
    const hit = cache.get(key)!;
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const bin = compile(new TextEncoder().encode(source), chunkname);
  cache.set(key, bin);
  cachedBytes += sizeOf(key, bin);
  for (const [k, v] of cache) {
    if (cachedBytes <= MAX_CACHED_BYTES || k === key) break;
    cache.delete(k);
    cachedBytes -= sizeOf(k, v);
  }
  return bin;
}
