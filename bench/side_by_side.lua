-- wrk's script for `python -m bench.side_by_side`. wrk's own latency statistics are "corrected" for coordinated
-- omission: after a stall it adds made-up samples (one per expected interval), so on a busy machine a single
-- 400 ms pause turns into hundreds of samples and its p95 is far above what any request took. So each request
-- is timed here (CLOCK_MONOTONIC through LuaJIT's ffi), with one connection per wrk thread (-t N -c N: the
-- request and its answer alternate), and done() prints the counts and the raw percentiles (ms) as one JSON line,
-- marked so that the runner finds it in wrk's output.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } samen_timespec;
  int clock_gettime(int clock, samen_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local now_buffer = ffi.new("samen_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_buffer)
  return tonumber(now_buffer.tv_sec) * 1000 + tonumber(now_buffer.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  latencies = {}
  started = nil
end

function request()
  started = now_ms()
  return wrk.request()
end

function response(status, headers, body)
  if started then table.insert(latencies, now_ms() - started) end
  started = nil
end

local function percentile(sorted, fraction)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(fraction * #sorted))]
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for _, ms in ipairs(thread:get("latencies")) do table.insert(all, ms) end
  end
  table.sort(all)
  local errors = summary.errors
  io.write(string.format(
    'SAMEN_WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "timed": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, #all, percentile(all, 0.5), percentile(all, 0.95), percentile(all, 0.99),
    all[#all] or 0))
end
