return {
  ping = function(ctx, input)
    return { ok = input.name ~= "" }
  end,
}
