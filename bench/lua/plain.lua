-- GET of the URL given to wrk (static file, FastCGI baselines, health).
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done
