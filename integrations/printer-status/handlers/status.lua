-- RPCs over what the poller stored: the cached latest status, the history container, and
-- clearing both for one printer.
local M = {}

local function history_prefix(printer_id)
  return printer_id .. "/"
end

function M.get_status(ctx, input)
  local cached = ctx.integration.cacheGet("status:" .. input.printerId)
  if cached then
    cached.fresh = true
    return cached
  end
  local record = ctx.integration.containersGet("printers", input.printerId)
  if not record then
    error({ code = "not_found", message = "printer " .. input.printerId .. " has not been polled yet" })
  end
  local last = ctx.integration.containersGet("status_history", string.format("%s/%08d", input.printerId, record.seq)) or record
  return {
    printerId = input.printerId,
    state = last.state,
    fresh = false,
    observedAt = last.observedAt,
    nozzleTemp = last.nozzleTemp,
    bedTemp = last.bedTemp,
    jobProgress = last.jobProgress,
  }
end

function M.get_status_history(ctx, input)
  local page = ctx.integration.containersList("status_history", {
    prefix = history_prefix(input.printerId),
    limit = input.limit or 20,
    cursor = input.cursor,
  })
  local items = {}
  for _, entry in ipairs(page.items) do
    items[#items + 1] = entry.value
  end
  return { items = items, nextCursor = page.cursor }
end

function M.clear_history(ctx, input)
  local page = ctx.integration.containersList("status_history", { prefix = history_prefix(input.printerId), limit = 100 })
  for _, entry in ipairs(page.items) do
    ctx.integration.containersDelete("status_history", entry.key)
  end
  ctx.integration.containersDelete("printers", input.printerId)
  ctx.integration.cacheDelete("status:" .. input.printerId)
  ctx.log.info("history cleared", { printerId = input.printerId, deleted = #page.items })
  return { deleted = #page.items }
end

return M
