-- Prints machine-readable lines at the end of a wrk run: WRONG (answers that were not what
-- was meant, counted per thread in `threads` under the name `counter`) and RESULT (requests/s,
-- p95 ms, errors, requests). Run on its own (hello) or loaded by wrk_page.lua/wrk_cast.lua
-- with dofile (bench/pages.py sets BENCH_LUA_DIR).
report_done = function(summary, latency, threads, counter)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  if counter then
    local wrong = 0
    for _, thread in ipairs(threads) do
      wrong = wrong + thread:get(counter)
    end
    io.write(string.format("WRONG %d\n", wrong))
  end
  io.write(string.format("RESULT %.2f %.2f %d %d\n", summary.requests / seconds,
    latency:percentile(95) / 1000, errors, summary.requests))
end

done = function(summary, latency, requests)
  report_done(summary, latency, {}, nil)
end
