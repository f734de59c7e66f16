-- chat.postMessage. Slack answers most failures with HTTP 200 and `ok: false`, so both the
-- status and the `ok` flag are checked; Slack's own error string becomes the error code.
local http_errors = require("http-errors")

local function send_message(ctx, input)
  local channel = input.channel or ctx.config.defaultChannel
  if not channel then
    error({ code = "invalid_input", message = "no channel given and config.defaultChannel is not set" })
  end
  local res = ctx.device.http("slack", {
    method = "POST",
    path = "/api/chat.postMessage",
    json = {
      channel = channel,
      text = input.text,
      thread_ts = input.threadTs,
      unfurl_links = ctx.config.unfurlLinks == true,
    },
  })
  http_errors.check(res, "Slack")
  if not res.json.ok then
    ctx.log.warn("Slack refused the message", { channel = channel, error = res.json.error })
    error({ code = res.json.error or "slack_error", message = "chat.postMessage failed: " .. tostring(res.json.error) })
  end
  ctx.emit("slack.message_sent", { channel = res.json.channel, ts = res.json.ts })
  ctx.log.info("message posted", { channel = res.json.channel, ts = res.json.ts })
  return { channel = res.json.channel, ts = res.json.ts }
end

return { send_message = send_message }
