-- One table of error codes for HTTP failures, shared so that every integration reports
-- a 404 as `not_found` and a 503 as `upstream_unavailable`, whatever the service calls them.
local M = {}

local CODES = {
  [400] = "invalid_request",
  [401] = "unauthorized",
  [402] = "payment_required",
  [403] = "forbidden",
  [404] = "not_found",
  [409] = "conflict",
  [410] = "gone",
  [422] = "validation_failed",
  [429] = "rate_limited",
}

--- The error code for an HTTP status, or nil when the status is a success.
function M.code_for(status)
  if CODES[status] then return CODES[status] end
  if status >= 500 then return "upstream_unavailable" end
  if status >= 400 then return "request_failed" end
  return nil
end

--- Raises error({ code, message }) when `res` is a failure; returns `res` otherwise.
--- `detail` (optional) is the service's own explanation, appended to the message.
function M.check(res, service, detail)
  local code = M.code_for(res.status)
  if code then
    local message = string.format("%s answered HTTP %d", service, res.status)
    if detail then message = message .. ": " .. detail end
    error({ code = code, message = message }, 0)
  end
  return res
end

return M
