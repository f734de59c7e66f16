return {
  ping = function(ctx, input)
    return { ok = true, okay = true }
  end,
}
