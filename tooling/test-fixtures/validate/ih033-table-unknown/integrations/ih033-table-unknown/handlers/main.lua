local function make()
  return { ping = function(ctx) return { ok = true } end }
end

return make()
