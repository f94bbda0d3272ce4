#!/bin/bash
# Runs the integration suite against the running test stack (var/test/env).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$ROOT"
set -a; . var/test/env; set +a
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_cmocka integration build/asan/tests/integration
