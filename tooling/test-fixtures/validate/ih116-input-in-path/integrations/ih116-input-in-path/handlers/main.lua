return {
  ping = function(ctx, input)
    local res = ctx.device.http("api", { path = "/items/" .. input.id })
    return { ok = res.status == 200 }
  end,
}
