# Shared by the test scripts: counting results across suites.
# Each suite adds to var/test-results (lines "suite passed failed").
# A script run on its own (not by run-all.sh) counts in a file of its own
# and ends with its own summary line (summary_on_exit).
if [ -z "${RESULTS:-}" ]; then
	mkdir -p "$ROOT/var"
	RESULTS=$(mktemp "$ROOT/var/results.XXXXXX")
	OWN_RESULTS=1
fi
export RESULTS

# The totals as "N passed, M failed"; status 1 when anything failed.
summary() {
	awk '{p+=$2; f+=$3} END {printf "%d passed, %d failed\n", p, f; exit (f > 0)}' "$RESULTS"
}

# For a script run on its own: print the summary at exit, and fail with it.
summary_on_exit() {
	[ -n "${OWN_RESULTS:-}" ] || return 0
	trap 'summary; rc=$?; rm -f "$RESULTS"; exit $rc' EXIT
}

# record <suite> <passed> <failed>
record() { printf '%s %d %d\n' "$1" "$2" "$3" >>"$RESULTS"; }

# run_counted <name> <cmd...>: runs a script that ends in "N passed, M
# failed", echoing its output, and records those counts (none: 1 failed).
run_counted() {
	local name=$1 out counts; shift
	out=$("$@" 2>&1); printf '%s\n' "$out"
	counts=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1)
	# shellcheck disable=SC2086
	if [ -n "$counts" ]; then record "$name" $counts; else record "$name" 0 1; fi
}

# Runs a cmocka binary, echoing its output, and records its counts.  A
# binary that dies without a summary (a sanitizer report) counts as failed.
run_cmocka() {
	local name=$1; shift
	local out rc passed failed
	out=$("$@" 2>&1); rc=$?
	printf '%s\n' "$out"
	passed=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	failed=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "$name: exited with status $rc" >&2
		failed=1
	fi
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "$name: no test ran (does the name filter match any?)" >&2
		failed=1
	fi
	record "$name" "$passed" "$failed"
}
