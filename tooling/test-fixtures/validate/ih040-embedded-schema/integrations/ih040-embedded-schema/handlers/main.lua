return {
  ping = function(ctx, input)
    return { ok = ctx.config.region ~= nil }
  end,
}
