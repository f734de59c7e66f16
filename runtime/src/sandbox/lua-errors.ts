/**
 * Maps a Lua error value (left on a failed coroutine's stack) to a SandboxError without running
 * any Lua code: fields are read raw, __tostring is never called.
 */
import { lua, lauxlib, type LuaState } from "./fengari.js";
import type { SandboxError } from "./index.js";

const decoder = new TextDecoder();

function rawStringField(L: LuaState, idx: number, key: string): string | undefined {
  lua.lua_pushstring(L, new TextEncoder().encode(key));
  lua.lua_rawget(L, idx);
  const v = lua.lua_type(L, -1) === lua.LUA_TSTRING ? decoder.decode(lua.lua_tostring(L, -1)!) : undefined;
  lua.lua_pop(L, 1);
  return v;
}

function describeValue(L: LuaState, idx: number): string {
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TSTRING) return decoder.decode(lua.lua_tostring(L, idx)!);
  if (t === lua.LUA_TNUMBER) return String(lua.lua_tonumber(L, idx));
  if (t === lua.LUA_TTABLE) return "error object is a table without a string 'code' field";
  if (t === lua.LUA_TNIL) return "error called with nil";
  return `error object is a ${t === lua.LUA_TBOOLEAN ? "boolean" : "non-string value"}`;
}

/** Finds the first `file:line` of a bundle file in a message or traceback. */
export function locate(text: string, files: ReadonlySet<string>): { file: string; line: number } | undefined {
  for (const m of text.matchAll(/([^\s:'"]+\.lua):(\d+):/g)) {
    if (files.has(m[1]!)) return { file: m[1]!, line: Number(m[2]) };
  }
  return undefined;
}

/** `main` is the state's main thread (used to build the traceback of `co`), the error value is on top of `co`. */
export function luaErrorToSandboxError(main: LuaState, co: LuaState, files: ReadonlySet<string>): SandboxError {
  const idx = lua.lua_gettop(co);
  lua.lua_checkstack(co, 4);
  lua.lua_checkstack(main, 4);
  if (lua.lua_type(co, idx) === lua.LUA_TTABLE) {
    const code = rawStringField(co, idx, "code");
    if (code !== undefined) return { kind: "expected", code, message: rawStringField(co, idx, "message") ?? code };
  }
  const message = describeValue(co, idx);
  lauxlib.luaL_traceback(main, co, null, 0);
  // The prelude's own frames say nothing to the integration author.
  const traceback = (lua.lua_tojsstring(main, -1) ?? "")
    .split("\n")
    .filter((l) => !l.includes("prelude:") && !l.includes("[JS]: in function 'error'"))
    .join("\n");
  lua.lua_pop(main, 1);
  const where = locate(message, files) ?? locate(traceback, files);
  return { kind: "internal", message, ...where, ...(traceback ? { traceback } : {}) };
}
