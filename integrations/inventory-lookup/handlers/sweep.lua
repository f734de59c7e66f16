-- Hourly sweep. An alert per item is remembered in the cache for the cooldown, so a shelf that
-- stays empty is reported once a day, not every hour.
local QUERY = [[
SELECT s.sku, i.name, s.on_hand - s.reserved AS available
FROM stock s JOIN items i ON i.sku = s.sku
WHERE s.warehouse_id = $1 AND s.on_hand - s.reserved <= $2
ORDER BY s.sku
LIMIT 200
]]

local function sweep(ctx, input)
  local threshold = ctx.config.lowStockThreshold or 5
  local cooldown = ctx.config.alertCooldownSeconds or 86400
  local ok, rows = pcall(function()
    return ctx.device.sql("db", QUERY, { ctx.config.warehouseId, threshold })
  end)
  if not ok then
    ctx.log.error("low-stock query failed", { reason = type(rows) == "table" and rows.message or tostring(rows) })
    error({ code = "database_unavailable", message = "the stock database did not answer" })
  end
  local alerted = 0
  for _, row in ipairs(rows) do
    local key = "alerted:" .. row.sku
    if not ctx.integration.cacheGet(key) then
      ctx.emit("inventory.low_stock", {
        sku = row.sku,
        name = row.name,
        warehouseId = ctx.config.warehouseId,
        available = row.available,
        threshold = threshold,
      })
      ctx.integration.cacheSet({ key = key, value = row.available, ttl = cooldown })
      alerted = alerted + 1
    end
  end
  if #rows >= 200 then
    ctx.log.warn("more than 200 low-stock items; the rest wait for the next sweep", { warehouseId = ctx.config.warehouseId })
  end
  ctx.log.info("low-stock sweep done", { low = #rows, alerted = alerted })
end

return { sweep = sweep }
