-- POST /api/v1/auth/login with the generated accounts (BENCH_EMAILS, one
-- per line; password BENCH_PASSWORD): each request verifies an argon2id
-- hash.
local bench = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = bench.setup
done = bench.done

local emails, password, i

function init(args)
	emails = bench.lines(bench.env("BENCH_EMAILS"))
	password = bench.env("BENCH_PASSWORD")
	i = tid * 7919
end

function request()
	i = i + 1
	local body = '{"email":"' .. emails[i % #emails + 1] ..
		'","password":"' .. password .. '"}'
	return wrk.format("POST", "/api/v1/auth/login", {
		["Content-Type"] = "application/json",
	}, body)
end
