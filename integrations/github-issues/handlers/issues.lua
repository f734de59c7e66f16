-- GitHub REST issues endpoints for the configured repository. Errors map through the shared
-- http-errors module, with GitHub's own `message` appended.
local http_errors = require("http-errors")

local HEADERS = {
  Accept = "application/vnd.github+json",
  ["X-GitHub-Api-Version"] = "2022-11-28",
}

-- Owner and repo are filled into the path templates as params, each encoded as one segment, so a
-- configured value cannot point the call at another endpoint.
local function repo_params(ctx, extra)
  local params = { owner = ctx.config.owner, repo = ctx.config.repo }
  for k, v in pairs(extra or {}) do params[k] = v end
  return params
end

local function check(res)
  local detail = res.json and res.json.message or nil
  return http_errors.check(res, "GitHub", detail)
end

local function first_page_key(state)
  return "issues:" .. state .. ":1"
end

local function summary(issue)
  local labels = {}
  for _, label in ipairs(issue.labels or {}) do labels[#labels + 1] = label.name end
  return {
    number = issue.number,
    title = issue.title,
    state = issue.state,
    author = issue.user and issue.user.login or nil,
    labels = labels,
    url = issue.html_url,
  }
end

local M = {}

function M.list_issues(ctx, input)
  local state = input.state or "open"
  local page = input.page or 1
  local labels = input.labels and table.concat(input.labels, ",") or nil
  -- Only unfiltered pages are cached: they are what dashboards poll.
  local cache_key = (labels == nil) and ("issues:" .. state .. ":" .. string.format("%d", page)) or nil
  if cache_key then
    local cached = ctx.integration.cacheGet(cache_key)
    if cached then return cached end
  end
  local res = check(ctx.device.http("github", {
    method = "GET",
    path = "/repos/{owner}/{repo}/issues",
    params = repo_params(ctx),
    query = {
      state = state,
      labels = labels,
      per_page = string.format("%d", ctx.config.perPage or 30),
      page = string.format("%d", page),
    },
    headers = HEADERS,
  }))
  local issues = {}
  for _, issue in ipairs(res.json) do
    if issue.pull_request == nil then issues[#issues + 1] = summary(issue) end
  end
  local result = { issues = issues }
  if cache_key then ctx.integration.cacheSet({ key = cache_key, value = result, ttl = 60 }) end
  return result
end

function M.create_issue(ctx, input)
  local res = check(ctx.device.http("github", {
    method = "POST",
    path = "/repos/{owner}/{repo}/issues",
    params = repo_params(ctx),
    headers = HEADERS,
    json = { title = input.title, body = input.body, labels = input.labels, assignees = input.assignees },
    timeoutMs = 10000,
  }))
  ctx.integration.cacheDelete(first_page_key("open"))
  ctx.log.info("issue opened", { number = res.json.number, repo = ctx.config.owner .. "/" .. ctx.config.repo })
  return { number = res.json.number, url = res.json.html_url }
end

function M.update_issue(ctx, input)
  local res = ctx.device.http("github", {
    method = "PATCH",
    path = "/repos/{owner}/{repo}/issues/{number}",
    params = repo_params(ctx, { number = string.format("%d", input.number) }),
    headers = HEADERS,
    json = { title = input.title, body = input.body, state = input.state, state_reason = input.stateReason },
  })
  if res.status == 404 then
    ctx.log.warn("issue not found", { number = input.number })
  end
  check(res)
  ctx.integration.cacheDelete(first_page_key("open"))
  ctx.integration.cacheDelete(first_page_key("closed"))
  return { number = res.json.number, state = res.json.state, url = res.json.html_url }
end

return M
