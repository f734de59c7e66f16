return {
  ping = function(ctx, input)
    local name = input.name or "anonymous"
    return { ok = name ~= "" }
  end,
}
