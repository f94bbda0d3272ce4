# Shared by bench/run.sh and bench/dataset.sh: where an instance of the dev
# stack (deploy/dev/stack.sh) keeps its database, and how to reach it.
# Sourced with ROOT set to the repository.

PGBIN=/usr/lib/postgresql/15/bin
# The benchmark's own files (its sockets, nginx, logs, results, dataset
# stamps); not var/bench, which is the `bench` stack instance's.
BENCH_VAR=$ROOT/var/benchmark
BENCH_BIN=$ROOT/build/bench

# inst_setup <instance>: sets INST, VAR, PG_PORT, DB, RUNAS, SVC_USER.
inst_setup() {
	INST=$1
	VAR=$ROOT/var/$INST
	case $INST in
	run) PG_PORT=54380 ;;
	test) PG_PORT=54381 ;;
	bench) PG_PORT=54382 ;;
	*) echo "unknown instance $INST" >&2; return 2 ;;
	esac
	DB=hgkm
	if [ "$(id -u)" -eq 0 ]; then
		SVC_USER=hgkm
		RUNAS=(setpriv --reuid=hgkm --regid=hgkm --init-groups --)
	else
		SVC_USER=$(id -un)
		RUNAS=()
	fi
}

log() { printf '%s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# psql as the database owner (peer authentication on the unix socket).
# The first argument is the database.
psql_su() {
	local db=$1; shift
	"${RUNAS[@]}" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VAR/run" \
		-p "$PG_PORT" -d "$db" "$@"
}

# One value from a query.
psql_val() { psql_su "$1" -tAc "$2"; }

# Compiles the benchmark helpers into build/bench/ (not through the shared
# Makefile: these files belong to bench/).  Needs build/release/libapp.a.
build_bench_tools() {
	local pkgs="fcgi libpq jansson libjwt libsodium libcmark libqrencode libmagic"
	local warn="-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
		-Wmissing-prototypes -D_GNU_SOURCE -O2 -g"
	mkdir -p "$BENCH_BIN"
	if [ ! -x "$BENCH_BIN/fcgi_baseline" ] ||
		[ "$ROOT/bench/fcgi_baseline.c" -nt "$BENCH_BIN/fcgi_baseline" ]; then
		# shellcheck disable=SC2086
		gcc $warn -o "$BENCH_BIN/fcgi_baseline" "$ROOT/bench/fcgi_baseline.c" \
			$(pkg-config --cflags --libs fcgi libpq)
	fi
	if [ ! -x "$BENCH_BIN/bench-tool" ] ||
		[ "$ROOT/bench/tool.c" -nt "$BENCH_BIN/bench-tool" ] ||
		[ "$ROOT/build/release/libapp.a" -nt "$BENCH_BIN/bench-tool" ]; then
		# shellcheck disable=SC2086
		gcc $warn -I"$ROOT/backend/src" $(pkg-config --cflags $pkgs) \
			-o "$BENCH_BIN/bench-tool" "$ROOT/bench/tool.c" \
			"$ROOT/build/release/libapp.a" $(pkg-config --libs $pkgs) \
			-lhpdf -lcsv -lm
	fi
}

# The password of every generated account (not a secret: bench data only).
bench_password() { printf 'bench-wachtwoord-%s' "$1"; }
