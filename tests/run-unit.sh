#!/bin/bash
# Runs every cmocka unit test binary of a build directory.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
B=${1:-build/asan}
cd "$ROOT"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TEST_DATA_DIR=$ROOT/tests/unit/data
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_cmocka "unit:$(basename "$t")" "$t"
done
