-- GET /api/v1/modules (the list with the caller's own progress) as many
-- learners, tokens from BENCH_TOKENS.
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local tokens, i

function init(args)
	tokens = bench.lines(bench.env("BENCH_TOKENS"))
	i = tid * 7919
end

function request()
	i = i + 1
	return wrk.format("GET", "/api/v1/modules", {
		["Authorization"] = "Bearer " .. tokens[i % #tokens + 1],
	})
end
