-- SMS through Twilio Programmable Messaging (the 2010-04-01 REST API). Twilio takes
-- form-encoded bodies and answers JSON; the runtime adds HTTP Basic auth (API key SID and
-- secret) to every call, so the credential never reaches this file.
local form = require("form-urlencoded")
local http_errors = require("http-errors")

local COOLDOWN_PREFIX = "cooldown:"

-- Twilio's error body names its own numeric code (21211: invalid 'To' number, 20429: too many
-- requests); it goes into the message so an operator can look it up.
local function check(res)
  if res.status < 400 then return res end
  local body = res.json or {}
  local detail = body.message
  if body.code then detail = string.format("%s (Twilio error %d)", body.message or "error", body.code) end
  return http_errors.check(res, "Twilio", detail)
end

-- Twilio sends JSON null for "no error"; the record leaves the field out then.
local function present(ctx, value)
  if value == nil or value == ctx.json.null then return nil end
  return value
end

-- The stored record of a message resource (schema: dataContainerSchemas.messages).
local function store(ctx, msg, printer_id)
  ctx.integration.containersSet("messages", msg.sid, {
    messageSid = msg.sid, to = msg.to, status = msg.status, createdAt = msg.date_created,
    printerId = printer_id, errorCode = present(ctx, msg.error_code),
  })
end

-- Sends one message and stores its record; returns Twilio's message resource.
local function send(ctx, to, text, printer_id)
  local fields = { To = to, Body = text, StatusCallback = ctx.config.statusCallbackUrl }
  if ctx.config.messagingServiceSid then
    fields.MessagingServiceSid = ctx.config.messagingServiceSid
  else
    fields.From = ctx.config.fromNumber
  end
  -- The account id goes into the path template as a param, encoded as one segment, so no
  -- configured value can point the call at another endpoint.
  local res = check(ctx.device.http("twilio", {
    method = "POST",
    path = "/2010-04-01/Accounts/{account}/Messages.json",
    params = { account = ctx.config.accountSid },
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded" },
    body = form.encode(fields),
  }))
  store(ctx, res.json, printer_id)
  return res.json
end

-- Texts every recipient; one failing number does not keep the others from being alerted.
-- Each outcome is announced as sms.sent or sms.failed. Raises only when nobody was reached.
local function alert_all(ctx, printer_id, text)
  local sent = 0
  local last_error
  for _, to in ipairs(ctx.config.recipients) do
    local ok, result = pcall(send, ctx, to, text, printer_id)
    if ok then
      sent = sent + 1
      ctx.emit("sms.sent", { messageSid = result.sid, to = to, printerId = printer_id })
    else
      last_error = result
      ctx.log.warn("alert not sent", { to = to, printerId = printer_id, error = type(result) == "table" and result.code or tostring(result) })
      ctx.emit("sms.failed", { to = to, printerId = printer_id, code = type(result) == "table" and result.code or "error" })
    end
  end
  if sent == 0 then error(last_error, 0) end
  return sent
end

local M = {}

function M.on_printer_offline(ctx, event)
  local key = COOLDOWN_PREFIX .. event.printerId
  local held = ctx.integration.cacheGet(key)
  if held then
    ctx.log.debug("offline alert held back by the cool-down", { printerId = event.printerId, since = held.alertedAt })
    return
  end
  local text = string.format("Printer %s is offline (was %s).", event.printerId, event.lastState or "unknown")
  local sent = alert_all(ctx, event.printerId, text)
  ctx.integration.cacheSet({ key = key, value = { alertedAt = event.observedAt }, ttl = ctx.config.cooldownSeconds or 900 })
  ctx.log.info("offline alert sent", { printerId = event.printerId, recipients = sent, install = ctx.install.id, run = ctx.run.id })
end

function M.on_printer_back_online(ctx, event)
  local key = COOLDOWN_PREFIX .. event.printerId
  -- Only a printer we alerted about gets an all-clear; a blip nobody heard of stays quiet.
  if not ctx.integration.cacheGet(key) then
    ctx.log.debug("no offline alert to clear", { printerId = event.printerId })
    return
  end
  local text = string.format("Printer %s is back online (%s).", event.printerId, event.state or "idle")
  alert_all(ctx, event.printerId, text)
  ctx.integration.cacheDelete(key)
  ctx.log.info("all-clear sent", { printerId = event.printerId, observedAt = event.observedAt })
end

function M.send_sms(ctx, input)
  local msg = send(ctx, input.to, input.body, nil)
  ctx.log.info("sms sent", { messageSid = msg.sid, reply = ctx.json.encode({ status = msg.status, segments = msg.num_segments }) })
  return { messageSid = msg.sid, status = msg.status, segments = msg.num_segments and tonumber(msg.num_segments) or nil }
end

function M.get_message(ctx, input)
  local res = check(ctx.device.http("twilio", { method = "GET", path = "/2010-04-01/Accounts/{account}/Messages/{sid}.json", params = { account = ctx.config.accountSid, sid = input.messageSid } }))
  local msg = res.json
  local stored = ctx.integration.containersGet("messages", msg.sid)
  store(ctx, msg, stored and stored.printerId or nil)
  return {
    messageSid = msg.sid, status = msg.status, to = msg.to,
    errorCode = present(ctx, msg.error_code), errorMessage = present(ctx, msg.error_message),
  }
end

return M
