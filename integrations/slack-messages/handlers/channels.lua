-- conversations.list, one page at a time. The first page is what pickers show, so it is
-- cached; later pages depend on Slack's cursor and are always fetched.
local http_errors = require("http-errors")

local FIRST_PAGE_TTL = 300

local function list_channels(ctx, input)
  local limit = input.limit or 100
  local cache_key = nil
  if not input.cursor then
    cache_key = string.format("channels:first:%d", limit)
    local cached = ctx.integration.cacheGet(cache_key)
    if cached then
      ctx.log.debug("channel list from cache", { limit = limit })
      return cached
    end
  end
  local res = ctx.device.http("slack", {
    method = "GET",
    path = "/api/conversations.list",
    query = {
      limit = string.format("%d", limit),
      cursor = input.cursor,
      types = table.concat(ctx.config.channelTypes or { "public_channel" }, ","),
      exclude_archived = "true",
    },
  })
  if res.status == 429 then
    local retry = res.headers and res.headers["retry-after"]
    ctx.log.warn("Slack rate limit hit", { retryAfter = retry })
  end
  http_errors.check(res, "Slack")
  if not res.json.ok then
    error({ code = res.json.error or "slack_error", message = "conversations.list failed: " .. tostring(res.json.error) })
  end
  local channels = {}
  for _, c in ipairs(res.json.channels) do
    channels[#channels + 1] = { id = c.id, name = c.name, isPrivate = c.is_private == true, members = c.num_members }
  end
  local next_cursor = res.json.response_metadata and res.json.response_metadata.next_cursor
  if next_cursor == "" then next_cursor = nil end
  local page = { channels = channels, nextCursor = next_cursor }
  if cache_key then
    ctx.integration.cacheSet({ key = cache_key, value = page, ttl = FIRST_PAGE_TTL })
  end
  return page
end

return { list_channels = list_channels }
