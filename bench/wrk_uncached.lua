-- Every request a page the page cache has not seen: the URL's query string gains
-- `nocache=<thread>-<n>` (the pages ignore it), so the figure is the cost of rendering.
local thread_id = 0
local counter = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

request = function()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "nocache=" .. id .. "-" .. counter)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.2f %.2f %d %d\n", summary.requests / seconds,
    latency:percentile(95) / 1000, errors, summary.requests))
end
