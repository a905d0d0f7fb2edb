-- wrk script for bench/appeals_bench.py: every POST from a different signed-in account.
--
--   wrk -t2 -c48 -d65s --timeout 30s -s bench/appeals_sign.lua URL -- CREDS PATH SECONDS
--
-- CREDS holds one "account_id session_key csrf_token" line per account. Thread t of n takes
-- lines t, t+n, t+2n, ... in order, so the accounts it sent are known from how many it sent.
-- Until SECONDS have passed each request is a co-signature (cookie and form token exactly
-- as a browser sends them); after that a connection sends nothing more, and each thread
-- stops once every co-signature it sent is answered: nothing is left in flight, and wrk's
-- -d only needs to be long enough for the last answers.
-- A 302 (the signing view's redirect to the campaign page; not one to the login page)
-- counts as accepted; anything else is reported.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } hw_timespec;
int clock_gettime(int clk_id, hw_timespec *tp);
]])
local ts = ffi.new("hw_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- setup() runs in the main Lua state once per thread, before that thread's init().
local threads = {}
local start = nil

function setup(thread)
  start = start or now()
  thread:set("tid", #threads)
  thread:set("epoch", start)
  table.insert(threads, thread)
end

function init(args)
  local creds_path, seconds, nthreads = args[1], tonumber(args[3]), tonumber(args[4])
  sign_path = args[2]
  deadline = epoch + seconds
  mine = {}
  local i = 0
  for line in io.lines(creds_path) do
    if i % nthreads == tid then
      local id, session, csrf = line:match("^(%d+) (%S+) (%S+)$")
      mine[#mine + 1] = { id, session, csrf }
    end
    i = i + 1
  end
  idx, sent, answered, accepted, first, last, verified = 1, 0, 0, 0, nil, nil, false
  statuses = {}
  bare = wrk.format("GET", "/bench/bare/", {})
end

local function post(c)
  local body = "csrfmiddlewaretoken=" .. c[3]
  return wrk.format("POST", sign_path, {
    ["Cookie"] = "hw_session=" .. c[2] .. "; hw_csrf=" .. c[3],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function request()
  if not verified then
    -- wrk calls request() once in thread 0 before it starts, only to parse the result
    -- (script_verify_request): that call sends nothing, so it uses up no account.
    verified = true
    if tid == 0 then
      return post(mine[1])
    end
  end
  local t = now()
  if t < deadline and idx <= #mine then
    local c = mine[idx]
    idx = idx + 1
    sent = sent + 1
    first = first or t
    return post(c)
  end
  return bare
end

-- Past the deadline a connection waits instead of sending; the thread stops once every
-- co-signature it sent has its answer, so the latency figures are co-signatures only.
function delay()
  if now() >= deadline then
    return 60000
  end
  return 0
end

local function settle()
  if answered >= sent and now() >= deadline then
    wrk.thread:stop()
  end
end

function response(status, headers, body)
  if status == 200 and body == "ok" then
    return -- the bare view (a reconnection after the deadline)
  end
  answered = answered + 1
  local key = tostring(status)
  if status == 302 then
    local location = headers["Location"] or headers["location"] or ""
    if not location:find("/accounts/login", 1, true) then
      accepted = accepted + 1
      last = now()
      settle()
      return
    end
    key = "302 " .. location
  end
  statuses[key] = (statuses[key] or 0) + 1
  settle()
end

function done(summary, latency, requests)
  io.write(string.format("LATENCY p50 %.1f p90 %.1f p99 %.1f max %.1f ms; requests %d; errors connect %d read %d write %d status %d timeout %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  for _, thread in ipairs(threads) do
    local parts = {}
    local st = thread:get("statuses")
    for k, v in pairs(st) do
      parts[#parts + 1] = k .. "=" .. v
    end
    io.write(string.format(
      "THREAD %d sent %d answered %d accepted %d first %.6f last %.6f epoch %.6f other %s\n",
      thread:get("tid"), thread:get("sent"), thread:get("answered"), thread:get("accepted"),
      thread:get("first") or 0, thread:get("last") or 0, thread:get("epoch"), table.concat(parts, ",")
    ))
  end
end
