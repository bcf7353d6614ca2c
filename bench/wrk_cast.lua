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

dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_report.lua")

done = function(summary, latency, requests)
  report_done(summary, latency, threads, "not_cast")
end
