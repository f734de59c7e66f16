return {
  ping = function(ctx, input)
    local res = ctx.device.http("db", { path = "/ping" })
    return { ok = res.status == 200 }
  end,
}
