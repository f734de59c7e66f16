local ALIAS = "api"

return {
  ping = function(ctx, input)
    local res = ctx.device.http(ALIAS, { path = "/ping" })
    return { ok = res.status == 200 }
  end,
}
