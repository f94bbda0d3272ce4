#!/bin/bash
# Runs the cmocka unit test binaries of a build directory.
#   tests/run-unit.sh [BUILD_DIR] [NAME[:TESTS]]
# NAME picks binaries (a glob, with or without "test_": router, 'c*'),
# TESTS the tests in them (a glob: 'test_slug*').  Default: all of both.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
B=${1:-build/asan}
pick=${2:-}
name=${pick%%:*}
tests=
[[ $pick == *:* ]] && tests=${pick#*:}
name=${name#test_}
cd "$ROOT"
summary_on_exit
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TEST_DATA_DIR=$ROOT/tests/unit/data
export UNIT_FILTER=$tests
ran=0
for t in "$B"/tests/test_${name:-*}; do
	[ -x "$t" ] || continue
	run_cmocka "unit:$(basename "$t")" "$t"
	ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
	echo "no unit test binary matches '$pick' in $B/tests" >&2
	record unit 0 1
fi
