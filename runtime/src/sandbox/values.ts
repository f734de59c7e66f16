/**
 * Value conversion between Lua and JSON-like JS values; the rules are documented in
 * docs/runtime-values.md. Lua tables are read raw (no metamethod runs),
 * so a hostile __index/__pairs cannot execute during conversion.
 */
import { lauxlib, lua, type LuaState } from "./fengari.js";

/** Deeper values are refused in both directions: they are almost always cycles through copies or attacks on the converter. */
export const MAX_DEPTH = 100;

/**
 * Where a value sits, built as a chain while converting and turned into text only when an
 * error needs it: formatting a path for every value costs more than converting the value.
 */
export type ValuePath = string | { readonly parent: ValuePath; readonly key: string | number };

export function formatPath(path: ValuePath): string {
  if (typeof path === "string") return path;
  const { parent, key } = path;
  const base = formatPath(parent);
  return typeof key === "number" ? `${base}[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** A value that cannot cross the boundary; `path` is a JSON-pointer-like location such as `$.items[3]`. */
export class ConversionError extends Error {
  readonly path: string;

  constructor(at: ValuePath, reason: string) {
    const path = formatPath(at);
    super(`${reason} at ${path}`);
    this.name = "ConversionError";
    this.path = path;
  }
}

/** Per-state registry references: the marker values the prelude creates, and interned strings. */
export type Markers = { nullRef: number; arrayMtRef: number; interned: Map<string, number> };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Up to this length a string is copied by hand when it is ASCII. */
const SHORT_ENCODE = 256;

/**
 * The UTF-8 bytes of `s`. TextEncoder costs several times more than a copy loop on the short
 * strings that dominate converted values (keys, ids, header values), so those that are ASCII
 * are copied; anything else goes to TextEncoder.
 */
export function utf8Bytes(s: string): Uint8Array {
  const n = s.length;
  if (n > SHORT_ENCODE) return encoder.encode(s);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

/** Interned strings per state: table keys and handler names recur from call to call. */
const MAX_INTERNED = 4096;
const MAX_INTERNED_LENGTH = 64;

/**
 * Pushes `s`, reusing the Lua string made for it earlier in this state: encoding, copying and
 * hashing a key again costs more than the rest of its conversion. The first push of a string
 * is charged to the memory budget like any string; later pushes create nothing.
 */
export function pushInterned(L: LuaState, s: string, markers: Markers): void {
  const ref = markers.interned.get(s);
  if (ref !== undefined) {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
    return;
  }
  lua.lua_pushstring(L, utf8Bytes(s));
  if (s.length > MAX_INTERNED_LENGTH || markers.interned.size >= MAX_INTERNED) return;
  lua.lua_pushvalue(L, -1);
  markers.interned.set(s, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
}

/**
 * Decoded short strings by the identity of their Lua byte array: a constant key such as
 * `pong` in a handler is the same array on every call, and Lua strings never change.
 */
const decoded = new WeakMap<Uint8Array, string>();
const SHORT_DECODE = 64;

export function luaStringToJs(bytes: Uint8Array, path: ValuePath): string {
  const short = bytes.length <= SHORT_DECODE;
  if (short) {
    const hit = decoded.get(bytes);
    if (hit !== undefined) return hit;
  }
  let s = short ? asciiText(bytes) : undefined;
  if (s === undefined) {
    try {
      s = utf8.decode(bytes);
    } catch {
      throw new ConversionError(path, "string is not valid UTF-8");
    }
  }
  if (short) decoded.set(bytes, s);
  return s;
}

/** Short ASCII bytes as text without TextDecoder (see utf8Bytes for why); undefined when any byte is not ASCII. */
function asciiText(bytes: Uint8Array): string | undefined {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0x7f) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}

function isMarker(L: LuaState, idx: number, ref: number): boolean {
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
  const same = lua.lua_rawequal(L, idx, -1);
  lua.lua_pop(L, 1);
  return same;
}

/** Converts the Lua value at `idx` (absolute or relative) to a JSON-like JS value. */
export function luaToJs(L: LuaState, idx: number, markers: Markers, path: ValuePath = "$"): unknown {
  const abs = idx < 0 ? lua.lua_gettop(L) + idx + 1 : idx;
  return convert(L, abs, markers, path, 0, new Set());
}

function convert(L: LuaState, idx: number, markers: Markers, path: ValuePath, depth: number, seen: Set<object>): unknown {
  const t = lua.lua_type(L, idx);
  switch (t) {
    case lua.LUA_TNIL:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx);
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, idx);
      if (!Number.isFinite(n)) throw new ConversionError(path, `number ${n} has no JSON form`);
      return n;
    }
    case lua.LUA_TSTRING:
      return luaStringToJs(lua.lua_tostring(L, idx)!, path);
    case lua.LUA_TTABLE:
      return convertTable(L, idx, markers, path, depth, seen);
    default:
      throw new ConversionError(path, `a Lua ${typeName(t)} cannot be converted to JSON`);
  }
}

function typeName(t: number): string {
  return ["nil", "boolean", "light userdata", "number", "string", "table", "function", "userdata", "thread"][t] ?? "value";
}

function convertTable(L: LuaState, idx: number, markers: Markers, path: ValuePath, depth: number, seen: Set<object>): unknown {
  if (depth >= MAX_DEPTH) throw new ConversionError(path, `nesting deeper than ${MAX_DEPTH} levels`);
  if (isMarker(L, idx, markers.nullRef)) return null;
  if (!lua.lua_checkstack(L, 8)) throw new ConversionError(path, "Lua stack exhausted");
  let markedArray = false;
  if (lua.lua_getmetatable(L, idx)) {
    // A read-only proxy (ctx.config) converts as the data it guards.
    lua.lua_getfield(L, -1, "__readonly");
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      const data = lua.lua_gettop(L);
      try {
        return convertTable(L, data, markers, path, depth, seen);
      } finally {
        lua.lua_pop(L, 2);
      }
    }
    lua.lua_pop(L, 1);
    markedArray = isMarker(L, -1, markers.arrayMtRef);
    lua.lua_pop(L, 1);
  }
  const ptr = lua.lua_topointer(L, idx);
  if (seen.has(ptr)) throw new ConversionError(path, "table contains itself (cycle)");
  seen.add(ptr);
  const ints: [number, unknown][] = [];
  const named: [string, unknown][] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx)) {
    const valueIdx = lua.lua_gettop(L);
    const kt = lua.lua_type(L, -2);
    if (kt === lua.LUA_TNUMBER && lua.lua_isinteger(L, -2)) {
      const k = lua.lua_tonumber(L, -2);
      ints.push([k, convert(L, valueIdx, markers, { parent: path, key: k }, depth + 1, seen)]);
    } else if (kt === lua.LUA_TSTRING) {
      const k = luaStringToJs(lua.lua_tostring(L, -2)!, path);
      named.push([k, convert(L, valueIdx, markers, { parent: path, key: k }, depth + 1, seen)]);
    } else {
      lua.lua_pop(L, 2);
      throw new ConversionError(path, `table key of type ${typeName(kt)} has no JSON form (keys must be strings or integers)`);
    }
    lua.lua_pop(L, 1);
  }
  seen.delete(ptr);
  if (named.length === 0 && (ints.length > 0 || markedArray) && ints.every(([k]) => k >= 1)) {
    const max = ints.reduce((m, [k]) => Math.max(m, k), 0);
    // Holes become null, but a sparse table ({[1e6] = 1}) would turn into a flood of nulls.
    if (max > 2 * ints.length + 8) throw new ConversionError(path, `sparse array (highest index ${max}, ${ints.length} values)`);
    const out: unknown[] = new Array(max).fill(null);
    for (const [k, v] of ints) out[k - 1] = v;
    return out;
  }
  const obj: Record<string, unknown> = {};
  for (const [k, v] of ints) obj[String(k)] = v;
  for (const [k, v] of named) obj[k] = v;
  return obj;
}

/** Pushes a JSON-like JS value; null/undefined become nil except inside arrays, where they become ctx.json.null. */
export function pushJs(L: LuaState, value: unknown, markers: Markers, path: ValuePath = "$", depth = 0, inArray = false): void {
  if (value === null || value === undefined) {
    if (inArray) lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, markers.nullRef);
    else lua.lua_pushnil(L);
    return;
  }
  switch (typeof value) {
    case "boolean":
      lua.lua_pushboolean(L, value);
      return;
    case "number":
      // fengari integers are 32-bit: anything wider travels as a float.
      if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) lua.lua_pushinteger(L, value);
      else lua.lua_pushnumber(L, value);
      return;
    case "string":
      lua.lua_pushstring(L, utf8Bytes(value));
      return;
  }
  if (depth >= MAX_DEPTH) throw new ConversionError(path, `nesting deeper than ${MAX_DEPTH} levels`);
  if (!lua.lua_checkstack(L, 4)) throw new ConversionError(path, "Lua stack exhausted");
  if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    for (let i = 0; i < value.length; i++) {
      pushJs(L, value[i], markers, { parent: path, key: i + 1 }, depth + 1, true);
      lua.lua_rawseti(L, -2, i + 1);
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, markers.arrayMtRef);
    lua.lua_setmetatable(L, -2);
    return;
  }
  const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, v] of entries) {
      if (v === null || v === undefined) continue;
      pushInterned(L, k, markers);
      pushJs(L, v, markers, { parent: path, key: k }, depth + 1);
      lua.lua_rawset(L, -3);
    }
    return;
  }
  throw new ConversionError(path, `a JS ${value instanceof Object ? value.constructor.name : typeof value} cannot be passed to Lua`);
}

/** UTF-8 length of the JSON text of a converted value, as the output and log limits count it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "null");
}
