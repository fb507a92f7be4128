-- wrk's script for `python -m bench support-http --client wrk`: each request supports one idea as one member.
-- wrk runs one connection per thread (-t N -c N), so a thread's requests and answers alternate and each one's
-- latency is timed here (CLOCK_MONOTONIC through LuaJIT's ffi). The file in SUPPORT_PAIRS holds "idea_id token"
-- lines; thread n takes the lines n, n + N, n + 2N, ... and stops when it has had all their answers. It counts
-- the answers that show the support; done() writes the counts and every latency (in ms) to SUPPORT_RESULT.
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
  thread:set("index", #threads)
  thread:set("step", 0)
  table.insert(threads, thread)
end

function init(args)
  local step = tonumber(os.getenv("SUPPORT_THREADS"))
  local minimal_ = os.getenv("SUPPORT_PREFER") == "minimal"
  minimal = minimal_
  requests_ = {}
  local line_number = 0
  for line in io.lines(os.getenv("SUPPORT_PAIRS")) do
    if line_number % step == index then
      local idea, token = line:match("^(%d+) (%S+)$")
      local headers = { ["Authorization"] = "Bearer " .. token }
      if minimal then headers["Prefer"] = "return=minimal" end
      table.insert(requests_, wrk.format("PUT", "/api/v1/ideas/" .. idea .. "/support", headers))
    end
    line_number = line_number + 1
  end
  sent, added, failed, first_failure = 0, 0, 0, ""
  latencies = {}
  -- wrk asks thread 0 for one request before it connects, to check the script; that one is not sent
  verifying = index == 0
end

function request()
  if verifying then
    verifying = false
    return requests_[1]
  end
  sent = sent + 1
  started = now_ms()
  return requests_[math.min(sent, #requests_)]
end

function response(status, headers, body)
  table.insert(latencies, now_ms() - started)
  local ok
  if minimal then ok = status == 204 else ok = status == 200 and body:find('"supported_by_me":%s*true') ~= nil end
  if ok then
    added = added + 1
  else
    failed = failed + 1
    if first_failure == "" then first_failure = status .. " " .. body:sub(1, 200) end
  end
  if sent >= #requests_ then wrk.thread:stop() end  -- one connection: nothing else is on its way
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("SUPPORT_RESULT"), "w"))
  local total_added, total_failed, failure = 0, 0, ""
  for _, thread in ipairs(threads) do
    total_added = total_added + thread:get("added")
    total_failed = total_failed + thread:get("failed")
    if failure == "" then failure = thread:get("first_failure") end
  end
  -- Timeouts are not counted: wrk counts a stopped thread's connection as timed out.
  out:write(string.format("added %d\nfailed %d\nerrors %d\n", total_added, total_failed,
    summary.errors.connect + summary.errors.read + summary.errors.write))
  out:write("failure " .. failure:gsub("\n", " ") .. "\n")
  for _, thread in ipairs(threads) do
    for _, ms in ipairs(thread:get("latencies")) do out:write(string.format("ms %.3f\n", ms)) end
  end
  out:close()
end
