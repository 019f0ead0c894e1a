-- The load run's request mix for wrk, and its referee: every answer is counted by status,
-- and every error answer must be the contract's body (an `error` code and a `request_id`)
-- with an `X-Request-Id` header. `done` prints one JSON line for .ci/load to read.
--
-- The mix, in turn: a key's own details (200; past the key's minute, 429), a run that does
-- not exist (404), and a request without a key (401).
local enterprise = "Bearer sk_live_demo_enterprise_c7d05e"
local pro = "Bearer sk_live_demo_pro_8b3e9d"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = {
    wrk.format("GET", "/verify", { ["Authorization"] = enterprise }),
    wrk.format("GET", "/runs/run_does_not_exist", { ["Authorization"] = pro }),
    wrk.format("GET", "/verify", {}),
  }
  turn = 0
  statuses = {}
  violations = 0
  first_violation = ""
end

function request()
  turn = turn % #requests + 1
  return requests[turn]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 then
    local id = headers["x-request-id"] or headers["X-Request-Id"]
    local contract = id ~= nil
      and body:find('"error":"', 1, true) ~= nil
      and body:find('"request_id":"' .. id .. '"', 1, true) ~= nil
    if not contract then
      violations = violations + 1
      if first_violation == "" then
        first_violation = status .. " " .. body:sub(1, 200)
      end
    end
  end
end

function done(summary, latency, requests)
  local statuses, violations, first = {}, 0, ""
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      statuses[status] = (statuses[status] or 0) + n
    end
    violations = violations + thread:get("violations")
    if first == "" then first = thread:get("first_violation") end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50_us":%d,"p99_us":%d,"socket_errors":%d,' ..
    '"timeouts":%d,"violations":%d,"first_violation":%q,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.timeout, violations, first, table.concat(parts, ",")))
end
