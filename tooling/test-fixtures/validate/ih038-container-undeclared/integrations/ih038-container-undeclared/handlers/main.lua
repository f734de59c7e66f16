local M = {}

function M.ping(ctx, input)
  local thing = ctx.integration.containersGet("things", "a")
  return { ok = thing ~= nil }
end

return M
