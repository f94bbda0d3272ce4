-- Shared by the wrk scripts of `make bench` (bench/run.sh).  Each script
-- starts with:  local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
-- Threads are numbered in setup(); done() prints one machine-readable line
-- that bench/run.sh parses (rate, latency percentiles in microseconds, and
-- every kind of error, HTTP status >= 400 included).
local M = {}

local nthreads = 0

function M.setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
end

-- Non-empty lines of a file.
function M.lines(path)
	local t = {}
	for l in io.lines(path) do
		if l ~= "" then t[#t + 1] = l end
	end
	assert(#t > 0, "empty file " .. path)
	return t
end

function M.env(name)
	local v = os.getenv(name)
	assert(v and v ~= "", "set " .. name)
	return v
end

function M.done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d " ..
		"p99_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
		summary.requests, summary.duration / 1e6,
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max,
		e.connect, e.read, e.write, e.status, e.timeout))
end

return M
