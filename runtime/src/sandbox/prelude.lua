-- Runs once per sandbox state, before any integration code, with the full base library.
-- It closes what the sandbox must not expose and returns the invocation entry point.
-- COMPILED: chunk name -> binary chunk the host compiled from the same text (chunk-cache.ts).
-- charge_load(size): the host's charge for parsing a chunk of `size` bytes; raises a limit breach.
local json_encode, json_decode, SOURCES, MODULES, COMPILED, charge_load = ...

local G = _G
-- REQ tags host requests among coroutine yields; no integration code can reach it.
local REQ = {}
local co_create, co_resume, co_yield, co_status, co_isyieldable =
  coroutine.create, coroutine.resume, coroutine.yield, coroutine.status, coroutine.isyieldable
local raw_load, raw_pcall, raw_error, raw_rawset, raw_setmetatable, raw_getmetatable =
  load, pcall, error, rawset, setmetatable, getmetatable
local rawequal, rawget, type, select, next, tostring = rawequal, rawget, type, select, next, tostring
local pack, unpack = table.pack, table.unpack

-- The string metatable is shared by every string of the state: lock it, and let methods
-- resolve through a private copy so edits to the global 'string' table cannot reach them.
local string_methods = {}
for k, v in next, string do string_methods[k] = v end
string_methods.dump = nil
local string_mt = raw_getmetatable("")
string_mt.__index = string_methods
string_mt.__metatable = "locked"

string.dump = nil
G.dofile, G.loadfile, G.collectgarbage, G.print = nil, nil, nil, nil

-- A host request raised inside a user coroutine travels up to the invocation coroutine, and
-- the answer travels back down.
local function forward(co, ok, ...)
  if ok and rawequal((...), REQ) and co_status(co) == "suspended" then
    return forward(co, co_resume(co, co_yield(...)))
  end
  return ok, ...
end
coroutine.resume = function(co, ...) return forward(co, co_resume(co, ...)) end
coroutine.wrap = function(f)
  local co = co_create(f)
  local function finish(ok, ...)
    if ok then return ... end
    raw_error((...), 0)
  end
  return function(...) return finish(forward(co, co_resume(co, ...))) end
end

-- The message handler runs after the stack unwound (no debug library means nothing is lost),
-- so it runs under the instruction count like any code.
G.xpcall = function(f, handler, ...)
  local r = pack(raw_pcall(f, ...))
  if r[1] then return unpack(r, 1, r.n) end
  local _, h = raw_pcall(handler, r[2])
  return false, h
end

G.load = function(chunk, name, mode, env)
  if type(chunk) ~= "string" then raw_error("load accepts only source text in the sandbox", 2) end
  -- Parsing runs outside the count hook: pay for it up front, by size, so the outcome does not depend on the machine.
  charge_load(#chunk)
  return raw_load(chunk, "=load:" .. (type(name) == "string" and name or "?"), "t", env == nil and G or env)
end

G.rawset = function(t, k, v)
  if raw_getmetatable(t) == "read-only" then raw_error("table is read-only", 2) end
  return raw_rawset(t, k, v)
end

-- A bundle file: the host's binary chunk of it when there is one (undumping is much cheaper
-- than parsing under fengari), else its text. Binary never comes from the bundle itself.
local function load_file(src, chunkname)
  local bin = rawget(COMPILED, chunkname)
  if bin ~= nil then return raw_load(bin, chunkname, "b", G) end
  return raw_load(src, chunkname, "t", G)
end

local loaded = {}
G.require = function(name)
  if type(name) ~= "string" then raw_error("require expects a module name", 2) end
  local m = rawget(loaded, name)
  if m ~= nil then return m end
  local src = rawget(MODULES, name)
  if src == nil then
    raw_error("module '" .. name .. "' not found: list it in the manifest's dependencies.modules", 2)
  end
  local chunk, err = load_file(src, "@modules/" .. name .. "/init.lua")
  if not chunk then raw_error(err, 0) end
  m = chunk(name)
  if m == nil then m = true end
  loaded[name] = m
  return m
end

local NULL = raw_setmetatable({}, {
  __metatable = "ctx.json.null", __newindex = function() raw_error("ctx.json.null cannot be changed", 2) end, __tostring = function() return "null" end,
})
local ARRAY = { __metatable = "ctx.json.array" }
-- A read-only view of `data`; `name` says in the error which ctx table the handler tried to change.
local function readonly(data, name)
  for k, v in next, data do
    if type(v) == "table" and not rawequal(v, NULL) then data[k] = readonly(v, name .. "." .. tostring(k)) end
  end
  return raw_setmetatable({}, {
    __index = data, __newindex = function() raw_error(name .. " is read-only", 2) end,
    -- pairs hands out an iterator, never `data` itself: the state value of a plain
    -- `next, data` would give the handler the writable table behind the view.
    __len = function() return #data end, __pairs = function(p) return function(_, k) return next(data, k) end, p, nil end,
    __metatable = "read-only", __readonly = data,
  })
end

local function hostcall(name, ...)
  if not co_isyieldable() then
    raw_error("ctx." .. name .. " cannot be called here: code run by a library function (table.sort comparator, string.gsub callback) cannot wait for the host", 3)
  end
  local ok, result = co_yield(REQ, name, ...)
  if ok then return result end
  raw_error(result, 3)
end

local function json_array(t)
  if type(t) ~= "table" then raw_error("ctx.json.array expects a table", 2) end
  return raw_setmetatable(t, ARRAY)
end

local JSON = readonly({ encode = json_encode, decode = json_decode, null = NULL, array = json_array }, "ctx.json")

-- new_ctx(json, config, install, run) builds one invocation's ctx: the functions that call the
-- host come from the capability table (capabilities/lua-bindings.ts puts them in place of
-- CTX_BINDINGS when the sandbox loads this file).
local new_ctx = CTX_BINDINGS

local handlers = {}
local function load_handler(file)
  local mod = rawget(handlers, file)
  if mod ~= nil then return mod end
  local src = rawget(SOURCES, file)
  if src == nil then raw_error("handler file '" .. file .. "' is not in the bundle", 0) end
  local chunk, err = load_file(src, "@" .. file)
  if not chunk then raw_error(err, 0) end
  mod = chunk()
  if type(mod) ~= "table" then raw_error(file .. " must return a table of handler functions", 0) end
  handlers[file] = mod
  return mod
end

-- `config` and `install` arrive already read-only (the host freezes each once and reuses it
-- while it does not change); `run` is a fresh table of every invocation, so changing it
-- reaches nothing else.
local function invoke(file, fn, config, install, run_handler, run_id, input)
  local f = load_handler(file)[fn]
  if type(f) ~= "function" then raw_error("handler '" .. fn .. "' is not a function in " .. file, 0) end
  return (f(new_ctx(JSON, config, install, { id = run_id, handler = run_handler }), input))
end

return invoke, REQ, NULL, ARRAY, readonly
