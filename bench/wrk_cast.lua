-- Ballot casting by distinct signed-in voters: each request is the next voter's cast (their
-- own session cookie and CSRF token, from voters.lua written by bench/pages.py).
local voters = dofile(os.getenv("BENCH_VOTERS"))
local counter = 0
local path = os.getenv("BENCH_CAST_PATH")
local proposals = voters.proposals

request = function()
  counter = counter + 1
  local voter = voters[(counter % #voters) + 1]
  local proposal = proposals[(counter % #proposals) + 1]
  local body = "choice=" .. proposal .. "%3A1&csrf_token=" .. voter.token
  return wrk.format("POST", path, {
    ["Cookie"] = voter.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.2f %.2f %d %d\n", summary.requests / seconds,
    latency:percentile(95) / 1000, errors, summary.requests))
end
