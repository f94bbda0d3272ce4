#!/bin/bash
# `make bench`: the baselines and speed targets of shared/brief/targets.md,
# measured in one run on this machine, printed as one table.
#
#   bench/run.sh                 the targets in 5 interleaved pairs of 10 s
#                                runs, the other figures median of 3 runs
#   BENCH_QUICK=1 bench/run.sh   2 pairs, one run, of 3 s (development)
#
# Settings (environment):
#   BENCH_INST      stack instance whose PostgreSQL holds the data (bench)
#   BENCH_DURATION  seconds per run (10; quick: 3)
#   BENCH_PAIRS     pairs per target figure (5; quick: 2): the endpoint is
#                   measured in turn with its baseline, b e b e ... e b,
#                   each pair's ratio against the mean of the baseline runs
#                   either side; the median ratio and its spread are printed
#   BENCH_RUNS      runs of the other figures, the median is kept (3; quick: 1)
#   BENCH_WORKERS   FastCGI workers of the service and the baselines
#                   (default: the service's own default, 4 per core)
#   BENCH_PORT      nginx port of the benchmark (8083)
#   BENCH_SERVICE   the hgkm-fcgi binary to measure (build/release/hgkm-fcgi;
#                   another, e.g. an older commit's build, for a comparison
#                   on the same machine state)
#   BENCH_SEED      dataset seed (42)
#   BENCH_SCALE     dataset scale, bench/dataset.sh --scale (1: national;
#                   0.01 for a quick check of the script itself).  A
#                   database holding another scale is refused, not replaced:
#                   bench/dataset.sh --inst <inst> --scale S --force
#   BENCH_X10       the 10x board-report check: auto (default) runs it when
#                   the 10x database exists (bench/dataset.sh --db hgkm_x10
#                   --scale 10 makes it once, ~15 min on 2 cores), 1 also
#                   makes it, 0 skips it (quick: 0)
#   BENCH_MEM_REQUESTS  requests of the memory run (1000000; quick: 50000)
#   BENCH_MEM_SECONDS   at most this long (150; quick: 20)
#   BENCH_ONLY=memory   only the memory run (for a long one: with
#                       BENCH_MEM_SECONDS=700, about a million requests here)
#   BENCH_ONLY=reports  only the board and region reports (and the 10x
#                       check when BENCH_X10 allows it), no memory run
#   BENCH_ONLY=modules  only the interleaved pairs: GET /modules/{slug},
#                       GET /modules and mixed 90/10 against fcgi-select,
#                       PUT .../sections/{id} against pg-upsert; no profile
#                       unless BENCH_PROFILE=1, no memory run
#
# A small check of the script (a few minutes; the test instance, its own
# ports):
#   HGKM_TEST_HTTP_PORT=8095 BENCH_INST=test BENCH_SCALE=0.01 BENCH_PORT=8096 \
#   BENCH_DURATION=2 BENCH_PAIRS=3 BENCH_ONLY=modules bench/run.sh
#
# What it starts, all on loopback and stopped on exit: the service
# (build/release/hgkm-fcgi) on its own socket with the instance's database
# and secrets, the minimal libfcgi baselines (bench/fcgi_baseline.c), and an
# nginx made from deploy/dev/nginx.conf.in on BENCH_PORT.  The stack of the
# instance itself is brought up with deploy/dev/stack.sh (PostgreSQL, schema,
# content, demo data) and, when this run brought it up, brought down on exit
# (success, failure or Ctrl-C alike); one that was running stays up.  The
# national dataset is loaded by bench/dataset.sh and stays in the database.
# Results and logs: var/benchmark/results/<time>/; one run at a time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	DUR=${BENCH_DURATION:-3}; RUNS=${BENCH_RUNS:-1}; X10=${BENCH_X10:-0}
	MEM_REQ=${BENCH_MEM_REQUESTS:-50000}; MEM_MAX=${BENCH_MEM_SECONDS:-20}
else
	DUR=${BENCH_DURATION:-10}; RUNS=${BENCH_RUNS:-3}; X10=${BENCH_X10:-auto}
	MEM_REQ=${BENCH_MEM_REQUESTS:-1000000}; MEM_MAX=${BENCH_MEM_SECONDS:-150}
fi
PAIRS=${BENCH_PAIRS:-$([ "$QUICK" = 1 ] && echo 2 || echo 5)}
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] || die "bench: BENCH_PAIRS is a whole number from 1"
[[ $DUR =~ ^[1-9][0-9]*$ ]] || die "bench: BENCH_DURATION is whole seconds from 1"
PORT=${BENCH_PORT:-8083}
SEED=${BENCH_SEED:-42}
# One spelling per scale (as bench/dataset.sh writes it in its stamp).
SCALE=$(awk -v s="${BENCH_SCALE:-1}" 'BEGIN { printf "%g", s }')
THREADS=2
CONNS=32
inst_setup "${BENCH_INST:-bench}"
WORKERS=${BENCH_WORKERS:-$((4 * $(nproc)))}
BASE=http://127.0.0.1:$PORT
RES=$BENCH_VAR/results/$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH_VAR/run
BLOG=$BENCH_VAR/log
# What the service writes (it runs as the service user), apart from what
# root writes (deploy/dev/layout.sh).
SLOG=$BLOG/service
export BENCH_LUA=$ROOT/bench/lua BENCH_THREADS=$THREADS
START_S=$(date +%s)

step() { printf '[bench %4ds] %s\n' "$(($(date +%s) - START_S))" "$*" >&2; }

# ------------------------------------------------------------ set-up
mkdir -p "$BENCH_VAR"
# Held on fd 9, which nothing started from here may keep (9>&-): a service
# that outlives the run would hold the lock for ever.
exec 9>"$BENCH_VAR/lock"
flock -n 9 || die "bench: another bench/run.sh is running (var/benchmark/lock)"

