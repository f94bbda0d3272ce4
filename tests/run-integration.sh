#!/bin/bash
# Runs the integration suite (build/asan/tests/integration) through nginx
# against the test stack (var/test/env).
#   tests/run-integration.sh [--own-stack] [GLOB]
# GLOB picks tests by name ('test_jwt_*').  With --own-stack it brings the
# test stack up when none answers, and down again at the end (make
# test-integration); without, the stack must be up (run-all.sh).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$ROOT"
own=
if [ "${1:-}" = --own-stack ]; then own=1; shift; fi
glob=${1:-}

started=
if [ -n "$own" ]; then
	# One user of the test stack at a time (make test holds the same lock).
	if [ -z "${HGKM_TEST_LOCKED:-}" ]; then
		mkdir -p var
		HGKM_TEST_LOCKED=1 exec flock -o -w 3600 var/test.lock "$0" --own-stack "$@"
	fi
	if ! { [ -f var/test/env ] && curl -fs -o /dev/null \
		"$(sed -n 's/^BASE_URL=//p' var/test/env)/api/v1/health"; }; then
		PG_NOSYNC=1 deploy/dev/stack.sh up test || exit 1
		started=1
	fi
fi
summary_on_exit
if [ -n "$started" ]; then
	trap 'deploy/dev/stack.sh down test; summary; rc=$?; rm -f "$RESULTS"; exit $rc' EXIT
fi
set -a; . var/test/env; set +a
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_cmocka integration build/asan/tests/integration ${glob:+"$glob"}
