#!/bin/bash
# The integration suite against a service that runs under valgrind, then a
# leak check of every process of it (master, workers, mailer) once it has
# shut down: no definite, indirect or possible leak, no memory error.
#
#   tests/valgrind/run.sh [test-name-glob]     (make valgrind)
#
# Uses its own stack instance `check` (release build, 127.0.0.1:8085,
# PostgreSQL 54385, two workers), so it never disturbs the test stack, and
# takes it down again.  The release build, because valgrind cannot run a
# binary built with AddressSanitizer.  Takes some minutes: valgrind slows
# the service some 20 times.  Logs: var/check/log/service/valgrind.<pid>.log.
# Prints "ok - ..." / "not ok - ..." and last "N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
VAR=$ROOT/var/check
GLOB=${1:-}
PASSED=0
FAILED=0
ok()    { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
summary() { printf '%d passed, %d failed\n' "$PASSED" "$FAILED"; [ "$FAILED" -eq 0 ]; }

command -v valgrind >/dev/null || { notok "valgrind is not installed"; summary; exit 1; }
make -s FLAVOR=release all >/dev/null && make -s FLAVOR=asan build/asan/tests/integration >/dev/null ||
	{ notok "build"; summary; exit 1; }

down() { deploy/dev/stack.sh down check >/dev/null 2>&1 || true; }
trap down EXIT
down
mkdir -p "$VAR/log"
# valgrind runs as the service user: its logs go where the service writes.
VLOG=$VAR/log/service
rm -f "$VLOG"/valgrind.*.log
# Leaks count as errors; still-reachable blocks (libraries' own caches,
# freed by exit) do not.
export HGKM_SERVICE_WRAPPER="valgrind --leak-check=full
	--show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible
	--num-callers=30 --log-file=$VLOG/valgrind.%p.log"
if ! deploy/dev/stack.sh up check >"$VAR/log/stack-up.log" 2>&1; then
	tail -n 20 "$VAR/log/stack-up.log" | sed 's/^/# /'
	notok "the check stack came up under valgrind"; summary; exit 1
fi
ok "the check stack came up with the service under valgrind"

set -a; . "$VAR/env"; set +a
# Under valgrind a worker's first connection can miss db.c's 1 s deadline
# (it then answers 503 and tries again): warm every worker up first, until
# 20 health checks in a row say the database is there (at most 60 s).
in_a_row=0
for _ in $(seq 600); do
	if [ "$(curl -s -m 10 "$BASE_URL/api/v1/health")" = '{"status":"ok","db":"ok"}' ]; then
		in_a_row=$((in_a_row + 1))
		[ "$in_a_row" -ge 20 ] && break
	else
		in_a_row=0
		sleep 0.1
	fi
done
[ "$in_a_row" -ge 20 ] || notok "the workers under valgrind did not all reach the database within 60 s"
export ASAN_OPTIONS=detect_leaks=1
# The account tool of the build made above (test_account_tool.c).
export HGKM_ACCOUNT_TOOL=build/release/hgkm-account
start=$(date +%s)
out=$(build/asan/tests/integration ${GLOB:+"$GLOB"} 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^\[  (FAILED|PASSED)  \] [1-9]|^integration:' | sed 's/^/# /'
if [ "$rc" -eq 0 ]; then
	ok "integration suite against the service under valgrind ($(($(date +%s) - start)) s)"
else
	printf '%s\n' "$out" | grep -E '^\[  FAILED  \]|ERROR' | head -20 | sed 's/^/#   /'
	notok "integration suite against the service under valgrind"
fi

# A clean shutdown (SIGTERM), with time for valgrind's leak search.
pid=$(cat "$VAR/pids/hgkm.pid" 2>/dev/null)
if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
	for _ in $(seq 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && notok "the service did not stop within 120 s of SIGTERM"
fi
sleep 1

# Every process that ended by itself has a summary; a child that went on
# to exec (the mailer's sendmail) has a log without one.
summaries=0
for f in "$VLOG"/valgrind.*.log; do
	[ -f "$f" ] || continue
	grep -q 'ERROR SUMMARY' "$f" || continue
	summaries=$((summaries + 1))
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
		notok "$(basename "$f"): $(grep -m1 'ERROR SUMMARY' "$f" | sed 's/^==[0-9]*== //')"
		grep -A14 -m3 'are definitely lost\|are indirectly lost\|are possibly lost\|Invalid\|uninitialised' "$f" |
			head -45 | sed 's/^/#   /'
	fi
done
if [ "$summaries" -ge 4 ]; then
	ok "$summaries processes (master, workers, mailer) ended under valgrind with a leak check"
else
	notok "leak summaries of $summaries processes, want at least 4 (master, 2 workers, mailer)"
fi
grep -h 'ERROR SUMMARY\|definitely lost\|indirectly lost\|possibly lost\|in use at exit' \
	"$VLOG"/valgrind.*.log | sed 's/^==[0-9]*== *//' | sort | uniq -c | sed 's/^/# /'
summary
