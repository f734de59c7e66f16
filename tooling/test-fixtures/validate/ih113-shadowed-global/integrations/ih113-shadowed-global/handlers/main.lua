return {
  ping = function(ctx, input)
    local type = "ping"
    return { ok = type == "ping" }
  end,
}
