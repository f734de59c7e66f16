return {
  ping = function(ctx, input)
    return { ok = true }
  end,
}
