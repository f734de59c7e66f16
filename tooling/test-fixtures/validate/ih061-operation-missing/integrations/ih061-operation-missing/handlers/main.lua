return {
  ping = function(ctx, input)
    local ok = ctx.device.http("api", { method = "GET", path = "/ping/1" })
    local gone = ctx.device.http("api", { method = "DELETE", path = "/ping/1" })
    return { ok = ok.status == 200 and gone.status == 204 }
  end,
}
