local M = {}

function M.raw_http(ctx, input)
  local alias = input.alias or "api"
  input.alias = nil
  local res = ctx.device.http(alias, input)
  ctx.log.info("reply " .. res.body)
  return { status = res.status, body = res.body, json = res.json, headers = res.headers }
end

-- input = { call = "integration.cacheGet", args = { ... } }
function M.ctx_call(ctx, input)
  local obj = ctx
  for part in string.gmatch(input.call, "[^.]+") do obj = obj[part] end
  local args = input.args or {}
  return { result = obj(table.unpack(args, 1, input.n or #args)) }
end

return M
