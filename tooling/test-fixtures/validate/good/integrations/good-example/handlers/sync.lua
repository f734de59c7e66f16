local M = {}

function M.run(c)
  local res = c.device.http("api", { method = "GET", path = "/items" })
  for _, item in ipairs(res.json.items) do
    c.integration.containersSet("items", item.id, { id = item.id })
  end
  c.emit("item.synced", { count = #res.json.items })
end

M.on_order = function(ctx, event)
  local rows = ctx.device.sql("db", "SELECT count(*) AS n FROM orders WHERE id = ?", { event.id })
  ctx.log.info("orders", { n = rows[1].n })
end

return M
