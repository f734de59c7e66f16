return {
  ping = function(ctx, input)
    pings = (pings or 0) + 1
    return { ok = true }
  end,
}
