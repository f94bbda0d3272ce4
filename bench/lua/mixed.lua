-- A study day: 90% reads, 10% progress writes.  Of every 10 requests, 3 are
-- the module list (GET /api/v1/modules), 6 a module page (GET
-- /api/v1/modules/{slug}), 1 marks a section done (PUT), all as learners
-- who are starting the course (BENCH_PUT_TOKENS; sections and slugs as in
-- section_put.lua and module_get.lua).
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local tokens, sections, slugs, p, step, n

function init(args)
	tokens = bench.lines(bench.env("BENCH_PUT_TOKENS"))
	sections = bench.lines(bench.env("BENCH_SECTIONS"))
	slugs = bench.lines(bench.env("BENCH_SLUGS"))
	step = tonumber(bench.env("BENCH_THREADS"))
	p = tid - step
	n = tid
end

function request()
	n = n + 1
	local k = n % 10
	if k == 0 then
		p = p + step
		local u = p % #tokens
		local s = math.floor(p / #tokens) % #sections
		local slug, sec = sections[s + 1]:match("^(%S+)%s+(%S+)$")
		return wrk.format("PUT", "/api/v1/modules/" .. slug .. "/sections/" .. sec, {
			["Authorization"] = "Bearer " .. tokens[u + 1],
		})
	end
	local tok = tokens[(n * 7919) % #tokens + 1]
	if k <= 3 then
		return wrk.format("GET", "/api/v1/modules", {
			["Authorization"] = "Bearer " .. tok,
		})
	end
	return wrk.format("GET", "/api/v1/modules/" .. slugs[n % #slugs + 1], {
		["Authorization"] = "Bearer " .. tok,
	})
end
