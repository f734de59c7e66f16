-- application/x-www-form-urlencoded bodies, as Stripe-style APIs expect them. Keys are sorted:
-- `pairs` order is unspecified, and a stable body keeps idempotent retries byte-identical.
local M = {}

local function escape(value)
  return (string.gsub(value, "[^%w%-%._~]", function(c)
    if c == " " then return "+" end
    return string.format("%%%02X", string.byte(c))
  end))
end

local function scalar(value)
  if math.type(value) == "integer" then return string.format("%d", value) end
  if type(value) == "number" and value == math.floor(value) and math.abs(value) < 2^53 then
    return string.format("%.0f", value)
  end
  return tostring(value)
end

--- Encodes `fields` (string keys, string/number/boolean values; nil values are skipped).
function M.encode(fields)
  local keys = {}
  for key in pairs(fields) do keys[#keys + 1] = key end
  table.sort(keys)
  local parts = {}
  for _, key in ipairs(keys) do
    parts[#parts + 1] = escape(key) .. "=" .. escape(scalar(fields[key]))
  end
  return table.concat(parts, "&")
end

return M
