-- GET of a report (BENCH_PATH, e.g. /api/v1/boards/330/coverage) with one
-- bearer token (BENCH_TOKEN): run with one connection for latencies.
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local path, token

function init(args)
	path = bench.env("BENCH_PATH")
	token = bench.env("BENCH_TOKEN")
end

function request()
	return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
