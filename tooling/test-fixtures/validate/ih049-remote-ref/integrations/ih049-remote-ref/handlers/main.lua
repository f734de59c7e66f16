return {
  ping = function(ctx, input)
    return { ok = true, settings = ctx.config }
  end,
}
