#!/bin/bash
# Brings a local stack up or down: PostgreSQL cluster, migrations, content,
# demo data, the FastCGI service and nginx, all under var/<instance>/.
#   stack.sh up run     development stack on 127.0.0.1:8080 (release build)
#   stack.sh up test    test stack on 127.0.0.1:8081 (sanitizer build)
#   stack.sh up bench   benchmark stack on 127.0.0.1:8082 (release build;
#                       bench/run.sh loads the national dataset into it)
#   stack.sh up check   like test, but the release build on 127.0.0.1:8085,
#                       for tests/valgrind/run.sh; HGKM_SERVICE_WRAPPER
#                       (e.g. "valgrind --leak-check=full") runs the
#                       service under that command
#   stack.sh down run|test|bench|check
#   stack.sh restart-service run|test
# PostgreSQL refuses to run as root, so as root everything runs as the
# unprivileged system user "hgkm".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ACTION=${1:?usage: stack.sh up|down|restart-service run|test}
INST=${2:?usage: stack.sh up|down|restart-service run|test}
case $INST in
run)  HTTP_PORT=${HGKM_HTTP_PORT:-8080}; PG_PORT=54380; FLAVOR=release
      AUTH_RATE=10r/s; REGISTER_LIMIT=30; WORKERS=${HGKM_WORKERS:-0} ;;
test) HTTP_PORT=${HGKM_TEST_HTTP_PORT:-8081}; PG_PORT=54381; FLAVOR=asan
      AUTH_RATE=1000r/s; REGISTER_LIMIT=100000; WORKERS=${HGKM_WORKERS:-4} ;;
bench) HTTP_PORT=${HGKM_BENCH_HTTP_PORT:-8082}; PG_PORT=54382; FLAVOR=release
      AUTH_RATE=10r/s; REGISTER_LIMIT=30; WORKERS=${HGKM_WORKERS:-0} ;;
check) HTTP_PORT=${HGKM_CHECK_HTTP_PORT:-8085}; PG_PORT=54385; FLAVOR=release
      AUTH_RATE=1000r/s; REGISTER_LIMIT=100000; WORKERS=${HGKM_WORKERS:-2} ;;
*)    echo "unknown instance $INST" >&2; exit 2 ;;
esac

VAR=$ROOT/var/$INST
PGBIN=/usr/lib/postgresql/15/bin
BIN=$ROOT/build/$FLAVOR
SOCK=$VAR/run/hgkm.sock
DB=hgkm
APP_ROLE=hgkm_app

if [ "$(id -u)" -eq 0 ]; then
	SVC_USER=hgkm
	RUNAS=(setpriv --reuid=hgkm --regid=hgkm --init-groups --)
else
	SVC_USER=$(id -un)
	RUNAS=()
fi

log() { printf '%s\n' "$*" >&2; }

