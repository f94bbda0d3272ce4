#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz.mk) and runs each for a
# bounded time on a copy of its seed corpus.
#
#   tests/fuzz/run.sh [seconds]     default 60 seconds per target
#   tests/fuzz/run.sh 0             build, then replay seeds and regressions
#
# Environment: FUZZ_TARGETS="json roster" runs only those; FUZZ_JOBS=N runs
# N targets at a time (default: the number of CPUs); FUZZ_FRESH=1 starts
# from the seeds alone instead of the corpus earlier runs grew in
# build/fuzz/work/.
#
# Before fuzzing, every target replays tests/fuzz/regressions/<name>-*.bin,
# the inputs of crashes found earlier: a regression that still crashes
# fails the run.  A crash, leak, timeout (over 10 s) or memory blow-up
# (over 2 GiB) fails the run too; its input is copied to
# tests/fuzz/crashes/ with the target's name in front.  The script prints
# one line per target and exits 1 when any target failed.
set -euo pipefail

cd "$(dirname "$0")/../.."

secs=${1:-60}
if ! [[ $secs =~ ^[0-9]+$ ]]; then
	echo "usage: $0 [seconds]" >&2
	exit 2
fi

all_targets="http router json auth roster duo scenario content quiz certpdf"
targets=${FUZZ_TARGETS:-$all_targets}
jobs=${FUZZ_JOBS:-$(nproc)}
work=build/fuzz/work
crashes=tests/fuzz/crashes

# Longest input per target: room past every limit the parser checks, but
# Markdown stays at 4096 bytes (cmark 0.30 is quadratic).
declare -A max_len=(
	[http]=1024 [router]=512 [json]=8192 [auth]=5200 [roster]=8192
	[duo]=8192 [scenario]=20000 [content]=4096 [quiz]=2048
	[certpdf]=2200
)
declare -A dict=(
	[http]=http [router]=http [json]=json [auth]=json [roster]=csv
	[duo]=csv [scenario]=scenario [content]=content [quiz]=json
)

for t in $targets; do
	if [[ -z ${max_len[$t]:-} ]]; then
		echo "run.sh: unknown target $t (known: $all_targets)" >&2
		exit 2
	fi
done

if ! command -v clang >/dev/null; then
	echo "run.sh: clang is missing; apt-get install clang" \
	     "libclang-rt-14-dev" >&2
	exit 1
fi
make -s -f tests/fuzz/fuzz.mk -j"$jobs" \
	$(for t in $targets; do echo "build/fuzz/fuzz_$t"; done)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The number in the last line of $2/fuzz.log that matches the ERE $1 (with
# the number as its group), or "?".
stat_of() {
	sed -nE "s/.*$1.*/\1/p" "$2/fuzz.log" | tail -n 1 | grep . ||
		echo '?'
}

first_word() {
	echo "${1%% *}"
}

# Runs one target; leaves its summary line in $work/$t/result.
run_target() {
	local t=$1 bin=build/fuzz/fuzz_$1 w=$work/$1
	local regs=() opts=() failed_regs=() problems=()

	[[ ${FUZZ_FRESH:-0} = 1 ]] && rm -rf "$w"
	mkdir -p "$w/corpus" "$w/artifacts"
	rm -f "$w/artifacts/"*
	cp -n tests/fuzz/corpus/"$t"/* "$w/corpus/" 2>/dev/null || true

	shopt -s nullglob
	regs=(tests/fuzz/regressions/"$t"-*.bin)
	shopt -u nullglob
	opts=(-timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}"
	      -artifact_prefix="$w/artifacts/")
	if [[ -n ${dict[$t]:-} ]]; then
		opts+=(-dict="tests/fuzz/dict/${dict[$t]}.dict")
	fi

	# The crashes found earlier, each on its own so that all are named.
	: >"$w/regressions.log"
	for r in "${regs[@]}"; do
		if ! "$bin" "${opts[@]}" -artifact_prefix="$w/regress-" "$r" \
		     >>"$w/regressions.log" 2>&1; then
			failed_regs+=("$(basename "$r")")
		fi
	done
	if ((${#failed_regs[@]} > 0)); then
		problems+=("REGRESSION ${failed_regs[*]} (see $w/regressions.log)")
	fi

	if ((secs == 0)); then
		# Replay only: every seed must pass.
		if ! "$bin" "${opts[@]}" -runs=0 -print_final_stats=1 \
		     "$w/corpus" >"$w/fuzz.log" 2>&1; then
			problems+=("CRASH on a seed (see $w/fuzz.log)")
		fi
	elif ! "$bin" "${opts[@]}" -max_total_time="$secs" \
	     -print_final_stats=1 "$w/corpus" >"$w/fuzz.log" 2>&1; then
		problems+=("CRASH (see $w/fuzz.log)")
	fi

	for a in "$w"/artifacts/*; do
		[[ -e $a ]] || continue
		mkdir -p "$crashes"
		cp "$a" "$crashes/$t-$(basename "$a")"
		problems+=("input: $crashes/$t-$(basename "$a")")
	done

	local execs rate cov ft corp
	execs=$(stat_of 'stat::number_of_executed_units: *([0-9]+)' "$w")
	rate=$(stat_of 'stat::average_exec_per_sec: *([0-9]+)' "$w")
	cov=$(stat_of 'cov: ([0-9]+)' "$w")
	ft=$(stat_of 'ft: ([0-9]+)' "$w")
	corp=$(stat_of 'corp: ([0-9]+)' "$w")
	printf '%-9s %-10s execs=%-10s exec/s=%-7s cov=%-5s ft=%-6s corpus=%s\n' \
		"$t" "$(first_word "${problems[0]:-ok}")" "$execs" "$rate" "$cov" \
		"$ft" "$corp" >"$w/result"
	for p in "${problems[@]}"; do
		echo "          $p" >>"$w/result"
	done
}

running=0
for t in $targets; do
	run_target "$t" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

failed=0
for t in $targets; do
	cat "$work/$t/result"
	if ! head -1 "$work/$t/result" | grep -qE '^[a-z]+ +ok '; then
		failed=1
	fi
done
exit $failed
