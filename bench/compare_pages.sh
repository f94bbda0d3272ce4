#!/bin/bash
# bench/compare_pages.sh <old-commit>: GET /api/v1/modules/{slug} and GET
# /api/v1/modules of the working tree's release build against those of
# <old-commit>, for many callers of the bench instance's national dataset,
# byte for byte.  Both services run side by side on their own sockets in
# var/benchmark/compare/ (2 workers each) and are asked through cgi-fcgi, the
# same requests in the same second; stopped on exit.
#
#   bench/compare_pages.sh HEAD      # e.g. before committing a change
#
# Callers: learners with progress and certificates, learners who never
# started, IB'ers and the demo accounts; each asks for every module slug
# (also those outside its audience: 404 from both).  Prints the number of
# answers compared and every difference; exit 1 on a difference.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
OLD=${1:?usage: bench/compare_pages.sh <old-commit>}
inst_setup "${BENCH_INST:-bench}"
CMP=$BENCH_VAR/compare
rm -rf "$CMP"
mkdir -p "$CMP/src" "$CMP/run" "$CMP/old" "$CMP/new"
[ "$(id -u)" -eq 0 ] && chown "$SVC_USER:$SVC_USER" "$CMP/run"

command -v cgi-fcgi >/dev/null || die "compare: cgi-fcgi is missing (apt-get install libfcgi-bin)"
make -s FLAVOR=release all >&2
git archive "$OLD" | tar -x -C "$CMP/src"
make -s -C "$CMP/src" FLAVOR=release build/release/hgkm-fcgi >&2
build_bench_tools

PIDS=()
cleanup() {
	local rc=$?
	set +e
	for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 100); do kill -0 -- "-$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$p" 2>/dev/null
	done
	rm -rf "$CMP/src" "$CMP/tokens"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DBURL="host=$VAR/run port=$PG_PORT dbname=$DB user=hgkm_app passfile=$VAR/secrets/pgpass"
for which in old new; do
	bin=build/release/hgkm-fcgi
	[ "$which" = old ] && bin=$CMP/src/build/release/hgkm-fcgi
	setsid "${RUNAS[@]}" env HGKM_DATABASE_URL="$DBURL" \
		HGKM_JWT_SECRET_FILE="$VAR/secrets/jwt.key" \
		HGKM_SOCKET="$CMP/run/$which.sock" HGKM_MEDIA_DIR="$VAR/media" \
		HGKM_ERROR_LOG="$CMP/run/$which-error.log" HGKM_ACCESS_LOG=/dev/null \
		HGKM_PUBLIC_URL=http://127.0.0.1 HGKM_WORKERS=2 "$bin" \
		>>"$CMP/run/$which.out" 2>&1 </dev/null &
	PIDS+=($!)
done
for which in old new; do
	for _ in $(seq 100); do [ -S "$CMP/run/$which.sock" ] && break; sleep 0.1; done
	[ -S "$CMP/run/$which.sock" ] || die "compare: the $which service does not listen"
done

psql_val "$DB" "
	(SELECT id FROM users WHERE email LIKE 'p%@bench.invalid'
	 AND EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = users.id)
	 ORDER BY id LIMIT 40)
	UNION (SELECT id FROM users WHERE email LIKE 'p%@bench.invalid'
	 AND EXISTS (SELECT 1 FROM section_progress p WHERE p.user_id = users.id)
	 AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.user_id = users.id)
	 ORDER BY id DESC LIMIT 40)
	UNION (SELECT id FROM users WHERE email LIKE 'p%@bench.invalid'
	 AND NOT EXISTS (SELECT 1 FROM section_progress p WHERE p.user_id = users.id)
	 ORDER BY id LIMIT 10)
	UNION (SELECT id FROM users WHERE role <> 'teacher' ORDER BY id LIMIT 20)
	UNION (SELECT id FROM users WHERE email NOT LIKE '%@bench.invalid' ORDER BY id LIMIT 20)" \
	>"$CMP/ids"
"$BENCH_BIN/bench-tool" tokens "$VAR/secrets/jwt.key" 600 <"$CMP/ids" >"$CMP/tokens"
psql_val "$DB" "SELECT slug FROM modules ORDER BY slug" >"$CMP/slugs"
echo "no-such-module" >>"$CMP/slugs"

ask() { # ask <which> <path> <token>
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$2" QUERY_STRING= \
		HTTP_AUTHORIZATION="Bearer $3" REMOTE_ADDR=127.0.0.1 \
		cgi-fcgi -bind -connect "$CMP/run/$1.sock"
}
n=0 differ=0 ok200=0
while read -r token; do
	n=$((n + 1))
	for path in /api/v1/modules $(sed 's|^|/api/v1/modules/|' "$CMP/slugs"); do
		f=$n$(echo "$path" | tr / _)
		# Status, headers and body; without ETag, which the module
		# page carries since issue 15 (its value is the new build's).
		ask old "$path" "$token" | grep -av '^ETag: ' >"$CMP/old/$f"
		ask new "$path" "$token" | grep -av '^ETag: ' >"$CMP/new/$f"
		if ! cmp -s "$CMP/old/$f" "$CMP/new/$f"; then
			differ=$((differ + 1))
			echo "differs: caller $n $path ($CMP/old/$f $CMP/new/$f)"
		fi
		head -1 "$CMP/new/$f" | grep -q '^Status: 200' && ok200=$((ok200 + 1))
	done
done <"$CMP/tokens"
total=$(find "$CMP/new" -type f | wc -l)
echo "compare_pages: $OLD against the working tree: $total answers of $n callers ($ok200 with 200), $differ differ"
[ "$differ" -eq 0 ]
