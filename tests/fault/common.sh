# Shared by tests/fault/*.sh: the test stack, results, HTTP and SQL helpers,
# and a bounded curl load.  Sourced, not run.  Needs bash 5 (EPOCHREALTIME),
# curl and the PostgreSQL 15 client tools; nothing else.
#
# Every helper that starts a process records its pid in FAULT_PIDS, and
# fault_cleanup (installed as the EXIT trap by fault_init) stops exactly
# those, so a script that fails half-way leaves nothing running.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VAR=$ROOT/var/test
# The folders of the stack (deploy/dev/layout.sh): the service's and
# PostgreSQL's logs, and the pid files of what root started.
. "$ROOT/deploy/dev/layout.sh"
SVC_LOG=$VAR/log/service
PID_DIR=$VAR/pids
PGBIN=/usr/lib/postgresql/15/bin
PG_PORT=54381
if [ "$(id -u)" -eq 0 ]; then
	RUNAS=(setpriv --reuid=hgkm --regid=hgkm --init-groups --)
	SVC_USER=hgkm
else
	RUNAS=()
	SVC_USER=$(id -un)
fi

PASSED=0
FAILED=0
FAULT_PIDS=()
FAULT_CLEANUPS=()
WORK=

ok()    { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
# check <condition-command...> -- <message>: ok or not ok on its status.
check() {
	local args=() msg
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	msg=$*
	if "${args[@]}"; then ok "$msg"; else notok "$msg"; fi
}
# expect <test(1) expression> -- <message>
expect() {
	local args=() msg
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	msg=$*
	if test "${args[@]}" 2>/dev/null; then ok "$msg"; else notok "$msg"; fi
}
note()  { printf '# %s\n' "$*"; }
summary() {
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
	[ "$FAILED" -eq 0 ]
}

# Milliseconds since the epoch, without a fork.
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# Runs "$@" in the background and remembers its pid for the cleanup.
bg() { "$@" & FAULT_PIDS+=($!); }

# Stops one process we started and its direct children (curl under a loop).
stop_pid() {
	local pid=$1 child
	for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
		kill -TERM "$child" 2>/dev/null
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

fault_cleanup() {
	local rc=$? f pid
	for f in "${FAULT_CLEANUPS[@]}"; do "$f"; done
	for pid in "${FAULT_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && stop_pid "$pid"
	done
	[ -n "$WORK" ] && [ -z "${FAULT_KEEP:-}" ] && rm -rf "$WORK"
	return $rc
}

# Other suites (make test of another session) use the same stack; a fault
# test in the middle of them would fail both.  Waits for them, at most
# FAULT_WAIT seconds (default 300), then goes ahead with a note.
wait_for_quiet_stack() {
	local waited=0 max=${FAULT_WAIT:-300} busy here
	here=$(cd "$ROOT" && pwd -P)
	while :; do
		# Only this checkout's: other checkouts have stacks of their own.
		busy=$(ps -eo pid=,args= | grep -E 'build/[a-z]+/tests/integration|tests/browser/[a-z-]+\.test\.mjs|deploy/dev/stack\.sh (up|down) test' |
			grep -v grep | grep -v "^ *$$ " |
			while read -r pid args; do
				[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$here" ] && echo "$pid $args"
			done || true)
		[ -z "$busy" ] && return 0
		if [ "$waited" -ge "$max" ]; then
			note "other tests still use the test stack after ${max}s; going ahead:"
			printf '%s\n' "$busy" | sed 's/^/#   /'
			return 0
		fi
		[ "$waited" -eq 0 ] && note "waiting for other tests on the test stack to finish"
		sleep 5
		waited=$((waited + 5))
	done
}

# Loads var/test/env, bringing the stack up first when nothing answers.
# The port is the stack's own (var/test/env; HGKM_TEST_HTTP_PORT), so that
# a checkout whose test stack runs on another port tests that one.
ensure_stack() {
	local base=http://127.0.0.1:${HGKM_TEST_HTTP_PORT:-8081}
	[ -f "$VAR/env" ] && base=$(sed -n 's/^BASE_URL=//p' "$VAR/env")
	if ! curl -fsS -m 5 -o /dev/null "$base/api/v1/health" 2>/dev/null; then
		note "the test stack does not answer; starting it (deploy/dev/stack.sh up test)"
		"$ROOT/deploy/dev/stack.sh" up test >&2 || return 1
	fi
	set -a
	# shellcheck disable=SC1091
	. "$VAR/env"
	set +a
}

# fault_init <name>: stack, work directory, traps, a watchdog of
# FAULT_TIMEOUT seconds (default 600) for the whole script.
fault_init() {
	local name=$1
	wait_for_quiet_stack
	ensure_stack || { notok "the test stack could not be started"; summary; exit 1; }
	WORK=$VAR/fault-$name.$$
	mkdir -p "$WORK"
	trap fault_cleanup EXIT
	trap 'note "interrupted"; exit 130' INT TERM
	local self=$$
	( sleep "${FAULT_TIMEOUT:-600}"; echo "# watchdog: ${FAULT_TIMEOUT:-600}s passed, stopping" >&2
	  kill -TERM "$self" ) 2>/dev/null &
	FAULT_PIDS+=($!)
	RUN_ID=$(date +%H%M%S)$$
}

psql_app() { psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
psql_su()  { "${RUNAS[@]}" "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$VAR/run" -p "$PG_PORT" -d hgkm "$@"; }

# api <method> <path> [token] [body] [content-type]: prints the status;
# the body is in $WORK/last.body.
api() {
	local method=$1 path=$2 token=${3:-} body=${4-} ctype=${5:-application/json}
	local args=(-s -m 30 -o "$WORK/last.body" -w '%{http_code}' -X "$method")
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	if [ -n "$body" ]; then
		args+=(-H "Content-Type: $ctype" --data-binary "$body")
	fi
	curl "${args[@]}" "$BASE_URL$path"
}
last_body() { cat "$WORK/last.body"; }
# json_str <key>: the first "key":"value" of the last body (flat JSON only).
json_str() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$WORK/last.body" | head -n 1; }
json_num() { sed -n "s/.*\"$1\" *: *\([0-9][0-9]*\).*/\1/p" "$WORK/last.body" | head -n 1; }

# demo_password <role>: from var/test/demo-accounts.tsv.
demo_login() {
	local role=$1 email password st
	email=$(awk -F'\t' -v r="$role" '$1 == r {print $2}' "$DEMO_ACCOUNTS")
	password=$(awk -F'\t' -v r="$role" '$1 == r {print $3}' "$DEMO_ACCOUNTS")
	st=$(api POST /api/v1/auth/login "" "{\"email\":\"$email\",\"password\":\"$password\"}")
	[ "$st" = 200 ] || { echo "login of $role: $st $(last_body)" >&2; return 1; }
	json_str token
}

FAULT_PASSWORD=Storing-test-wachtwoord-42
# register_user <email> <join code>: prints the token.
register_user() {
	local st
	st=$(api POST /api/v1/auth/register "" \
		"{\"email\":\"$1\",\"name\":\"Storingstest\",\"password\":\"$FAULT_PASSWORD\",\"join_code\":\"$2\"}")
	[ "$st" = 201 ] || { echo "register $1: $st $(last_body)" >&2; return 1; }
	json_str token
}

# A board and school of the test's own (made by the demo admin), so that the
# demo board, which the browser tests read, keeps its size and staff.
FAULT_BOARD=
ensure_fault_school() {
	local admin st try
	[ -n "$FAULT_BOARD" ] && return 0
	admin=$(demo_login admin) || { notok "the demo admin cannot log in"; return 1; }
	if [ "$(api POST /api/v1/boards "$admin" "{\"name\":\"Storingstest $RUN_ID\"}")" != 201 ]; then
		notok "a board for the test could not be created: $(last_body)"
		return 1
	fi
	FAULT_BOARD=$(json_num id)
	# The location code is unique: another one if it is taken.
	for try in 1 2 3; do
		st=$(api POST /api/v1/schools "$admin" "{\"board_id\":$FAULT_BOARD,\"name\":\"Storingstest $RUN_ID\",\"brin\":\"$(brin_for "$RUN_ID")\",\"municipality\":\"Teststad\"}")
		[ "$st" = 201 ] && break
	done
	if [ "$st" != 201 ]; then
		notok "a school for the test could not be created: $st $(last_body)"
		FAULT_BOARD=
		return 1
	fi
	FAULT_JOIN=$(json_str join_code)
	note "test board $FAULT_BOARD with school $(json_num id) (join code $FAULT_JOIN)"
}

# learner <email>: registers a learner of our own (any role can read the
# modules) in the test's own school when the demo admin can make one, else
# in the first demo school; sets JOIN_CODE and TOKEN, and stops the script
# when nobody can register.
learner() {
	if ensure_fault_school; then
		JOIN_CODE=$FAULT_JOIN
	else
		JOIN_CODE=$(awk -F'\t' 'NR == 1 {print $2}' "$JOIN_CODES")
	fi
	TOKEN=$(register_user "$1" "$JOIN_CODE") || {
		notok "a learner ($1) could not register"; summary; exit 1; }
}

# A BRIN-shaped location code (4 letters/digits, 2 digits) from the run id.
brin_for() {
	local n=$((10#${1: -7} % 1679616)) s="" a=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 i
	for i in 1 2 3; do s=${a:$((n % 36)):1}$s; n=$((n / 36)); done
	echo "Z${s}$((RANDOM % 90 + 10))"
}

# The process tree of the service: the master, its FastCGI workers, and
# other children (the mailer).  A worker is a child that holds the listening
# socket (the mailer closes it).
master_pid() { cat "$PID_DIR/hgkm.pid"; }
child_pids() { ps -o pid= --ppid "$(master_pid)" | tr -d ' ' | sort -n; }
listen_inode() {
	awk -v p="$VAR/run/hgkm.sock" '$NF == p && $4 == "00010000" {print $7; exit}' /proc/net/unix
}
worker_pids() {
	local ino pid
	ino=$(listen_inode)
	for pid in $(child_pids); do
		if [ -n "$ino" ] && ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "socket:\[$ino\]"; then
			echo "$pid"
		fi
	done
}
worker_count() { worker_pids | wc -l; }

pg_ctl_test() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" "$@"; }

# Sanitizer reports of the workers appear as files in var/test/log/service.
sanitizer_reports() { ls "$SVC_LOG"/asan.* "$SVC_LOG"/ubsan.* 2>/dev/null | sort; }

# ---------------------------------------------------------------------------
# A bounded load: <conc> loops, each running one curl per batch of requests
# over one keep-alive connection, until load_stop.  Every batch line starts
# with "B <ms>", then one "<status> <seconds>" line per request (status 000:
# no answer).  Each request has its own 15 s limit, so nothing hangs.
#   load_start <name> <conc> <token>
#   load_stop <name>
LOAD_SECTION=

_load_block() { # <method> <url> <token>
	printf 'url = "%s"\nrequest = "%s"\nheader = "Authorization: Bearer %s"\n' "$2" "$1" "$3"
	printf 'output = "/dev/null"\nsilent\nmax-time = 15\nconnect-timeout = 5\n'
	printf 'write-out = "%%{http_code} %%{time_total}\\n"\nnext\n'
}

load_start() {
	local name=$1 conc=$2 token=$3 dir=$WORK/load-$1 i
	mkdir -p "$dir"
	rm -f "$dir/stop" "$dir"/out.*
	: "${LOAD_SECTION:=$(psql_app -c "SELECT s.id FROM sections s JOIN modules m ON m.id = s.module_id
		WHERE m.slug = 'meldcode-kort' AND s.active ORDER BY s.position LIMIT 1")}"
	{
		# 90% reads, 10% progress writes, as in a study day.
		for i in 1 2 3 4 5 6 7 8 9; do
			_load_block GET "$BASE_URL/api/v1/modules" "$token"
		done
		_load_block PUT "$BASE_URL/api/v1/modules/meldcode-kort/sections/$LOAD_SECTION" "$token"
	} | sed '$d' >"$dir/batch.cfg"
	for i in $(seq 1 "$conc"); do
		bg _load_loop "$dir" "$i"
		echo $! >>"$dir/pids"
	done
}

_load_loop() {
	local dir=$1 i=$2
	while [ ! -e "$dir/stop" ]; do
		echo "B $(now_ms)"
		curl --config "$dir/batch.cfg"
	done >>"$dir/out.$i" 2>/dev/null
}

load_stop() {
	local dir=$WORK/load-$1 pid
	touch "$dir/stop"
	for pid in $(cat "$dir/pids"); do
		wait "$pid" 2>/dev/null
	done
	rm -f "$dir/pids"
}

# load_lines <name> [from_ms] [to_ms]: "<batch_ms> <status> <seconds>" for
# every request of the batches started in [from, to).
load_lines() {
	local dir=$WORK/load-$1 from=${2:-0} to=${3:-99999999999999}
	cat "$dir"/out.* | awk -v from="$from" -v to="$to" '
		$1 == "B" { t = $2; next }
		NF >= 2 && t >= from && t < to { print t, $1, $2 }'
}

# load_report <name> [from] [to]: "total=N ok=N failed=N max_ms=N codes=..."
load_report() {
	load_lines "$@" | awk '
		{ n++; c[$2]++; if ($2 != 200 && $2 != 204) bad++;
		  ms = $3 * 1000; if (ms > max) max = ms }
		END { codes = ""; for (k in c) codes = codes k ":" c[k] " ";
		      printf "total=%d ok=%d failed=%d max_ms=%d codes=%s\n",
		             n, n - bad, bad, max, codes }'
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
