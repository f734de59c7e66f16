local M = {}

function M.fetch_user(ctx, input)
  local hit = ctx.integration.cacheGet("user:" .. input.id)
  if hit then
    hit.cached = true
    return hit
  end
  local res = ctx.device.http("api", { path = "/users/" .. input.id, query = { expand = "team" } })
  if res.status == 404 then
    error({ code = "NOT_FOUND", message = "no user " .. input.id })
  end
  ctx.log.info("fetched user", { id = input.id, status = res.status })
  local user = { id = res.json.id, name = res.json.name }
  ctx.integration.cacheSet({ key = "user:" .. input.id, value = user, ttl = 60 })
  return user
end

function M.bad_output(ctx, input)
  return { name = "no id" }
end

return M
