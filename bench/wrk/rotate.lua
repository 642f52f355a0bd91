-- wrk script for bench/run_http_benchmark.py: GET every path of a file in turn, count the answers that are not
-- 200, and print one JSON line of results at the end.
--
--     wrk -t2 -c32 -d15s --latency -H 'Cookie: session=...' -s bench/wrk/rotate.lua http://127.0.0.1:8120 -- PATHS 2
--
-- The arguments after "--" are the file of paths and the number of threads (-t). PATHS holds one path (with its query string) a line, already in the order to ask for them. Each thread starts
-- at its own place in the list (thread n of t at n/t of the way through), so two threads do not ask for the same
-- page at the same moment. Headers given with -H go on every request. The JSON line starts with "RESULT " and
-- holds wrk's own summary and latency percentiles (microseconds), and the count of each status other than 200:
-- a redirect (to the sign-in page, say) is a failure here, although wrk counts only statuses of 400 and above.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local requests = {}
local position = 1
not_ok = {}  -- status -> count, read by done() through thread:get

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot read " .. tostring(args[1]))
  for line in file:lines() do
    if line ~= "" then
      table.insert(requests, wrk.format("GET", line))
    end
  end
  file:close()
  assert(#requests > 0, "no paths in " .. args[1])
  -- setup() gave this thread its number (0, 1, ...) before init ran; the number of threads is the second argument.
  position = math.floor(id * #requests / (tonumber(args[2]) or 1)) % #requests + 1
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok[status] = (not_ok[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("not_ok")
    for status, count in pairs(counts) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"duration_us": %d, "requests": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d,'
      .. ' "status": %d, "timeout": %d}, "not_200": {%s}, "latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f,'
      .. ' "max": %d, "p50": %d, "p75": %d, "p90": %d, "p99": %d, "p99.9": %d}}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "), latency.min, latency.mean, latency.stdev, latency.max, latency:percentile(50),
    latency:percentile(75), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)
  ))
end
