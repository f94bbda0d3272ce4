-- PUT /api/v1/modules/{slug}/sections/{id}: learners who had not started
-- (BENCH_PUT_TOKENS) mark sections (BENCH_SECTIONS: "slug section" per
-- line) done.  Thread t of n takes pairs t, t+n, t+2n, ...: user-major, so
-- no (user, section) pair repeats before users x sections requests, and
-- every request inserts a row and commits durably.
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local tokens, sections, p, step

function init(args)
	tokens = bench.lines(bench.env("BENCH_PUT_TOKENS"))
	sections = bench.lines(bench.env("BENCH_SECTIONS"))
	step = tonumber(bench.env("BENCH_THREADS"))
	p = tid - step
end

function request()
	p = p + step
	local u = p % #tokens
	local s = math.floor(p / #tokens) % #sections
	local slug, sec = sections[s + 1]:match("^(%S+)%s+(%S+)$")
	return wrk.format("PUT", "/api/v1/modules/" .. slug .. "/sections/" .. sec, {
		["Authorization"] = "Bearer " .. tokens[u + 1],
	})
end

