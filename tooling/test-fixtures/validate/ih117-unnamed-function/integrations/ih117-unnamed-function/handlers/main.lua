return {
  ping = function(ctx, input)
    return { ok = true }
  end,
  pong = function(ctx, input)
    return { ok = false }
  end,
}
