#!/bin/bash
# make test: builds the sanitizer flavour, brings up a fresh test stack on
# 127.0.0.1:8081, runs every suite, stops the stack, and ends with one line
# "N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# One make test at a time: the suites share the test stack.  flock -o holds
# the lock itself, so the servers started below do not inherit it.
if [ -z "${HGKM_TEST_LOCKED:-}" ]; then
	mkdir -p var
	HGKM_TEST_LOCKED=1 exec flock -o -w 3600 var/test.lock "$ROOT/tests/run-all.sh" "$@"
fi
export RESULTS=$ROOT/var/test-results
. tests/lib.sh
mkdir -p var
: >"$RESULTS"

deploy/dev/deps.sh check-test || exit 1
make -s FLAVOR=asan all build/asan/tests/integration \
	$(ls tests/unit/test_*.c | sed 's|tests/unit/\(.*\)\.c|build/asan/tests/\1|') || {
	echo "0 passed, 1 failed"
	exit 1
}

step() { printf '\n== %s ==\n' "$*"; }

step "the fast tier: unit tests, content check, format (make check)"
tests/run-check.sh

step "fuzzing (libFuzzer, ASan+UBSan): seeds, regressions, then 10 s a target"
out=$(tests/fuzz/run.sh 10 2>&1); rc=$?
printf '%s\n' "$out"
fz_ok=$(printf '%s\n' "$out" | grep -cE '^[a-z]+ +ok ')
fz_all=$(printf '%s\n' "$out" | grep -cE '^[a-z]+ +[^ ]+ +execs=')
fz_bad=$((fz_all - fz_ok))
if [ "$rc" -ne 0 ] && [ "$fz_bad" -eq 0 ]; then fz_bad=1; fi
record fuzz "$fz_ok" "$fz_bad"

step "test stack"
deploy/dev/stack.sh down test
rm -rf var/test
trap 'deploy/dev/stack.sh down test' EXIT
if PG_NOSYNC=1 deploy/dev/stack.sh up test; then
	step "integration tests (through nginx, real PostgreSQL)"
	tests/run-integration.sh
	step "fault tests (PostgreSQL stop, worker kill, nginx reload, exactly once, interrupted roster)"
	FAULT_WAIT=30 run_counted faults timeout 900 tests/fault/faults.sh
	step "signals: log reopen (USR1), reload under load (HUP), --check, fail-fast start, socket group"
	FAULT_WAIT=30 run_counted signals timeout 300 tests/fault/signals.sh
	step "backup and restore into a fresh cluster"
	FAULT_WAIT=30 run_counted backup timeout 300 tests/fault/backup-restore.sh
	step "reports from a streaming replica"; FAULT_WAIT=30 run_counted replica timeout 300 tests/replica/replica.sh
	step "root writes only in root's folders of the dev stack (var/test)"
	FAULT_WAIT=30 run_counted ownership timeout 300 tests/fault/ownership.sh
	step "browser tests (headless Chromium)"
	tests/run-browser.sh
	# Sanitizer reports of the workers (written at exit or on error).
	deploy/dev/stack.sh down test
	trap - EXIT
	if ls var/test/log/service/asan.* var/test/log/service/ubsan.* >/dev/null 2>&1; then
		cat var/test/log/service/asan.* var/test/log/service/ubsan.* 2>/dev/null
		record sanitizers 0 1
	else
		record sanitizers 1 0
	fi
else
	tail -n 30 var/test/log/*.log var/test/log/service/*.log 2>/dev/null
	record stack 0 1
fi

# Its own stack (var/check, release build): valgrind cannot run ASan code.
step "valgrind: the integration suite against the service under valgrind, then a leak check"
run_counted valgrind timeout 900 tests/valgrind/run.sh

# The Debian package installed on this machine (root or sudo): CI asks for
# it (.ci/run); on a developer's machine it is make test-install.
if [ -n "${HGKM_TEST_INSTALL:-}" ]; then
	step "install test: the Debian package, hgkm-admin, backup, restore, upgrade (tests/install/)"
	run_counted install tests/install/install.sh
fi

step "summary"
awk '{printf "%-32s %4d passed %4d failed\n", $1, $2, $3}' "$RESULTS"
summary
