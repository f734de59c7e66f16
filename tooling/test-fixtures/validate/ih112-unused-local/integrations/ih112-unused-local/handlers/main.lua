return {
  ping = function(ctx, input)
    local answer = 42
    return { ok = true }
  end,
}
