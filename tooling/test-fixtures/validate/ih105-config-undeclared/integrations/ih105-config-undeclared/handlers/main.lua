return {
  ping = function(ctx, input)
    local greeting = ctx.config.greeting .. "!"
    return { ok = ctx.config.greetin ~= greeting }
  end,
}
