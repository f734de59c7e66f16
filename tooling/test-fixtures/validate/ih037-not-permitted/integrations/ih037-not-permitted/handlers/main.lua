return {
  ping = function(c, input)
    c.integration.cacheSet({ key = "last", value = input, ttl = 60 })
    return { ok = true }
  end,
}
