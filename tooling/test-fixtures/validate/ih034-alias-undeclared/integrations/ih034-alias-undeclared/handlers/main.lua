return {
  ping = function(ctx, input)
    local res = ctx.device.http("nope", { path = "/ping" })
    return { ok = res.status == 200 }
  end,
}
