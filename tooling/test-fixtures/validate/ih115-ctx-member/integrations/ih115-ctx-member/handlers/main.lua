return {
  ping = function(ctx, input)
    ctx.log.inf("pinged")
    return { ok = true }
  end,
}
