/**
 * What Lua code sees as globals in the sandbox: the libraries opened (sandbox.ts opens exactly
 * these) and the base functions the prelude leaves, with the signatures the LuaLS definitions
 * give editors. A test scans a real sandbox's `_G` against this list.
 */

/** Standard libraries opened besides the base one; io, os, debug and package stay closed. */
export const SANDBOX_LIBRARIES = ["string", "table", "math", "utf8", "coroutine"] as const;

export type GlobalFunction = {
  /** `name type`, LuaLS style; `...` for varargs. */
  params: readonly string[];
  returns: readonly string[];
  description: string;
};

/** Base-library functions left after the prelude removed print, dofile, loadfile and collectgarbage. */
export const SANDBOX_FUNCTIONS: Readonly<Record<string, GlobalFunction>> = {
  assert: { params: ["v any", "message? any"], returns: ["any"], description: "Raises `message` (\"assertion failed!\" by default) when `v` is false or nil, else returns its arguments." },
  error: { params: ["message any", "level? integer"], returns: [], description: "Raises an error; `error({ code = ..., message = ... })` is a handler's expected failure." },
  getmetatable: { params: ["object any"], returns: ["table|string|nil"], description: "The metatable of `object`, or its `__metatable` field (\"read-only\" for ctx.config and ctx.install)." },
  ipairs: { params: ["t table"], returns: ["fun(t: table, i: integer): integer?, any", "table", "integer"], description: "Iterates t[1], t[2], ... up to the first nil." },
  load: { params: ["chunk string", "chunkname? string", "mode? string", "env? table"], returns: ["function?", "string?"], description: "Compiles Lua source text (never binary chunks); its size is charged to the instruction budget." },
  next: { params: ["t table", "index? any"], returns: ["any", "any"], description: "The next key and value of `t` after `index`." },
  pairs: { params: ["t table"], returns: ["fun(t: table, k: any): any, any", "table", "nil"], description: "Iterates every key and value of `t`." },
  pcall: { params: ["f function", "... any"], returns: ["boolean", "any"], description: "Calls `f` in protected mode: false and the error (for a ctx call, its `{ code, message }` table) when it fails." },
  rawequal: { params: ["a any", "b any"], returns: ["boolean"], description: "Equality without metamethods." },
  rawget: { params: ["t table", "k any"], returns: ["any"], description: "`t[k]` without metamethods." },
  rawlen: { params: ["v table|string"], returns: ["integer"], description: "The length of `v` without metamethods." },
  rawset: { params: ["t table", "k any", "v any"], returns: ["table"], description: "`t[k] = v` without metamethods; refused on read-only ctx tables." },
  require: { params: ["name string"], returns: ["any"], description: "Loads a shared module listed in the manifest's `dependencies.modules` (never a file)." },
  select: { params: ["index integer|'#'", "... any"], returns: ["any"], description: "The arguments after `index`, or their count with \"#\"." },
  setmetatable: { params: ["t table", "metatable? table"], returns: ["table"], description: "Sets the metatable of `t`." },
  tonumber: { params: ["e any", "base? integer"], returns: ["number?"], description: "`e` as a number, or nil." },
  tostring: { params: ["v any"], returns: ["string"], description: "`v` as text." },
  type: { params: ["v any"], returns: ["type"], description: "The type name of `v`." },
  xpcall: { params: ["f function", "msgh function", "... any"], returns: ["boolean", "any"], description: "Like pcall, with a message handler run on the error." },
};

/** Base-library values. */
export const SANDBOX_VALUES: Readonly<Record<string, { type: string; value: string; description: string }>> = {
  _G: { type: "table<string, any>", value: "{}", description: "The global table." },
  _VERSION: { type: "string", value: '"Lua 5.3"', description: "The Lua version: fengari implements Lua 5.3." },
};
