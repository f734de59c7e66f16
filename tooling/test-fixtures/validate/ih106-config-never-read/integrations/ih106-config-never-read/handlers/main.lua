return {
  ping = function(ctx, input)
    return { ok = ctx.config.greeting ~= "" }
  end,
}
