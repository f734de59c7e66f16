return {
  ping = function(ctx, input)
    pirnt("pinged")
    return { ok = true }
  end,
}
