# Shared by the test scripts: counting results across suites.
# Each suite adds to var/test-results (lines "suite passed failed").
RESULTS=${RESULTS:-$ROOT/var/test-results}

# record <suite> <passed> <failed>
record() { printf '%s %d %d\n' "$1" "$2" "$3" >>"$RESULTS"; }

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
	record "$name" "$passed" "$failed"
}
