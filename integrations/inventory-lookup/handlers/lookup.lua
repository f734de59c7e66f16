-- Stock of one item. SKUs from marketplaces are mapped through the sku_aliases container
-- (filled by the installer's import), so callers may use either id.
local M = {}

local QUERY = [[
SELECT i.sku, i.name, s.on_hand, s.reserved
FROM items i JOIN stock s ON s.sku = i.sku
WHERE i.sku = $1 AND s.warehouse_id = $2
]]

function M.lookup_item(ctx, input)
  local alias = ctx.integration.containersGet("sku_aliases", input.sku)
  local sku = alias and alias.sku or input.sku
  if alias then ctx.log.debug("sku alias resolved", { alias = input.sku, sku = sku }) end
  local ok, rows = pcall(function()
    return ctx.device.sql("db", QUERY, { sku, ctx.config.warehouseId })
  end)
  if not ok then
    ctx.log.error("stock query failed", { sku = sku, reason = type(rows) == "table" and rows.message or tostring(rows) })
    error({ code = "database_unavailable", message = "the stock database did not answer" })
  end
  local row = rows[1]
  if not row then
    error({ code = "not_found", message = "no item " .. sku .. " in warehouse " .. ctx.config.warehouseId })
  end
  local available = row.on_hand - row.reserved
  return {
    sku = row.sku,
    name = row.name,
    warehouseId = ctx.config.warehouseId,
    onHand = row.on_hand,
    reserved = row.reserved,
    available = available,
    low = available <= (ctx.config.lowStockThreshold or 5),
  }
end

return M
