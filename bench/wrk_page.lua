-- A page: counts answers that are not 200 (a lost session would time the login redirect)
-- and prints one machine-readable line at the end: requests/s, p95 ms, errors, requests.
-- With BENCH_UNCACHED=1 every request's query string gains `nocache=<thread>-<n>`, never
-- seen before (the pages ignore it), so the page cache never answers: the cost of rendering.
local threads = {}
not_ok = 0
counter = 0

setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

if os.getenv("BENCH_UNCACHED") == "1" then
  request = function()
    counter = counter + 1
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. separator .. "nocache=" .. id .. "-" .. counter)
  end
end

response = function(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_report.lua")

done = function(summary, latency, requests)
  report_done(summary, latency, threads, "not_ok")
end
