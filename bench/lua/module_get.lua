-- GET /api/v1/modules/{slug} as many learners: one bearer token per
-- request, taken in turn from BENCH_TOKENS; slugs from BENCH_SLUGS (one per
-- line).
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local tokens, slugs, i

function init(args)
	tokens = bench.lines(bench.env("BENCH_TOKENS"))
	slugs = bench.lines(bench.env("BENCH_SLUGS"))
	i = tid * 7919
end

function request()
	i = i + 1
	return wrk.format("GET", "/api/v1/modules/" .. slugs[i % #slugs + 1], {
		["Authorization"] = "Bearer " .. tokens[i % #tokens + 1],
	})
end
