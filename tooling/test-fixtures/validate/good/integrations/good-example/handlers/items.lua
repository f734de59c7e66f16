local text = require("text-utils")

return {
  get_item = function(ctx, input)
    local cached = ctx.integration.cacheGet("item:" .. input.id)
    if cached then
      return cached
    end
    local res = ctx.device.http("api", { method = "GET", path = "/items", query = { id = input.id, region = ctx.config.region } })
    local out = { name = text.trim(res.json.name) }
    ctx.integration.cacheSet({ key = "item:" .. input.id, value = out, ttl = 60 })
    return out
  end,
}
