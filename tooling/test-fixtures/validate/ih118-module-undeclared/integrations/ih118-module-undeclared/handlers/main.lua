local greetings = require("greetings")

return {
  ping = function(ctx, input)
    return { ok = greetings ~= nil }
  end,
}
