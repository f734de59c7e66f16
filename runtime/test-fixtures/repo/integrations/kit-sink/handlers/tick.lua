local M = {}

function M.tick(ctx, input)
  local n = ctx.integration.cacheGet("ticks") or 0
  ctx.integration.cacheSet({ key = "ticks", value = n + 1, ttl = 300 })
  ctx.log.debug("tick", { n = n + 1 })
end

return M
