#!/bin/bash
# Runs the browser test in Debian's headless Chromium against the test stack.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$ROOT"
summary_on_exit
set -a; . var/test/env; set +a
JOIN_CODE=$(head -n 1 "$JOIN_CODES" | cut -f 2)
SCREENSHOT_DIR=$ROOT/var/test/screenshots
# Every axe-core scan appends "page and state<TAB>violations" here (tests/browser/a11y.mjs).
A11Y_REPORT=$ROOT/var/test/a11y-report.tsv
export JOIN_CODE SCREENSHOT_DIR A11Y_REPORT
mkdir -p "$SCREENSHOT_DIR"
: >"$A11Y_REPORT"
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || {
		record browser 0 1
		exit 0
	}
fi
# One node script per flow (harness: the shared harness itself, no browser); each prints
# "N passed, M failed" last.
for t in harness course board scenario account keyboard-course keyboard-scenario keyboard-board session a11y; do
	f=tests/browser/$t.test.mjs
	[ -f "$f" ] || continue
	out=$(node "$f" 2>&1); rc=$?
	printf '%s\n' "$out"
	summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	passed=$(printf '%s' "$summary" | cut -d' ' -f1)
	failed=$(printf '%s' "$summary" | cut -d' ' -f3)
	if [ -z "$summary" ]; then passed=0; failed=1; fi
	if [ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
	record "browser:$t" "${passed:-0}" "${failed:-1}"
done
# The page × state table of the accessibility scans (all must be 0).
if [ -s "$A11Y_REPORT" ]; then
	echo "axe-core (WCAG 2.0/2.1/2.2 A and AA): page and state -> violations"
	awk -F '\t' '{ printf "  %-70s %s\n", $1, $2 }' "$A11Y_REPORT"
fi