# The folders and their owners (root's, or the service user's).
. "$ROOT/deploy/dev/layout.sh"
# What the service and PostgreSQL write (they run as the service user).
SVC_LOG=$VAR/log/service
# Pid files of the processes root starts, in root's folder.
PIDS=$VAR/pids

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until a command succeeds, polling, at most $1 tenths of a second.
wait_for() {
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

psql_su() { "${RUNAS[@]}" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$VAR/run" -p "$PG_PORT" "$@"; }

prepare_dirs() {
	if [ "$(id -u)" -eq 0 ] && ! id hgkm >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin hgkm
	fi
	take_over_layout
	if [ ! -s "$VAR/secrets/jwt.key" ]; then
		(umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$VAR/secrets/jwt.key")
	fi
	if [ ! -s "$VAR/secrets/db.password" ]; then
		(umask 077; head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$VAR/secrets/db.password")
	fi
	chmod 600 "$VAR/secrets/jwt.key" "$VAR/secrets/db.password"
	if [ "$(id -u)" -eq 0 ]; then
		# The service reads the key; only root needs the password.
		chown root:hgkm "$VAR/secrets/jwt.key"
		chmod 640 "$VAR/secrets/jwt.key"
		chown root:root "$VAR/secrets/db.password"
	fi
	return 0
}

# The folders as layout.sh wants them, also for an instance that an older
# stack.sh made (and maybe still runs): every action starts with this.
take_over_layout() {
	layout_make "$VAR" "$SVC_USER"
	[ "$(id -u)" -eq 0 ] && reclaim_root_files
	adopt_legacy_pid hgkm.pid "$BIN/hgkm-fcgi"
	adopt_legacy_pid nginx.pid "nginx: master process nginx -c $VAR/nginx.conf"
	return 0
}

# An instance made by an older stack.sh belonged to hgkm as a whole.  Once
# layout_make has given the folders root writes in back to root, what hgkm
# left in them is taken back as well: a link, or a file with a second name
# (a hard link), is removed, not followed; any other file becomes root's.
reclaim_root_files() {
	local d f dirs=("$VAR" "$VAR/log" "$VAR/secrets" "$VAR/pids" "$VAR/tmp")
	# Other folders root made here (the browser tests' screenshots, the
	# fault tests' work folders), given away too by the older chown -R.
	while IFS= read -r -d '' d; do
		case ${d#"$VAR"/} in
		pg | run | mail | media) continue ;;
		esac
		chown -h root:root "$d"
		chmod go-w "$d"
		dirs+=("$d")
	done < <(find "$VAR" -mindepth 1 -maxdepth 1 -type d ! -user root -print0)
	for d in "${dirs[@]}"; do
		while IFS= read -r -d '' f; do
			if [ -L "$f" ] || [ "$(stat -c %h "$f")" -gt 1 ] || [ ! -f "$f" ]; then
				rm -f "$f"
			else
				chown -h root:root "$f"
			fi
		done < <(find "$d" -mindepth 1 -maxdepth 1 ! -type d ! -user root -print0)
	done
}

# An older stack.sh kept the pid files in run/ (hgkm's).  A stack it
# started and that still runs is taken over once, if the pid in the old
# file is really that process (the file was hgkm's to write): its pid goes
# into pids/, so that "down" and "up" find it.
adopt_legacy_pid() {
	local old=$VAR/run/$1 pid
	[ -f "$VAR/pids/$1" ] || [ ! -f "$old" ] || [ -L "$old" ] && { rm -f "$old"; return 0; }
	# Bounded: hgkm could have put a FIFO there.
	pid=$(timeout 2 head -c 16 -- "$old" 2>/dev/null | tr -dc 0-9)
	if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$2"; then
		echo "$pid" >"$VAR/pids/$1"
	fi
	rm -f "$old"
}

start_postgres() {
	if [ ! -f "$VAR/pg/PG_VERSION" ]; then
		log "Creating the PostgreSQL cluster in $VAR/pg"
		"${RUNAS[@]}" "$PGBIN/initdb" -D "$VAR/pg" -U "$SVC_USER" \
			--auth-local=peer --auth-host=reject -E UTF8 --locale=C.UTF-8 \
			${PG_NOSYNC:+--no-sync} >"$VAR/log/initdb.log"
		# Written as the service user: pg/ is its folder.
		"${RUNAS[@]}" tee "$VAR/pg/pg_hba.conf" >/dev/null <<-HBA
		# Only the unix socket in var/; no TCP at all.
		local all $SVC_USER peer
		local all $APP_ROLE scram-sha-256
		# A streaming replica on the same machine (docs/capacity.md).
		local replication $SVC_USER peer
		HBA
		{
			echo "listen_addresses = ''"
			echo "unix_socket_directories = '$VAR/run'"
			echo "port = $PG_PORT"
			echo "max_connections = 200"
			echo "password_encryption = 'scram-sha-256'"
			if [ "$INST" = test ] || [ "$INST" = check ]; then
				# Tests need no durability across a power cut.
				echo "fsync = off"
				echo "synchronous_commit = off"
			fi
			if [ "$INST" = bench ]; then
				# Durable like production; room for the dataset's bulk
				# load without a checkpoint every few seconds.
				echo "max_wal_size = 8GB"
				echo "checkpoint_timeout = 15min"
			fi
		} | "${RUNAS[@]}" tee -a "$VAR/pg/postgresql.conf" >/dev/null
	fi
	if ! "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" status >/dev/null 2>&1; then
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" -l "$SVC_LOG/postgresql.log" \
			-w -t 30 start >/dev/null
	fi
}

setup_database() {
	if [ -z "$(psql_su -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
		psql_su -d postgres -c "CREATE DATABASE $DB"
	fi
	psql_su -d "$DB" -v pw="$(cat "$VAR/secrets/db.password")" <<-SQL
	SELECT format('CREATE ROLE %I LOGIN', '$APP_ROLE')
	WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE') \gexec
	ALTER ROLE $APP_ROLE PASSWORD :'pw';
	SQL
	"${RUNAS[@]}" "$ROOT/deploy/migrate.sh" --app-role "$APP_ROLE" -h "$VAR/run" -p "$PG_PORT" -d "$DB"
}

load_content_and_demo() {
	"${RUNAS[@]}" env DATABASE_URL="host=$VAR/run port=$PG_PORT dbname=$DB" \
		"$BIN/hgkm-content" load "$ROOT/content" >"$VAR/log/content.log" 2>&1 || {
		cat "$VAR/log/content.log" >&2
		log "The content in content/ was refused; nothing of it was loaded."
		exit 1
	}
	"$ROOT/deploy/dev/demo.sh" "$VAR" "$BIN" "$PG_PORT" "${RUNAS[*]:-}"
}

start_service() {
	stop_service
	local envs=(
		HGKM_DATABASE_URL="host=$VAR/run port=$PG_PORT dbname=$DB user=$APP_ROLE passfile=$VAR/secrets/pgpass"
		HGKM_JWT_SECRET_FILE="$VAR/secrets/jwt.key"
		HGKM_SOCKET="$SOCK"
		HGKM_MEDIA_DIR="$VAR/media"
		HGKM_SENDMAIL="$ROOT/deploy/dev/sendmail-to-file.sh $VAR/mail"
		HGKM_MAIL_FROM="HGKM leerplatform (ontwikkeling) <noreply@localhost>"
		HGKM_ERROR_LOG="$SVC_LOG/error.log"
		HGKM_ACCESS_LOG="$SVC_LOG/access.log"
		HGKM_PUBLIC_URL="http://127.0.0.1:$HTTP_PORT"
		HGKM_REGISTER_LIMIT="$REGISTER_LIMIT"
		HGKM_WORKERS="$WORKERS"
		ASAN_OPTIONS="detect_leaks=1:log_path=$SVC_LOG/asan:abort_on_error=0"
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SVC_LOG/ubsan"
	)
	# libpq wants the file 0600 and the service's own: written fresh in
	# root's secrets/, where no one else can put a link, then given away.
	rm -f "$VAR/secrets/pgpass"
	(umask 077; printf '*:*:*:%s:%s\n' "$APP_ROLE" "$(cat "$VAR/secrets/db.password")" >"$VAR/secrets/pgpass")
	[ "$(id -u)" -eq 0 ] && chown hgkm:hgkm "$VAR/secrets/pgpass"
	# shellcheck disable=SC2086 # the wrapper is a command with its options
	setsid "${RUNAS[@]}" env "${envs[@]}" ${HGKM_SERVICE_WRAPPER:-} "$BIN/hgkm-fcgi" \
		>>"$VAR/log/service.out" 2>&1 </dev/null &
	echo $! >"$PIDS/hgkm.pid"
	# Under a wrapper such as valgrind the start is many times slower.
	if ! wait_for "$([ -n "${HGKM_SERVICE_WRAPPER:-}" ] && echo 1200 || echo 100)" test -S "$SOCK"; then
		log "The service did not start; see $SVC_LOG/error.log and $VAR/log/service.out:"
		tail -n 20 "$VAR/log/service.out" "$SVC_LOG/error.log" >&2 || true
		exit 1
	fi
}

stop_service() {
	local pidf=$PIDS/hgkm.pid
	if alive "$pidf"; then
		kill -TERM "$(cat "$pidf")"
		wait_for 150 bash -c "! kill -0 $(cat "$pidf")" ||
			kill -KILL "$(cat "$pidf")" 2>/dev/null || true
	fi
	rm -f "$pidf"
}

start_nginx() {
	local user_line=""
	[ "$(id -u)" -eq 0 ] && user_line="user hgkm hgkm;"
	# Test stacks get URLs where nginx answers its own errors (for the
	# error-shape test); the development and bench stacks do not.
	local test_locations=""
	case $INST in
	test | check) test_locations="include $VAR/nginx-test-errors.conf;"
		sed -e "s|@VAR@|$VAR|g" "$ROOT/deploy/dev/nginx-test-errors.conf" \
			>"$VAR/nginx-test-errors.conf" ;;
	esac
	sed -e "s|@ROOT@|$ROOT|g" -e "s|@VAR@|$VAR|g" -e "s|@PORT@|$HTTP_PORT|g" \
		-e "s|@SOCKET@|$SOCK|g" -e "s|@USER_LINE@|$user_line|g" \
		-e "s|@AUTH_RATE@|$AUTH_RATE|g" \
		-e "s|@TEST_LOCATIONS@|$test_locations|g" \
		"$ROOT/deploy/dev/nginx.conf.in" >"$VAR/nginx.conf"
	if alive "$PIDS/nginx.pid"; then
		nginx -q -t -c "$VAR/nginx.conf" -p "$VAR" -e "$VAR/log/nginx-error.log"
		nginx -c "$VAR/nginx.conf" -p "$VAR" -e "$VAR/log/nginx-error.log" -s reload
	else
		nginx -c "$VAR/nginx.conf" -p "$VAR" -e "$VAR/log/nginx-error.log"
	fi
}

stop_nginx() {
	if alive "$PIDS/nginx.pid"; then
		local pid
		pid=$(cat "$PIDS/nginx.pid")
		kill -QUIT "$pid"
		wait_for 100 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
	fi
}

stop_postgres() {
	if [ -f "$VAR/pg/PG_VERSION" ] &&
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" status >/dev/null 2>&1; then
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$VAR/pg" -m fast -w stop >/dev/null
	fi
}

write_env() {
	cat >"$VAR/env" <<-ENV
	BASE_URL=http://127.0.0.1:$HTTP_PORT
	DATABASE_URL="host=$VAR/run port=$PG_PORT dbname=$DB user=$APP_ROLE password=$(cat "$VAR/secrets/db.password")"
	JWT_SECRET_FILE=$VAR/secrets/jwt.key
	DEMO_ACCOUNTS=$VAR/demo-accounts.tsv
	JOIN_CODES=$VAR/join-codes.tsv
	CONTENT_DIR=$ROOT/content
	VAR_DIR=$VAR
	SERVICE_LOG_DIR=$SVC_LOG
	PID_DIR=$PIDS
	ENV
	chmod 600 "$VAR/env"
}

print_summary() {
	echo
	echo "Het leerplatform draait: http://127.0.0.1:$HTTP_PORT/"
	echo
	echo "Schoolcodes (join codes) om je te registreren:"
	while IFS=$'\t' read -r name code; do
		printf '  %-8s  %s\n' "$code" "$name"
	done <"$VAR/join-codes.tsv"
	echo
	echo "Demo-accounts (rol, e-mail, wachtwoord):"
	while IFS=$'\t' read -r role email password; do
		printf '  %-14s %-26s %s\n' "$role" "$email" "$password"
	done <"$VAR/demo-accounts.tsv"
	echo
	echo "Logs: $VAR/log/ (de dienst: $SVC_LOG/)   Verzonden mail (als bestanden): $VAR/mail/"
	echo "Stoppen: make stop"
}

case $ACTION in
up)
	[ -x "$BIN/hgkm-fcgi" ] || { log "build first: make FLAVOR=$FLAVOR"; exit 1; }
	prepare_dirs
	start_postgres
	setup_database
	load_content_and_demo
	start_service
	start_nginx
	write_env
	if ! wait_for 300 curl -fsS "http://127.0.0.1:$HTTP_PORT/api/v1/health"; then
		log "The stack does not answer on port $HTTP_PORT; see $VAR/log/"
		exit 1
	fi
	if [ "$INST" = run ]; then print_summary; fi
	;;
restart-service)
	take_over_layout
	start_service
	;;
down)
	[ -d "$VAR" ] || exit 0
	take_over_layout
	stop_nginx
	stop_service
	stop_postgres
	;;
*)
	echo "unknown action $ACTION" >&2; exit 2 ;;
esac
