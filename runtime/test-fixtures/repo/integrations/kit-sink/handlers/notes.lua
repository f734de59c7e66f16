local M = {}

function M.save_note(ctx, input)
  ctx.integration.containersSet("notes", input.key, { text = input.text })
  ctx.emit("note.saved", { key = input.key })
  return { saved = input.key }
end

function M.list_notes(ctx, input)
  local page = ctx.integration.containersList("notes", { prefix = input.prefix, limit = input.limit, cursor = input.cursor })
  local keys = {}
  for i, item in ipairs(page.items) do keys[i] = item.key end
  return { keys = keys, cursor = page.cursor }
end

return M
