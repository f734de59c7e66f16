return {
  ping = function(ctx, input)
    local greeting = "hello " .. input.name
    return { ok = input.nmae ~= greeting }
  end,
}
