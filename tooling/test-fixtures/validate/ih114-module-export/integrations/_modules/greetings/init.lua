local M = {}

function M.hello()
  return "hello"
end

return M
