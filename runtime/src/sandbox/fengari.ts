/**
 * The fengari entry points the sandbox uses, typed here because fengari ships no types.
 * `budget` is the per-invocation resource counter added by patches/fengari+0.1.5.patch.
 */
import { createRequire } from "node:module";

/** A Lua thread (fengari's lua_State); opaque on this side. */
export type LuaState = { readonly __luaState: unique symbol };
export type JsFunction = (L: LuaState) => number;
export type Hook = (L: LuaState, ar: unknown) => void;

type Lua = {
  LUA_OK: number;
  LUA_YIELD: number;
  LUA_REGISTRYINDEX: number;
  LUA_MASKCOUNT: number;
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  lua_newthread(L: LuaState): LuaState;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_yield(L: LuaState, nresults: number): number;
  lua_isyieldable(L: LuaState): boolean;
  lua_gettop(L: LuaState): number;
  lua_settop(L: LuaState, n: number): void;
  lua_pop(L: LuaState, n: number): void;
  lua_type(L: LuaState, i: number): number;
  lua_toboolean(L: LuaState, i: number): boolean;
  lua_isinteger(L: LuaState, i: number): boolean;
  lua_tonumber(L: LuaState, i: number): number;
  lua_tostring(L: LuaState, i: number): Uint8Array | null;
  lua_tojsstring(L: LuaState, i: number): string | null;
  lua_topointer(L: LuaState, i: number): object;
  lua_pushnil(L: LuaState): void;
  lua_pushboolean(L: LuaState, b: boolean): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: Uint8Array): void;
  lua_pushliteral(L: LuaState, s: string): void;
  lua_pushvalue(L: LuaState, i: number): void;
  lua_pushjsfunction(L: LuaState, f: JsFunction): void;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_rawset(L: LuaState, i: number): void;
  lua_rawseti(L: LuaState, i: number, n: number): void;
  lua_rawgeti(L: LuaState, i: number, n: number): number;
  lua_rawget(L: LuaState, i: number): number;
  lua_rawequal(L: LuaState, a: number, b: number): boolean;
  lua_next(L: LuaState, i: number): boolean;
  lua_getmetatable(L: LuaState, i: number): boolean;
  lua_setmetatable(L: LuaState, i: number): void;
  lua_setfield(L: LuaState, i: number, k: string): void;
  lua_getfield(L: LuaState, i: number, k: string): number;
  lua_setglobal(L: LuaState, k: string): void;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_sethook(L: LuaState, f: Hook | null, mask: number, count: number): void;
  lua_call(L: LuaState, nargs: number, nresults: number): void;
  lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number;
  lua_status(L: LuaState): number;
  lua_error(L: LuaState): never;
  lua_dump(L: LuaState, writer: (L: LuaState, bytes: Uint8Array, size: number, ud: unknown) => number, data: null, strip: boolean): number;
};
type Lauxlib = {
  luaL_newstate(): LuaState;
  luaL_requiref(L: LuaState, name: Uint8Array, open: JsFunction, global: number): void;
  luaL_loadbufferx(L: LuaState, s: Uint8Array, size: null, name: Uint8Array, mode: Uint8Array): number;
  luaL_traceback(L: LuaState, L1: LuaState, msg: Uint8Array | null, level: number): void;
  luaL_error(L: LuaState, msg: string): never;
  luaL_ref(L: LuaState, t: number): number;
  luaL_unref(L: LuaState, t: number, ref: number): void;
  luaL_checkstack(L: LuaState, n: number, msg: string): void;
};
type Lualib = Record<"luaopen_base" | "luaopen_string" | "luaopen_table" | "luaopen_math" | "luaopen_utf8" | "luaopen_coroutine", JsFunction>;

const req = createRequire(import.meta.url);
const fengari = req("fengari") as { lua: Lua; lauxlib: Lauxlib; lualib: Lualib; to_luastring(s: string): Uint8Array };

export const { lua, lauxlib, lualib, to_luastring } = fengari;

/** Remaining resources of the invocation running right now; read and charged by the patched fengari. */
export type Budget = { steps: number; bytes: number };
export const budgetSlot = req("fengari/src/lbudget.js") as { active: Budget | undefined };
