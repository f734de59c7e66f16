-- The native lua5.4 baseline: runs a handler of handlers.lua with a ctx whose json is json.lua
-- and prints the timings as one JSON line. Each sample is the average CPU time (os.clock) of
-- `batch` calls, since one trivial call is shorter than the clock's resolution.
-- Arguments: dir handler samples batch mode [doc-file]. Mode "load" recompiles handlers.lua
-- before every call, the closest native analogue of a cold sandbox.
local dir, handler, samples_n, batch, mode, docfile = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4]), arg[5], arg[6]
local json = dofile(dir .. "/json.lua")
local f = assert(io.open(dir .. "/handlers.lua"))
local source = f:read("a")
f:close()
local input = { n = 41 }
if docfile then
  local d = assert(io.open(docfile))
  input.doc = d:read("a")
  d:close()
end
local ctx = { json = json }
local M = load(source, "@handlers.lua")()
local samples = {}
local started = os.clock()
for i = 1, samples_n do
  local t = os.clock()
  for _ = 1, batch do
    if mode == "load" then M = load(source, "@handlers.lua")() end
    M[handler](ctx, input)
  end
  samples[i] = (os.clock() - t) * 1000 / batch
end
local total = os.clock() - started
io.write('{"totalMs":', total * 1000, ',"samples":[', table.concat(samples, ","), "]}\n")
