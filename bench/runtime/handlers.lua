-- The three benchmark handlers. The same file runs in the sandbox and, for the baseline,
-- under native lua5.4 (with a pure-Lua ctx.json there).
local M = {}

function M.trivial(ctx, input)
  return { pong = input.n + 1 }
end

function M.json_heavy(ctx, input)
  local doc = ctx.json.decode(input.doc)
  local out, total = {}, 0
  for _, item in ipairs(doc.items) do
    if item.active then
      total = total + item.price * item.qty
      out[#out + 1] = { id = item.id, name = string.upper(item.name), tags = #item.tags, total = item.price * item.qty }
    end
  end
  return { count = #out, total = total, doc = ctx.json.encode({ items = out }) }
end

function M.one_http(ctx, input)
  local res = ctx.device.http("api", { path = "/ping" })
  return { status = res.status, ok = res.json.ok }
end

return M
