-- Ballot casting by distinct signed-in voters: each request is the next voter's cast (their
-- own session cookie and CSRF token, from voters.lua written by bench/pages.py).
local voters = dofile(os.getenv("BENCH_VOTERS"))
local counter = 0
local path = os.getenv("BENCH_CAST_PATH")
local proposals = voters.proposals
local agent = os.getenv("BENCH_USER_AGENT")
local threads = {}
not_cast = 0  -- per thread: answers other than the redirect to the receipt page

setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end

request = function()
  counter = counter + 1
  -- two wrk threads (-t2) take turns through the voters, not the same voter at once
  local voter = voters[((2 * counter + id) % #voters) + 1]
  local proposal = proposals[(counter % #proposals) + 1]
  local body = "choice=" .. proposal .. "%3A1&csrf_token=" .. voter.token
  return wrk.format("POST", path, {
    ["Cookie"] = voter.cookie,
    ["User-Agent"] = agent,  -- the sign-in's: sessions are bound to it ("strong" protection)
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

response = function(status, headers, body)
  if status ~= 302 or not string.find(headers["Location"] or "", "/done", 1, true) then
    not_cast = not_cast + 1
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("not_cast")
  end
  io.write(string.format("WRONG %d\n", wrong))
  io.write(string.format("RESULT %.2f %.2f %d %d\n", summary.requests / seconds,
    latency:percentile(95) / 1000, errors, summary.requests))
end
