return {
  ping = function(ctx, input)
    local suffix = ctx.config.signature .. "!"
    return { ok = suffix ~= "" }
  end,
}