# Everything this run starts is stopped on exit (success, failure, Ctrl-C):
# its own service and baselines, its nginx, and the instance's stack when
# it was not running before (the dataset stays in var/<inst>/pg).
PIDS=()
NGINX_STARTED=0
STACK_OURS=0
cleanup() {
	local rc=$?
	set +e
	trap '' INT TERM
	# The load generators and perf of a run cut short (background jobs of
	# this shell), before what they load.
	local j
	for j in $(jobs -p); do pkill -TERM -P "$j" 2>/dev/null; kill -TERM "$j" 2>/dev/null; done
	if [ "$NGINX_STARTED" = 1 ] && [ -f "$BENCH_VAR/pids/nginx.pid" ] &&
		kill -0 "$(cat "$BENCH_VAR/pids/nginx.pid")" 2>/dev/null; then
		local np
		np=$(cat "$BENCH_VAR/pids/nginx.pid")
		kill -QUIT "$np"
		for _ in $(seq 100); do kill -0 "$np" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$np" 2>/dev/null
	fi
	# Each was started in its own session: its process group is the master
	# and its workers.
	for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 120); do kill -0 -- "-$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$p" 2>/dev/null
	done
	[ -n "${RESET_FROM:-}" ] && reset_progress
	# Bearer tokens (valid 12 h) do not outlive the run.
	rm -f "$BENCH_VAR"/tmp/*tokens "$BENCH_VAR"/tmp/admin-token
	if [ "$STACK_OURS" = 1 ]; then
		step "stopping the $INST stack (this run brought it up; the dataset stays)"
		deploy/dev/stack.sh down "$INST" >>"$BENCH_VAR/stack-down.log" 2>&1 9>&- ||
			log "bench: deploy/dev/stack.sh down $INST failed; see $BENCH_VAR/stack-down.log"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Is any part of the instance's stack running (PostgreSQL, service, nginx)?
# Then someone else started it, and it is left running.
stack_running() {
	local f
	for f in "$VAR/pids/nginx.pid" "$VAR/pids/hgkm.pid"; do
		[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && return 0
	done
	[ -f "$VAR/pg/PG_VERSION" ] &&
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" status >/dev/null 2>&1
}

# The stack runs the instance's own build: the sanitizer one for test.
FLAVORS=(release)
[ "$INST" = test ] && FLAVORS+=(asan)
step "building (make all, FLAVOR=${FLAVORS[*]}) and bringing up the $INST stack"
for f in "${FLAVORS[@]}"; do make -s FLAVOR="$f" all >&2; done
build_bench_tools
if stack_running; then
	step "the $INST stack was running already: it stays up after the run"
else
	STACK_OURS=1
fi
deploy/dev/stack.sh up "$INST" >"$BENCH_VAR.stack.log" 2>&1 9>&- ||
	{ cat "$BENCH_VAR.stack.log" >&2; die "bench: the $INST stack did not come up"; }
# shellcheck source=deploy/dev/layout.sh
. "$ROOT/deploy/dev/layout.sh"
layout_make "$BENCH_VAR" "$SVC_USER"
mkdir -p "$RES" "$BENCH_VAR/www"
mv "$BENCH_VAR.stack.log" "$RES/stack.log"

step "dataset (bench/dataset.sh, scale $SCALE, seed $SEED)"
bench/dataset.sh --inst "$INST" --scale "$SCALE" --seed "$SEED" 2>"$RES/dataset.log" 9>&- ||
	{ cat "$RES/dataset.log" >&2; die "bench: the dataset did not load"; }
STAMP=$BENCH_VAR/dataset-$INST-$DB.stamp
cp "$STAMP" "$RES/dataset.stamp"
stamp() { sed -n "s/^$1 //p" "$STAMP"; }
FRESH_FIRST=$(stamp fresh_first_uid)
FRESH_N=$(($(stamp fresh_last_uid) - FRESH_FIRST + 1))

NGINX_CONF=$BENCH_VAR/nginx.conf
DBURL="host=$VAR/run port=$PG_PORT dbname=$DB user=hgkm_app passfile=$VAR/secrets/pgpass"
start_bg() { # start_bg <log> <command...>: as the service user, own session
	local logf=$1; shift
	setsid "${RUNAS[@]}" "$@" >>"$logf" 2>&1 </dev/null 9>&- &
	PIDS+=($!)
}
wait_sock() {
	for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done
	die "bench: nothing listens on $1"
}

step "starting the service ($WORKERS workers), the baselines and nginx on :$PORT"
rm -f "$RUN"/*.sock
start_bg "$BLOG/service.out" env \
	HGKM_DATABASE_URL="$DBURL" \
	HGKM_JWT_SECRET_FILE="$VAR/secrets/jwt.key" \
	HGKM_SOCKET="$RUN/hgkm.sock" HGKM_MEDIA_DIR="$VAR/media" \
	HGKM_ERROR_LOG="$SLOG/error.log" HGKM_ACCESS_LOG="$SLOG/access.log" \
	HGKM_PUBLIC_URL="$BASE" HGKM_REGISTER_LIMIT=100000 \
	HGKM_WORKERS="$WORKERS" "${BENCH_SERVICE:-build/release/hgkm-fcgi}"
SERVICE_PID=${PIDS[-1]}
start_bg "$BLOG/baseline.out" "$BENCH_BIN/fcgi_baseline" hello "$RUN/hello.sock" "$WORKERS"
# fcgi-select reads the generated accounts by id (one contiguous range).
start_bg "$BLOG/baseline.out" env BENCH_ID_MIN="$FRESH_FIRST" \
	BENCH_ID_MAX="$((FRESH_FIRST + $(stamp people) - 1))" \
	BENCH_DATABASE_URL="$DBURL" \
	"$BENCH_BIN/fcgi_baseline" select "$RUN/select.sock" "$WORKERS"
for s in hgkm hello select; do wait_sock "$RUN/$s.sock"; done

# The static baseline: about 2 KB of JSON, served by nginx from disk.
printf '{"pad":"%s"}\n' "$(head -c 2037 /dev/zero | tr '\0' x)" >"$BENCH_VAR/www/static.json"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user $SVC_USER $SVC_USER;"
# The dev configuration, with the benchmark's own locations; the auth rate
# limit is lifted (1000 r/s, burst 1000) so that the login figure measures
# argon2id, not nginx.
sed -e "s|@ROOT@|$ROOT|g" -e "s|@VAR@|$BENCH_VAR|g" -e "s|@PORT@|$PORT|g" \
	-e "s|@SOCKET@|$RUN/hgkm.sock|g" -e "s|@USER_LINE@|$user_line|g" \
	-e "s|@AUTH_RATE@|1000r/s|g" -e "s|zone=auth burst=20 |zone=auth burst=1000 |" \
	-e "s|@TEST_LOCATIONS@||g" \
	deploy/dev/nginx.conf.in |
	awk -v run="$RUN" -v root="$ROOT" -v www="$BENCH_VAR/www" '
	/location \/api\/ \{/ && !done {
		print "\t\t# make bench: the baselines (bench/run.sh)"
		print "\t\tlocation = /bench/static.json { alias " www "/static.json; }"
		print "\t\tlocation = /bench/hello {"
		print "\t\t\tinclude " root "/deploy/fastcgi-api.conf;"
		print "\t\t\tfastcgi_pass unix:" run "/hello.sock;"
		print "\t\t}"
		print "\t\tlocation = /bench/select {"
		print "\t\t\tinclude " root "/deploy/fastcgi-api.conf;"
		print "\t\t\tfastcgi_pass unix:" run "/select.sock;"
		print "\t\t}"
		done = 1
	}
	{ print }' >"$NGINX_CONF"
nginx -q -t -c "$NGINX_CONF" -p "$BENCH_VAR" -e "$BLOG/nginx-error.log"
NGINX_STARTED=1
nginx -c "$NGINX_CONF" -p "$BENCH_VAR" -e "$BLOG/nginx-error.log" 9>&-
for _ in $(seq 100); do curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$BASE/api/v1/health" >/dev/null || die "bench: no answer on $BASE"
for u in /bench/static.json /bench/hello /bench/select; do
	curl -fsS -o /dev/null "$BASE$u" || die "bench: $u does not answer"
done

# ---------------------------------------------------- load material
step "tokens and request lists"
W=$BENCH_VAR/tmp
psql_val "$DB" "SELECT id FROM users WHERE email LIKE 'p%@bench.invalid'
	AND id > $((FRESH_FIRST + FRESH_N - 1)) ORDER BY id LIMIT 2000" >"$W/read-ids"
seq "$FRESH_FIRST" "$((FRESH_FIRST + (FRESH_N < 10000 ? FRESH_N : 10000) - 1))" >"$W/put-ids"
"$BENCH_BIN/bench-tool" tokens "$VAR/secrets/jwt.key" 43200 <"$W/read-ids" >"$W/read-tokens"
"$BENCH_BIN/bench-tool" tokens "$VAR/secrets/jwt.key" 43200 <"$W/put-ids" >"$W/put-tokens"
psql_val "$DB" "SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1" |
	"$BENCH_BIN/bench-tool" tokens "$VAR/secrets/jwt.key" 43200 >"$W/admin-token"
psql_val "$DB" "SELECT m.slug FROM modules m WHERE m.active AND NOT m.in_person
	AND 'teacher' = ANY (m.audience) ORDER BY m.position, m.slug" >"$W/slugs"
psql_val "$DB" "SELECT m.slug || ' ' || s.id FROM modules m JOIN sections s
	ON s.module_id = m.id AND s.active WHERE m.active AND NOT m.in_person
	AND 'teacher' = ANY (m.audience) ORDER BY m.position, s.position" >"$W/sections"
psql_val "$DB" "SELECT email FROM users WHERE email LIKE 'p%@bench.invalid'
	ORDER BY id DESC LIMIT 1000" >"$W/emails"
BENCH_PASSWORD=$(bench_password "$SEED")
export BENCH_TOKENS=$W/read-tokens BENCH_PUT_TOKENS=$W/put-tokens \
	BENCH_SLUGS=$W/slugs BENCH_SECTIONS=$W/sections BENCH_EMAILS=$W/emails \
	BENCH_PASSWORD

# Rows that the write benchmarks add are removed after each run, so that
# every run inserts new rows and the dataset stays as generated.
reset_progress() {
	psql_su "$DB" -c "DELETE FROM section_progress WHERE done_at >= '$RESET_FROM'" \
		-c "VACUUM section_progress" >/dev/null 2>&1 || true
}
mark_writes() { RESET_FROM=$(psql_val "$DB" "SELECT now()"); }

# ---------------------------------------------------------- measuring
: >"$RES/figures"
# wrk_once <name> <script> <path> [conns]: one run, appends its BENCH line.
wrk_once() {
	local name=$1 script=$2 path=$3 conns=${4:-$CONNS} out
	local t=$((conns < THREADS ? conns : THREADS))
	out=$(BENCH_THREADS=$t wrk -t"$t" -c"$conns" -d"${DUR}s" --timeout 10s \
		-s "$ROOT/bench/lua/$script" "$BASE$path" 2>&1) || true
	printf '%s\n%s\n' "== $name" "$out" >>"$RES/wrk.log"
	local line
	line=$(printf '%s\n' "$out" | grep '^BENCH ' | tail -1)
	[ -n "$line" ] || { printf '%s\n' "$out" >&2; die "bench: wrk gave nothing for $name"; }
	echo "$name $line" >>"$RES/runs"
	"${RUNAS[@]}" truncate -s 0 "$SLOG/access.log"; : >"$BLOG/nginx-access.log"
}
# kv <line> <key>
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Median of the runs of one figure (by rate), as "rps p50_ms p99_ms errors".
median_of() {
	grep "^$1 BENCH " "$RES/runs" | while read -r _ _ rest; do
		l="x $rest"
		err=$(($(kv "$l" connect) + $(kv "$l" read) + $(kv "$l" write) + $(kv "$l" status) + $(kv "$l" timeout)))
		printf '%s %s %s %s\n' "$(kv "$l" rps)" "$(kv "$l" p50_us)" "$(kv "$l" p99_us)" "$err"
	done | sort -n | awk '{ a[NR] = $0 } END { split(a[int((NR + 1) / 2)], f, " ");
		printf "%.0f %.2f %.2f %d\n", f[1], f[2] / 1000, f[3] / 1000, f[4] }'
}
figure() { # figure <name> <script> <path> [conns] [writes]
	local i
	for i in $(seq "$RUNS"); do
		[ "${5:-}" = writes ] && mark_writes
		wrk_once "$1" "$2" "$3" "${4:-}"
		[ "${5:-}" = writes ] && { reset_progress; RESET_FROM=""; }
	done
	read -r rps p50 p99 err < <(median_of "$1")
	echo "$1 $rps $p50 $p99 $err" >>"$RES/figures"
	step "$1: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $err"
}
fig() { awk -v n="$1" -v c="${2:-2}" '$1 == n { print $c }' "$RES/figures"; }

# pg-upsert: pgbench -M prepared with the statement of PUT .../sections/{id}
# (store/modules.c "section_done", printed by bench-tool from the build).
# pgbench has no text variables, so each of the teacher's sections gets its
# own script file (all weighted alike) with slug and section id as literals;
# the user id stays a parameter.  Users: the never-started accounts.
PG_FILES=()
pg_upsert_prepare() {
	local sql i=0 slug sec
	sql=$("$BENCH_BIN/bench-tool" sql section_done)
	# The statement checks its caller's token too (STORE_CALLER_SQL):
	# a jti that is not revoked, issued now.
	local jti=pgbench iat_ms
	iat_ms=$(date +%s%3N)
	mkdir -p "$W/pgbench"
	while read -r slug sec; do
		i=$((i + 1))
		{
			echo "\\set uid random($FRESH_FIRST, $((FRESH_FIRST + FRESH_N - 1)))"
			# shellcheck disable=SC2016 # $1 is the statement's, not the shell's
			printf '%s;\n' "$sql" | sed -e 's/\$1/:uid/g' -e "s/\\\$2/'$jti'/g" \
				-e "s/\\\$3/$iat_ms/g" -e "s/\\\$4/'$slug'/g" -e "s/\\\$5/'$sec'/g"
		} >"$W/pgbench/s$i.sql"
		PG_FILES+=(-f "$W/pgbench/s$i.sql")
	done <"$W/sections"
}
# pg_upsert_once <label>: one pgbench run; its line in runs has the fields
# of a wrk line (rate and failed transactions; no latency percentiles).
pg_upsert_once() {
	local out tps n failed
	mark_writes
	out=$(PGPASSWORD=$(cat "$VAR/secrets/db.password") pgbench -n -M prepared \
		-h "$VAR/run" -p "$PG_PORT" -U hgkm_app -c "$WORKERS" -j "$THREADS" \
		-T "$DUR" "${PG_FILES[@]}" "$DB" 2>&1) || { printf '%s\n' "$out" >&2; die "bench: pgbench failed"; }
	printf '== %s\n%s\n' "$1" "$out" >>"$RES/pgbench.log"
	reset_progress; RESET_FROM=""
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
	n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
	[ -n "$tps" ] || { printf '%s\n' "$out" >&2; die "bench: no tps from pgbench"; }
	echo "$1 BENCH requests=${n:-0} seconds=$DUR rps=$tps p50_us=0 p90_us=0 p99_us=0 max_us=0" \
		"connect=0 read=0 write=0 status=${failed:-0} timeout=0" >>"$RES/runs"
}

# measure <what> <label>: one run of a figure, recorded in runs under
# <label>; what the write figures add is removed right after each run.
measure() {
	case $1 in
	fcgi-select) wrk_once "$2" plain.lua /bench/select ;;
	module-get) wrk_once "$2" module_get.lua /api/v1/modules/x ;;
	modules-list) wrk_once "$2" modules_list.lua /api/v1/modules ;;
	section-put)
		mark_writes
		wrk_once "$2" section_put.lua /api/v1/modules/x
		reset_progress; RESET_FROM="" ;;
	mixed)
		mark_writes
		wrk_once "$2" mixed.lua /api/v1/modules
		reset_progress; RESET_FROM="" ;;
	pg-upsert) pg_upsert_once "$2" ;;
	*) die "bench: no figure $1" ;;
	esac
}

# pair_stats <endpoint label> <baseline label>: from the runs of one
# pair_figure, "<median ratio> <min> <max> <half-range % of the median>
# <median endpoint rate> <median baseline rate> <pairs>".
pair_stats() {
	awk -v e="$1" -v b="$2" '
	function rate(i) { for (i = 3; i <= NF; i++) if ($i ~ /^rps=/) return substr($i, 5) + 0; return 0 }
	function median(a, n, i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
			a[j + 1] = t
		}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	$2 == "BENCH" && $1 == e { E[++ne] = rate() }
	$2 == "BENCH" && $1 == b { B[++nb] = rate() }
	END {
		if (ne < 1 || nb != ne + 1) {
			print "bench: " ne " runs of " e " and " nb " of " b > "/dev/stderr"
			exit 1
		}
		for (i = 1; i <= ne; i++) {
			m = (B[i] + B[i + 1]) / 2
			R[i] = m > 0 ? E[i] / m : 0
		}
		lo = hi = R[1]
		for (i = 2; i <= ne; i++) { if (R[i] < lo) lo = R[i]; if (R[i] > hi) hi = R[i] }
		r = median(R, ne)
		printf "%.3f %.3f %.3f %.1f %.0f %.0f %d\n", r, lo, hi,
			(r > 0 ? (hi - lo) / 2 / r * 100 : 0), median(E, ne), median(B, nb), ne
	}' "$RES/runs"
}
# pair_figure <endpoint> <baseline>: the endpoint measured in turn with its
# baseline on the same machine state, b e b e ... e b (BENCH_PAIRS endpoint
# runs, one more baseline run).  Each pair's ratio is the endpoint's rate
# over the MEAN OF THE TWO BASELINE RUNS EITHER SIDE of it, so that a load
# rising or falling steadily through the three runs cancels out (the run
# before alone would carry it into the ratio).  The figure is the median
# of the pair ratios; min-max and the half-range show how far to trust it.
# Appends "<endpoint> <baseline> <pair_stats...>" to pairs, and the
# endpoint's median run (rate, p50, p99, errors) to figures.
pair_figure() {
	local e=$1 b=$2 i rps p50 p99 err
	step "$e against $b: $PAIRS pairs, ${DUR}s runs, $b first and last"
	measure "$b" "$b@$e"
	for i in $(seq "$PAIRS"); do
		measure "$e" "$e"
		measure "$b" "$b@$e"
	done
	local st
	st=$(pair_stats "$e" "$b@$e") || die "bench: the pairs of $e are incomplete"
	echo "$e $b $st" >>"$RES/pairs"
	read -r rps p50 p99 err < <(median_of "$e")
	echo "$e $rps $p50 $p99 $err" >>"$RES/figures"
	step "$e: $(pair "$e" 3 %.2f) of $b (pairs $(pair "$e" 4 %.2f)-$(pair "$e" 5 %.2f)," \
		"±$(pair "$e" 6)%); $rps against $(pair "$e" 8)/s, p99 $p99 ms, errors $err"
}
# pair <endpoint> <column> [printf format]: one value of its pairs line.
pair() {
	awk -v n="$1" -v c="$2" -v f="${3:-%s}" '$1 == n { printf f "\n", $c }' "$RES/pairs"
}
# The rates of one pair_figure in the order measured (b e b e ... b).
pair_runs() {
	awk -v e="$1" -v b="$2@$1" '$2 == "BENCH" && ($1 == e || $1 == b) {
		for (i = 3; i <= NF; i++) if ($i ~ /^rps=/) printf " %.0f", substr($i, 5) }' "$RES/runs"
}
# The interleaved figures and their baselines.
PAIR_FIGS="module-get:fcgi-select modules-list:fcgi-select section-put:pg-upsert mixed:fcgi-select"
pair_all() {
	local p
	for p in $PAIR_FIGS; do pair_figure "${p%%:*}" "${p#*:}"; done
	# The baselines' own figures: all their runs of the pairs.
	local rps p50 p99 err
	read -r rps p50 p99 err < <(median_of 'fcgi-select@.*')
	echo "fcgi-select $rps $p50 $p99 $err" >>"$RES/figures"
	read -r rps p50 p99 err < <(median_of 'pg-upsert@.*')
	echo "pg-upsert $rps - - $err" >>"$RES/figures"
}
# A short load before the first figure, not counted: a stack that was just
# started has a cold PostgreSQL cache and cold workers.
warm_up() {
	local d=$((DUR < 3 ? DUR : 3))
	step "warm-up: ${d}s each of fcgi-select and the mixed load (not counted)"
	wrk -t"$THREADS" -c"$CONNS" -d"${d}s" -s "$ROOT/bench/lua/plain.lua" \
		"$BASE/bench/select" >/dev/null 2>&1 || true
	mark_writes
	wrk -t"$THREADS" -c"$CONNS" -d"${d}s" -s "$ROOT/bench/lua/mixed.lua" \
		"$BASE/api/v1/modules" >/dev/null 2>&1 || true
	reset_progress; RESET_FROM=""
}

# Table rows (BENCH_ONLY=modules and the full table).
row() { # row <figure> <value> <baseline> <ratio> <pairs min-max> <half-range> <target> <met>
	printf '| %-34s | %12s | %-20s | %6s | %-11s | %10s | %-18s | %-3s |\n' "$@"
}
table_head() {
	row figure value baseline ratio "pairs" "+-% ratio" target met
	printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..14})" \
		"$(printf -- '-%.0s' {1..22})" "$(printf -- '-%.0s' {1..8})" "$(printf -- '-%.0s' {1..13})" \
		"$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..20})" "-----"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "yes" : "no") }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? "yes" : "no") }'; }
pair_row() { # pair_row <endpoint> <label> <target ratio>
	local r
	r=$(pair "$1" 3 %.2f)
	row "$2" "$(pair "$1" 7)/s" "$(pair "$1" 2) $(pair "$1" 8)/s" "$r" \
		"$(pair "$1" 4 %.2f)-$(pair "$1" 5 %.2f)" "$(pair "$1" 6)%" ">= $3" "$(ge "$r" "$3")"
}
pair_rows() {
	pair_row module-get "GET /modules/{slug}" 0.80
	pair_row modules-list "GET /modules (own progress)" 0.70
	pair_row section-put "PUT .../sections/{id} (durable)" 0.80
	pair_row mixed "mixed 90/10" 0.60
	row "mixed 90/10: p99 (median run)" "$(fig mixed 4) ms" "-" "-" "-" "-" "<= 50 ms" "$(le "$(fig mixed 4)" 50)"
}
pair_notes() {
	echo "Ratio: per pair, the endpoint's run over the mean of the baseline runs just before and after it;"
	echo "the median of $PAIRS pairs.  pairs: lowest-highest pair ratio; +-%: half of that range, in % of the median."
	echo "Value and baseline: medians of the runs.  Runs in order (req/s, baseline first):"
	local p
	for p in $PAIR_FIGS; do
		echo "  ${p%%:*} / ${p#*:}:$(pair_runs "${p%%:*}" "${p#*:}")"
	done
}

# profile <name> <script> <path> [conns]: one more run under `perf record
# -a` (all processes: the load generator, nginx, the service, PostgreSQL and
# whatever else this machine runs); CPU share per program and the hottest
# functions of the service and of PostgreSQL.
PROFILE=${BENCH_PROFILE:-$([ "$QUICK" = 1 ] && echo 0 || echo 1)}
profile() {
	[ "$PROFILE" = 1 ] && command -v perf >/dev/null || return 0
	local name=$1 data=$W/perf-$1.data out=$RES/profile-$1.txt
	perf record -q -a -e cpu-clock -F 199 --call-graph dwarf,8192 -o "$data" -- sleep "$DUR" 2>/dev/null &
	local pp=$!
	sleep 0.2
	wrk_once "profile:$name" "$2" "$3" "${4:-}"
	wait "$pp" || true
	{
		echo "# $name: perf record -a -e cpu-clock -F 199 --call-graph dwarf, ${DUR}s, wrk -t$THREADS -c${4:-$CONNS}"
		echo "# CPU share per program (all CPUs; idle is not sampled):"
		perf report -i "$data" --no-children --sort comm --stdio -g none 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -15 || true
		echo
		echo "# hgkm-fcgi, inclusive (children) share of all samples, service functions:"
		perf report -i "$data" --children --comms hgkm-fcgi --sort sym --stdio -g none 2>/dev/null |
			grep -v '^#' | grep -E '\] (worker_run|handle|authenticate|auth_|store_|http_json|json_dumps|json_loads|json_copy|db_exec|PQexecPrepared|fcgi_send|fcgi_read|FCGX_Accept_r|log_access|modules_|reply_|jwt_decode|crypto_pwhash)' |
			head -25 || true
		for c in hgkm-fcgi postgres nginx; do
			echo
			echo "# hottest functions in $c (share of all samples):"
			perf report -i "$data" --no-children --comms "$c" --sort dso,sym --stdio -g none 2>/dev/null |
				grep -v '^#' | grep -v '^$' | head -25 || true
		done
	} >"$out"
	rm -f "$data"
}

ONLY=${BENCH_ONLY:-}
case $ONLY in ""|memory|reports|modules) ;; *) die "bench: BENCH_ONLY is memory, reports or modules" ;; esac
: >"$RES/pairs"
if [ "$ONLY" = modules ]; then
	pg_upsert_prepare
	warm_up
	step "module figures, interleaved with their baselines: $PAIRS pairs of ${DUR}s runs each, wrk -t$THREADS -c$CONNS, $WORKERS workers"
	pair_all
	if [ "${BENCH_PROFILE:-0}" = 1 ]; then
		profile module-get module_get.lua /api/v1/modules/x
		profile modules-list modules_list.lua /api/v1/modules
	fi
	{
		printf 'bench modules (%s, %s): %d cores, %d workers, wrk -t%d -c%d, %d pairs of %ss runs, interleaved; dataset scale %s; load average %s\n' \
			"$(date -u +%FT%TZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)" \
			"$(nproc)" "$WORKERS" "$THREADS" "$CONNS" "$PAIRS" "$DUR" "$SCALE" "$(cut -d' ' -f1-3 /proc/loadavg)"
		if [ -n "${BENCH_SERVICE:-}" ]; then echo "service: $BENCH_SERVICE"; fi
		echo
		table_head
		pair_rows
		echo
		pair_notes
		echo "Errors (non-2xx, timeouts) per figure: $(awk '$5 > 0 { printf "%s=%s ", $1, $5 }' "$RES/figures")"
		echo "Logs, wrk output: $RES"
	} | tee "$RES/table.md"
	step "done"
	exit 0
fi
if [ "$ONLY" != memory ]; then
if [ "$ONLY" != reports ]; then
pg_upsert_prepare
warm_up
step "baselines: $RUNS × ${DUR}s each, wrk -t$THREADS -c$CONNS, $WORKERS workers"
figure static plain.lua /bench/static.json
figure fcgi-hello plain.lua /bench/hello

step "endpoints, interleaved with their baselines: $PAIRS pairs of ${DUR}s runs each"
pair_all
mark_writes
profile module-get module_get.lua /api/v1/modules/x
profile modules-list modules_list.lua /api/v1/modules
profile mixed mixed.lua /api/v1/modules
reset_progress; RESET_FROM=""
mark_writes
profile section-put section_put.lua /api/v1/modules/x
reset_progress; RESET_FROM=""
figure login login.lua /api/v1/auth/login
# Logins that wrk gave up on may still be hashing: let them end.
sleep 3

# Login must not block other requests: the mixed load again while two
# clients log in without pause (each login holds a worker for one argon2id).
step "mixed load with logins alongside"
for i in $(seq "$RUNS"); do
	mark_writes
	wrk -t1 -c2 -d"${DUR}s" --timeout 10s -s "$ROOT/bench/lua/login.lua" \
		"$BASE/api/v1/auth/login" >"$W/login-side.out" 2>&1 &
	lpid=$!
	wrk_once mixed+login mixed.lua /api/v1/modules
	wait "$lpid" || true
	echo "login-side $(grep '^BENCH ' "$W/login-side.out")" >>"$RES/runs"
	reset_progress; RESET_FROM=""
done
read -r rps p50 p99 err < <(median_of mixed+login)
echo "mixed+login $rps $p50 $p99 $err" >>"$RES/figures"
read -r rps p50 p99 err < <(median_of login-side)
echo "login-side $rps $p50 $p99 $err" >>"$RES/figures"
step "mixed with logins: $(fig mixed+login) req/s, p99 $(fig mixed+login 4) ms; logins $(fig login-side) /s"
fi # BENCH_ONLY=reports

# ------------------------------------------------------------ reports
ADMIN_TOKEN=$(cat "$W/admin-token")
BOARD=$(psql_val "$DB" "SELECT board_id FROM schools WHERE closed_at IS NULL
	AND brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$' GROUP BY board_id ORDER BY count(*) DESC, board_id LIMIT 1")
BOARD_SCHOOLS=$(psql_val "$DB" "SELECT count(*) FROM schools WHERE board_id = $BOARD AND closed_at IS NULL")
REGION=$(psql_val "$DB" "SELECT coalesce(mu.region_id, b.region_id) FROM schools s
	JOIN boards b ON b.id = s.board_id LEFT JOIN municipalities mu ON mu.id = s.municipality_id
	WHERE s.closed_at IS NULL AND s.brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$'
	GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
REGION_NAME=$(psql_val "$DB" "SELECT name || ' (' || (SELECT count(*) FROM schools s
	JOIN boards b ON b.id = s.board_id LEFT JOIN municipalities mu ON mu.id = s.municipality_id
	WHERE s.closed_at IS NULL AND coalesce(mu.region_id, b.region_id) = $REGION) || ' locations)'
	FROM regions WHERE id = $REGION")
step "reports: board $BOARD ($BOARD_SCHOOLS locations), region $REGION_NAME, one client"
BENCH_TOKEN=$ADMIN_TOKEN BENCH_PATH=/api/v1/boards/$BOARD/coverage \
	figure board-report report.lua "/api/v1/boards/$BOARD/coverage" 1
BENCH_TOKEN=$ADMIN_TOKEN BENCH_PATH=/api/v1/regions/$REGION/coverage \
	figure region-report report.lua "/api/v1/regions/$REGION/coverage" 1
BENCH_TOKEN=$ADMIN_TOKEN BENCH_PATH=/api/v1/boards/$BOARD/coverage \
	profile board-report report.lua "/api/v1/boards/$BOARD/coverage" 1
curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/api/v1/boards/$BOARD/coverage" |
	jq -c .totals >"$RES/board-totals.json"

# The same board report's SQL at 1x and 10x the data (a database of the
# same cluster with ten copies of the country; the board keeps its 57
# locations and their staff): the exact statement, prepared, one client.
sql_latency() { # sql_latency <db> <board> -> "median_ms p99_ms"
	local d=$1 b=$2 dir
	dir=$(mktemp -d "$W/pgb.XXXX")
	# shellcheck disable=SC2016 # $1 is the statement's, not the shell's
	{ echo "\\set b $b"; printf '%s;\n' "$("$BENCH_BIN/bench-tool" sql board_coverage)" |
		sed 's/\$1/:b/g'; } >"$dir/q.sql"
	[ "$(id -u)" -eq 0 ] && chown -R "$SVC_USER" "$dir"
	(cd "$dir" && "${RUNAS[@]}" pgbench -n -M prepared -h "$VAR/run" -p "$PG_PORT" \
		-c 1 -T "$DUR" -l -f q.sql "$d" >pgbench.out 2>&1)
	cat "$dir"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.2f %.2f %d\n", a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.5)], NR }'
}
explain() { # explain <db> <board> <file>
	psql_su "$1" >"$3" <<-SQL
	PREPARE q(bigint) AS $("$BENCH_BIN/bench-tool" sql board_coverage);
	EXECUTE q($2) \g /dev/null
	EXPLAIN (ANALYZE, BUFFERS) EXECUTE q($2);
	SQL
}
X10_STAMP=$BENCH_VAR/dataset-$INST-${DB}_x10.stamp
if [ "$X10" = auto ]; then
	if [ "$SCALE" != 1 ]; then
		X10=0
		step "10x check skipped: the dataset is of scale $SCALE, not the national one"
	elif [ -f "$X10_STAMP" ]; then X10=1; else
		X10=0
		step "10x check skipped: no ${DB}_x10 yet (bench/dataset.sh --db ${DB}_x10 --scale 10, or BENCH_X10=1)"
	fi
fi
if [ "$X10" = 1 ]; then
	step "10x: dataset in database ${DB}_x10 (made once, then kept)"
	bench/dataset.sh --inst "$INST" --seed "$SEED" --db "${DB}_x10" --scale 10 \
		2>"$RES/dataset-x10.log" || { cat "$RES/dataset-x10.log" >&2; die "bench: the 10x dataset did not load"; }
	cp "$BENCH_VAR/dataset-$INST-${DB}_x10.stamp" "$RES/dataset-x10.stamp"
	psql_su "${DB}_x10" -c "VACUUM ANALYZE users, staff, certificates" >/dev/null
	# The board tables were copied with their ids.
	BOARD10=$BOARD
	read -r m1 p1 n1 < <(sql_latency "$DB" "$BOARD")
	read -r m10 p10 n10 < <(sql_latency "${DB}_x10" "$BOARD10")
	echo "board-sql-1x $m1 $p1 $n1" >>"$RES/figures"
	echo "board-sql-10x $m10 $p10 $n10" >>"$RES/figures"
	explain "$DB" "$BOARD" "$RES/explain-board-1x.txt"
	explain "${DB}_x10" "$BOARD10" "$RES/explain-board-10x.txt"
	step "board report SQL: 1x median $m1 ms (p99 $p1, n=$n1), 10x median $m10 ms (p99 $p10, n=$n10)"
fi

fi # BENCH_ONLY

if [ "$ONLY" = reports ]; then
	{
		printf 'bench reports (%s, %s): %d cores, %d workers, one client, %d × %ss, median; load average %s\n' \
			"$(date -u +%FT%TZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)" \
			"$(nproc)" "$WORKERS" "$RUNS" "$DUR" "$(cut -d' ' -f1-3 /proc/loadavg)"
		echo "board report, $BOARD_SCHOOLS locations: median $(fig board-report 3) ms, p99 $(fig board-report 4) ms (target p99 <= 10 ms)"
		echo "region report, $REGION_NAME: median $(fig region-report 3) ms, p99 $(fig region-report 4) ms (target median <= 150 ms)"
		if [ "$X10" = 1 ]; then
			echo "board SQL (pgbench -M prepared -c 1): 1x median $(fig board-sql-1x) ms p99 $(fig board-sql-1x 3) ms; 10x median $(fig board-sql-10x) ms p99 $(fig board-sql-10x 3) ms"
		fi
		echo "Errors (non-2xx, timeouts) per figure: $(awk '$5 > 0 { printf "%s=%s ", $1, $5 }' "$RES/figures")"
		echo "Logs, wrk output: $RES"
	} | tee "$RES/table.md"
	step "done"
	exit 0
fi

# ------------------------------------------------------------- memory
# Each worker's resident memory from /proc, sampled during a long mixed load
# with logins alongside (argon2id takes 19 MiB while it hashes).
workers_of() { pgrep -P "$SERVICE_PID" | sort -n; }
rss_all() { for p in $(workers_of); do awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null; done; }
mixed_rps=$(fig mixed); mixed_rps=${mixed_rps:-0}
mem_s=$(awk -v n="$MEM_REQ" -v r="$mixed_rps" -v m="$MEM_MAX" 'BEGIN {
	s = r > 0 ? n / r * 1.05 : m; if (s > m) s = m; if (s < 5) s = 5; printf "%d", s }')
step "memory: ${mem_s}s of mixed load with logins (aiming at $MEM_REQ requests)"
mark_writes
# Every worker warm (its module cache filled) before the first reading.
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$ROOT/bench/lua/mixed.lua" "$BASE/api/v1/modules" >/dev/null 2>&1 || true
sleep 1
rss_all >"$RES/rss-before"
(
	wrk -t1 -c2 -d"${mem_s}s" --timeout 10s -s "$ROOT/bench/lua/login.lua" \
		"$BASE/api/v1/auth/login" >"$W/mem-login.out" 2>&1
) &
lpid=$!
wrk -t"$THREADS" -c"$CONNS" -d"${mem_s}s" --timeout 10s -s "$ROOT/bench/lua/mixed.lua" \
	"$BASE/api/v1/modules" >"$W/mem-mixed.out" 2>&1 &
mpid=$!
: >"$RES/rss-samples"
while kill -0 "$mpid" 2>/dev/null; do
	sleep 2
	s=$(rss_all | tr '\n' ' ')
	echo "$(date +%s) $s" >>"$RES/rss-samples"
done
wait "$mpid" || true; wait "$lpid" || true
sleep 2 # logins that wrk gave up on may still be hashing
reset_progress; RESET_FROM=""
mem_reqs=$(( $(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$W/mem-mixed.out") +
	$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$W/mem-login.out") ))
mem_logins=$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$W/mem-login.out")
mem_err=$(awk '/^BENCH/ { for (i = 1; i <= NF; i++) if ($i ~ /^(connect|read|write|status|timeout)=/) { split($i, a, "="); e += a[2] } } END { print e + 0 }' "$W/mem-mixed.out" "$W/mem-login.out")
cp "$W/mem-mixed.out" "$W/mem-login.out" "$RES/"
# First sample taken after 10% of the run, against the last.
nsamp=$(wc -l <"$RES/rss-samples")
first=$(sed -n "$(( nsamp / 10 + 1 ))p" "$RES/rss-samples" | cut -d' ' -f2-)
last=$(tail -1 "$RES/rss-samples" | cut -d' ' -f2-)
max_rss=$(cut -d' ' -f2- "$RES/rss-samples" | tr ' ' '\n' | sort -n | tail -1)
rss_after=$(rss_all | tr '\n' ' ')
# Growth, per worker: its smallest reading in the last fifth of the run
# against its smallest in the first fifth (a single reading may catch a
# worker in the middle of an argon2id hash, 19 MiB that it gives back).
growth=$(cut -d' ' -f2- "$RES/rss-samples" | awk '{ for (i = 1; i <= NF; i++) v[NR, i] = $i; if (NF > nf) nf = NF }
	END { q = int(NR / 5); if (q < 1) q = 1; m = 0
		for (i = 1; i <= nf; i++) { a = b = 1e12
			for (r = 1; r <= q; r++) if (v[r, i] != "" && v[r, i] < a) a = v[r, i]
			for (r = NR - q + 1; r <= NR; r++) if (v[r, i] != "" && v[r, i] < b) b = v[r, i]
			if (b - a > m) m = b - a }
		print m }')
{
	echo "memory-requests $mem_reqs logins $mem_logins errors $mem_err"
	echo "memory-max-rss-kib $max_rss"
	echo "memory-growth-kib $growth"
	echo "rss-before $(tr '\n' ' ' <"$RES/rss-before")"
	echo "rss-first $first"
	echo "rss-last $last"
	echo "rss-after $rss_after"
} >>"$RES/memory"
step "memory: $mem_reqs requests ($mem_logins logins, $mem_err errors), max RSS $max_rss KiB, growth $growth KiB"

# -------------------------------------------------------------- table
if [ "$ONLY" = memory ]; then
	tee "$RES/table.md" <"$RES/memory"
	step "done"
	exit 0
fi
hashparams=$(psql_val "$DB" "SELECT split_part(password_hash, '\$', 4) FROM users WHERE email LIKE 'p%@bench.invalid' LIMIT 1")
ncpu=$(nproc)
{
	printf 'make bench (%s, %s): %d cores, %d workers, wrk -t%d -c%d; targets: %d pairs of %ss runs, interleaved; others: median of %d × %ss; load average %s\n' \
		"$(date -u +%FT%TZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)" \
		"$ncpu" "$WORKERS" "$THREADS" "$CONNS" "$PAIRS" "$DUR" "$RUNS" "$DUR" "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'dataset: scale %s, %s people, %s progress rows, %s certificates (seed %s), loaded in %s s\n' \
		"$SCALE" "$(stamp people)" "$(stamp progress)" "$(stamp certificates)" "$SEED" \
		"$(awk '/^(import_s|generate_s)/ { s += $2 } END { printf "%.0f", s }' "$STAMP")"
	echo
	table_head
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
	st=$(fig static); fh=$(fig fcgi-hello); fs=$(fig fcgi-select); pu=$(fig pg-upsert)
	row "static (nginx, 2 KB)" "$st/s" "-" "-" "-" "-" "baseline" "-"
	row "fcgi-hello (libfcgi, 2 KB)" "$fh/s" "static" "$(ratio "$fh" "$st")" "-" "-" "baseline" "-"
	row "fcgi-select (+1 prepared SELECT)" "$fs/s" "fcgi-hello" "$(ratio "$fs" "$fh")" "-" "-" "baseline" "-"
	row "pg-upsert (pgbench -c $WORKERS)" "$pu/s" "-" "-" "-" "-" "baseline" "-"
	pair_rows
	# fcgi-hello is not measured in pairs: medians of runs minutes apart.
	v=$(pair module-get 7); r2=$(ratio "$v" "$fh")
	row "GET /modules/{slug}, not paired" "$v/s" "fcgi-hello $fh/s" "$r2" "-" "-" ">= 0.50" "$(ge "$r2" 0.50)"
	v=$(fig login)
	row "login, argon2id $hashparams" "$v/s" "-" "-" "-" "-" "interactive (*)" "$([ "$hashparams" = "m=65536,t=2,p=1" ] && echo yes || echo no)"
	v=$(fig mixed+login); p=$(fig mixed+login 4); r=$(ratio "$v" "$(fig mixed)")
	row "mixed 90/10 + 2 logins: rate" "$v/s" "mixed $(fig mixed)/s" "$r" "-" "-" "not blocked" "-"
	row "mixed 90/10 + 2 logins: p99" "$p ms" "-" "-" "-" "-" "<= 50 ms" "$(le "$p" 50)"
	v=$(fig board-report 3); p=$(fig board-report 4)
	row "board report, $BOARD_SCHOOLS loc.: median" "$v ms" "-" "-" "-" "-" "-" "-"
	row "board report, $BOARD_SCHOOLS loc.: p99" "$p ms" "-" "-" "-" "-" "<= 10 ms" "$(le "$p" 10)"
	v=$(fig region-report 3); p=$(fig region-report 4)
	row "region report: median" "$v ms" "-" "-" "-" "-" "<= 150 ms" "$(le "$v" 150)"
	row "region report: p99" "$p ms" "-" "-" "-" "-" "-" "-"
	if [ "$X10" = 1 ]; then
		m1=$(fig board-sql-1x); m10=$(fig board-sql-10x); r=$(ratio "$m10" "$m1")
		row "board SQL at 1x: median" "$m1 ms" "-" "-" "-" "-" "-" "-"
		row "board SQL at 10x: median" "$m10 ms" "1x" "$r" "-" "-" "<= 1.50" "$(le "$r" 1.5)"
	fi
	read -r _ mreq _ _ _ _ <"$RES/memory"
	mx=$(sed -n 's/^memory-max-rss-kib //p' "$RES/memory")
	gr=$(sed -n 's/^memory-growth-kib //p' "$RES/memory")
	row "worker RSS max ($mreq req.)" "$((mx / 1024)) MiB" "-" "-" "-" "-" "< 32 MiB" "$([ "$mx" -lt 32768 ] && echo yes || echo no)"
	row "worker RSS growth" "$gr KiB" "-" "-" "-" "-" "no growth" "$([ "$gr" -le 1024 ] && echo yes || echo no)"
	echo
	pair_notes
	echo "(*) libsodium's interactive limits: crypto_pwhash_MEMLIMIT_INTERACTIVE = 64 MiB, OPSLIMIT 2."
	echo "Per core: divide a rate by $ncpu.  Errors (non-2xx, timeouts) per figure: $(awk '$5 > 0 { printf "%s=%s ", $1, $5 }' "$RES/figures")"
	echo "Logs, wrk output, EXPLAIN ANALYZE: $RES"
} | tee "$RES/table.md"
step "done"
