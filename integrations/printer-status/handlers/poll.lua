-- Timer: one status request per configured printer. A printer the gateway cannot reach
-- (HTTP 5xx or no answer) is recorded as offline; a change of reachability is announced once.

local STATES = {
  IDLE = "idle", READY = "idle", FINISHED = "idle", STOPPED = "idle",
  PRINTING = "printing", BUSY = "printing",
  PAUSED = "paused",
  ERROR = "error", ATTENTION = "error",
}

local function header(res, name)
  local headers = res.headers or {}
  return headers[name] or headers[string.lower(name)]
end

-- Returns the observation, or nil when the gateway does not know the printer.
local function observe(ctx, printer_id)
  local ok, res = pcall(function()
    return ctx.device.http("printers", {
      method = "GET",
      path = "/api/v1/status",
      query = { printer = printer_id },
      headers = { Accept = "application/json" },
      timeoutMs = 5000,
    })
  end)
  if not ok then
    local reason = type(res) == "table" and res.message or tostring(res)
    ctx.log.warn("printer gateway unreachable", { printerId = printer_id, reason = reason })
    return { state = "offline" }
  end
  if res.status == 404 then
    ctx.log.error("printer unknown to the gateway", { printerId = printer_id })
    return nil
  end
  if res.status >= 500 then
    ctx.log.warn("printer not answering", { printerId = printer_id, status = res.status })
    return { state = "offline", observedAt = header(res, "Date") }
  end
  -- Some firmware sends JSON as text/plain, so the body is decoded when the runtime did not.
  local body = res.json or ctx.json.decode(res.body)
  local printer = body.printer or {}
  local job = body.job or {}
  return {
    state = STATES[printer.state] or "error",
    observedAt = header(res, "Date"),
    nozzleTemp = printer.temp_nozzle,
    bedTemp = printer.temp_bed,
    jobProgress = job.progress,
  }
end

local function announce(ctx, printer_id, before, now)
  if now.state == "offline" and before.state and before.state ~= "offline" then
    ctx.emit("printer.offline", { printerId = printer_id, lastState = before.state, observedAt = now.observedAt })
    ctx.log.info("printer went offline", { printerId = printer_id })
  elseif now.state ~= "offline" and before.state == "offline" then
    ctx.emit("printer.back_online", { printerId = printer_id, state = now.state, observedAt = now.observedAt })
    ctx.log.info("printer back online", { printerId = printer_id })
  end
end

local function poll(ctx, input)
  local ttl = ctx.config.statusTtlSeconds or 120
  local stored = 0
  for _, printer_id in ipairs(ctx.config.printerIds) do
    local now = observe(ctx, printer_id)
    if now then
      now.printerId = printer_id
      local before = ctx.integration.containersGet("printers", printer_id) or { seq = 0 }
      local seq = before.seq + 1
      ctx.integration.containersSet("status_history", string.format("%s/%08d", printer_id, seq), now)
      ctx.integration.containersSet("printers", printer_id, { printerId = printer_id, state = now.state, seq = seq })
      ctx.integration.cacheSet({ key = "status:" .. printer_id, value = now, ttl = ttl })
      announce(ctx, printer_id, before, now)
      stored = stored + 1
    end
  end
  ctx.log.debug("poll finished", { stored = stored, install = ctx.install.id, run = ctx.run.id })
end

return { poll = poll }
