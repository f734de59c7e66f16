local M = {}

function M.count_items(ctx, input)
  local rows = ctx.device.sql("db", "SELECT count(*) AS n FROM items WHERE kind = ?", { input.kind })
  return { count = rows[1].n }
end

return M
