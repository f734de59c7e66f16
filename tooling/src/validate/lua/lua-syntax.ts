/**
 * Syntax check with fengari's own parser (the one the runtime uses), so what passes here loads
 * there. The chunk is only compiled (luaL_loadbuffer), never run.
 */
import { createRequire } from "node:module";

/** The few fengari entry points used here. fengari ships no types; loading it through require keeps this description local. */
type Fengari = {
  lua: { LUA_OK: number; lua_settop(L: unknown, n: number): void; lua_tojsstring(L: unknown, i: number): string | null };
  lauxlib: { luaL_newstate(): unknown; luaL_loadbuffer(L: unknown, source: Uint8Array, size: null, name: Uint8Array): number };
  to_luastring(s: string): Uint8Array;
};

const { lua, lauxlib, to_luastring } = createRequire(import.meta.url)("fengari") as Fengari;

export type LuaSyntaxError = { line: number; message: string };

let state: unknown;

/** Null when the source compiles; otherwise the first error with its line. */
export function luaSyntaxError(source: Uint8Array, chunkName: string): LuaSyntaxError | null {
  // One state serves every file: loading leaves the compiled chunk (or the error) on the stack, and we pop it.
  state ??= lauxlib.luaL_newstate();
  const L = state;
  const status = lauxlib.luaL_loadbuffer(L, source, null, to_luastring(`=${chunkName}`));
  if (status === lua.LUA_OK) {
    lua.lua_settop(L, 0);
    return null;
  }
  const raw = lua.lua_tojsstring(L, -1) ?? "syntax error";
  lua.lua_settop(L, 0);
  // "name:LINE: message" - the chunk name is ours, so strip it and keep the line.
  const prefix = `${chunkName}:`;
  const rest = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  const m = /^(\d+):\s*(.*)$/s.exec(rest);
  return m ? { line: Number(m[1]), message: m[2]! } : { line: 1, message: rest };
}

/** NUL bytes, a precompiled chunk (ESC "Lua") or invalid UTF-8 mean the file is not Lua source text. */
export function binaryReason(source: Uint8Array): { offset: number; reason: string } | null {
  if (source[0] === 0x1b) return { offset: 0, reason: "starts with a precompiled-chunk signature" };
  const nul = source.indexOf(0);
  if (nul !== -1) return { offset: nul, reason: "contains a NUL byte" };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(source);
  } catch {
    return { offset: firstInvalidUtf8(source), reason: "is not valid UTF-8" };
  }
  return null;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest prefix that fails to decode (streaming, so a cut inside a valid sequence is not an error): the byte where decoding breaks.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
