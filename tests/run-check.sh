#!/bin/bash
# make check: the fast tier, no servers.  Builds the sanitizer flavour,
# runs every unit test, the content check and the format check, and ends
# with "N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$ROOT"
summary_on_exit

if ! make -s FLAVOR=asan all \
	$(ls tests/unit/test_*.c | sed 's|tests/unit/\(.*\)\.c|build/asan/tests/\1|'); then
	record build 0 1
	exit 1
fi
record build 1 0

printf '\n== unit tests (ASan, UBSan) ==\n'
tests/run-unit.sh build/asan

printf '\n== content check ==\n'
HGKM_CONTENT=build/asan/hgkm-content run_counted content tests/content-check.sh

printf '\n== format (clang-format, .clang-format) ==\n'
if make -s format-check; then record format 1 0; else record format 0 1; fi
