-- wrk script for bench/appeals_bench.py: a signed-in reader loading the campaign page.
--
--   wrk -tR -cR -d65s --timeout 30s -s bench/appeals_read.lua URL -- SESSION CSRF SECONDS
--
-- One connection per thread, so each thread sees the pages in the order they were made and
-- the counter it reads must never go down. Stops sending after SECONDS.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } hw_timespec;
int clock_gettime(int clk_id, hw_timespec *tp);
]])
local ts = ffi.new("hw_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}
local start = nil

function setup(thread)
  start = start or now()
  thread:set("tid", #threads)
  thread:set("epoch", start)
  table.insert(threads, thread)
end

function init(args)
  deadline = epoch + tonumber(args[3])
  page = wrk.format("GET", wrk.path, { ["Cookie"] = "hw_session=" .. args[1] .. "; hw_csrf=" .. args[2] })
  loads, bad, first_seen, last_seen, went_down = 0, 0, -1, -1, 0
end

function request()
  return page
end

function delay()
  if now() >= deadline then
    wrk.thread:stop()
    return 60000
  end
  return 0
end

function response(status, headers, body)
  loads = loads + 1
  if status ~= 200 then
    bad = bad + 1
    return
  end
  local digits = body:match('id="signature%-count">%s*([%d%s\226\128\175,]+)<')
  if not digits then
    return -- fewer than k signatures: the page shows no figure yet
  end
  local n = tonumber((digits:gsub("%D", "")))
  if first_seen < 0 then first_seen = n end
  if n < last_seen then went_down = went_down + 1 end
  last_seen = n
end

function done(summary, latency, requests)
  io.write(string.format("READLATENCY p50 %.1f p90 %.1f p99 %.1f max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for _, thread in ipairs(threads) do
    io.write(string.format("READER %d loads %d bad %d first %d last %d down %d\n",
      thread:get("tid"), thread:get("loads"), thread:get("bad"), thread:get("first_seen"),
      thread:get("last_seen"), thread:get("went_down")))
  end
end
