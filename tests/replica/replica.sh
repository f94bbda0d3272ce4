#!/bin/bash
# The board and region reports from a PostgreSQL streaming replica
# (reports-database-url, docs/capacity.md), against the running test stack
# (var/test), all on this machine:
#  1. pg_basebackup -R of the test cluster into var/test/replica.<pid>/, as
#     the service user, over the cluster's unix socket (pg_hba.conf of the
#     dev stack: "local replication <service user> peer"); the replica
#     listens on its own socket directory only, like the stack's cluster;
#  2. a second hgkm-fcgi (the test build) with HGKM_REPORTS_DATABASE_URL
#     on the replica and HGKM_DATABASE_URL on the primary, and an nginx
#     from deploy/dev/nginx.conf.in on a free loopback port;
#  3. proves where the report comes from: the replica's pg_stat_activity
#     shows the service's reports connection; with replay paused, a change
#     on the primary is in the primary's report and not in the replica's,
#     and arrives once replay resumes; with the replica stopped, the board
#     report answers 503 while health and the other board pages (primary)
#     answer 200; started again, the report answers 200;
#  4. stops everything it started (EXIT trap), also when interrupted, and
#     a watchdog ends it after FAULT_TIMEOUT seconds (default 300).
# Prints "ok - ..." / "not ok - ..." and last "N passed, M failed".
set -u
. "$(dirname "$0")/../fault/common.sh"

FAULT_TIMEOUT=${FAULT_TIMEOUT:-300}
fault_init replica
BIN=$ROOT/build/${REPLICA_FLAVOR:-asan}
R=$VAR/replica.$$
R_PORT=${REPLICA_PG_PORT:-54391}  # names the socket file only: no TCP
H_PORT=
R_PID=
R_URL=
SUPER=("${RUNAS[@]}" "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1)

# A loopback port nothing listens on, for the replica's nginx.
free_port() {
	local p
	for p in $(seq 8091 8099); do
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

psql_replica() { "${SUPER[@]}" -h "$R/run" -p "$R_PORT" -d hgkm "$@"; }
pg_replica() { timeout 90 "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$R/pg" "$@"; }

replica_cleanup() {
	if [ -f "$R/pids/nginx.pid" ] && kill -0 "$(cat "$R/pids/nginx.pid")" 2>/dev/null; then
		local np
		np=$(cat "$R/pids/nginx.pid")
		kill -QUIT "$np"
		for _ in $(seq 50); do kill -0 "$np" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$np" 2>/dev/null
	fi
	if [ -n "$R_PID" ] && kill -0 "$R_PID" 2>/dev/null; then
		# Its own session: the master and its workers.
		kill -TERM -- "-$R_PID" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$R_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$R_PID" 2>/dev/null
	fi
	if [ -f "$R/pg/PG_VERSION" ] && pg_replica status >/dev/null 2>&1; then
		pg_replica -m immediate -w stop >/dev/null 2>&1
	fi
	if [ -n "$(ls "$R"/log/service/asan.* "$R"/log/service/ubsan.* 2>/dev/null)" ]; then
		cat "$R"/log/service/asan.* "$R"/log/service/ubsan.* 2>/dev/null | head -n 40 | sed 's/^/# /'
	fi
	[ -z "${FAULT_KEEP:-}" ] && rm -rf "$R"
	return 0
}
FAULT_CLEANUPS+=(replica_cleanup)

# rapi <method> <path> [token]: like api, against the replica's nginx.
rapi() {
	local args=(-s -m 30 -o "$WORK/last.body" -w '%{http_code}' -X "$1")
	[ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
	curl "${args[@]}" "http://127.0.0.1:$H_PORT$2"
}
# report_name <base_url> <token>: the name of the first school of the test
# board's report (one school), or the status when it is not 200.
report_of() {
	local out st
	out=$(curl -s -m 30 -w '\n%{http_code}' -H "Authorization: Bearer $2" \
		"$1/api/v1/boards/$FAULT_BOARD/coverage")
	st=${out##*$'\n'}
	if [ "$st" != 200 ]; then echo "status $st"; return; fi
	printf '%s\n' "${out%$'\n'*}" | jq -r '.schools[0].name + " | " + (.totals | tostring)'
}
# replay_caught_up: the replica has replayed everything the primary wrote.
# The insert position, not the write position: the test cluster runs with
# synchronous_commit = off, so a commit record may not be written yet.
replay_caught_up() {
	local lsn
	lsn=$(psql_su -c "SELECT pg_current_wal_insert_lsn()") || return 1
	[ "$(psql_replica -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null)" = t ]
}
wait_until() { # wait_until <tenths> <command...>
	local n=$1; shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}

# ---------------------------------------------------------------------------
# 1. The replica.
# Root's folder, with the service user's folders in it (as the stack's):
# root writes only in root's folders.
layout_make "$R" "$SVC_USER"
T0=$(now_ms)
if timeout 120 "${RUNAS[@]}" "$PGBIN/pg_basebackup" -h "$VAR/run" -p "$PG_PORT" \
	-U "$SVC_USER" -D "$R/pg" -R -X stream -c fast >"$R/log/basebackup.log" 2>&1; then
	ok "pg_basebackup -R -X stream of the test cluster in $(($(now_ms) - T0)) ms"
else
	sed 's/^/# /' "$R/log/basebackup.log"
	notok "pg_basebackup of the test cluster"; summary; exit 1
fi
# The copied postgresql.conf names the primary's port and socket directory;
# later lines win.
{
	echo "# tests/replica/replica.sh"
	echo "listen_addresses = ''"
	echo "port = $R_PORT"
	echo "unix_socket_directories = '$R/run'"
	echo "hot_standby = on"
} | "${RUNAS[@]}" tee -a "$R/pg/postgresql.conf" >/dev/null
if pg_replica -l "$R/log/service/postgresql.log" -w -t 60 start >/dev/null 2>&1 &&
	[ "$(psql_replica -c "SELECT pg_is_in_recovery()")" = t ]; then
	ok "the replica runs in recovery (hot standby) on $R/run, port $R_PORT"
else
	tail -n 20 "$R/log/service/postgresql.log" | sed 's/^/# /'
	notok "the replica did not start"; summary; exit 1
fi
# The walreceiver connects a moment after the start returns.
streaming() { [ "$(psql_su -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]; }
if wait_until 100 streaming; then
	ok "the primary streams to it (pg_stat_replication)"
else
	notok "the primary streams to it (pg_stat_replication: $(psql_su -c "SELECT state FROM pg_stat_replication"))"
fi

# ---------------------------------------------------------------------------
# 2. A second service with the reports on the replica, and its nginx.
H_PORT=$(free_port) || { notok "no free loopback port in 8091-8099"; summary; exit 1; }
R_URL="host=$R/run port=$R_PORT dbname=hgkm user=hgkm_app passfile=$VAR/secrets/pgpass application_name=hgkm-reports"
setsid "${RUNAS[@]}" env \
	HGKM_DATABASE_URL="host=$VAR/run port=$PG_PORT dbname=hgkm user=hgkm_app passfile=$VAR/secrets/pgpass" \
	HGKM_REPORTS_DATABASE_URL="$R_URL" \
	HGKM_JWT_SECRET_FILE="$VAR/secrets/jwt.key" HGKM_SOCKET="$R/run/hgkm.sock" \
	HGKM_MEDIA_DIR="$VAR/media" HGKM_SENDMAIL="$ROOT/deploy/dev/sendmail-to-file.sh $R/mail" \
	HGKM_ERROR_LOG="$R/log/service/error.log" HGKM_ACCESS_LOG="$R/log/service/access.log" \
	HGKM_PUBLIC_URL="http://127.0.0.1:$H_PORT" HGKM_WORKERS=2 \
	ASAN_OPTIONS="detect_leaks=1:log_path=$R/log/service/asan:abort_on_error=0" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$R/log/service/ubsan" \
	"$BIN/hgkm-fcgi" >>"$R/log/service.out" 2>&1 </dev/null &
R_PID=$!
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user $SVC_USER $SVC_USER;"
sed -e "s|@ROOT@|$ROOT|g" -e "s|@VAR@|$R|g" -e "s|@PORT@|$H_PORT|g" \
	-e "s|@SOCKET@|$R/run/hgkm.sock|g" -e "s|@USER_LINE@|$user_line|g" \
	-e "s|@AUTH_RATE@|1000r/s|g" -e "s|@TEST_LOCATIONS@||g" \
	"$ROOT/deploy/dev/nginx.conf.in" >"$R/nginx.conf"
if wait_until 150 test -S "$R/run/hgkm.sock" &&
	nginx -c "$R/nginx.conf" -p "$R" -e "$R/log/nginx-error.log" 2>"$R/log/nginx.out" &&
	wait_until 100 curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$H_PORT/api/v1/health"; then
	ok "a second hgkm-fcgi (reports on the replica) and nginx on 127.0.0.1:$H_PORT"
else
	tail -n 20 "$R/log/service.out" "$R/log/service/error.log" "$R/log/nginx.out" 2>/dev/null | sed 's/^/# /'
	notok "the second service or its nginx did not start"; summary; exit 1
fi

# ---------------------------------------------------------------------------
# 3. Where the report comes from.
ensure_fault_school || { summary; exit 1; }
ADMIN=$(demo_login admin) || { notok "the demo admin cannot log in"; summary; exit 1; }
wait_until 100 replay_caught_up
P=$(report_of "$BASE_URL" "$ADMIN")
Q=$(report_of "http://127.0.0.1:$H_PORT" "$ADMIN")
expect "$Q" = "$P" -a "${Q#status}" = "$Q" -- "the board report from the replica equals the primary's: $Q"
st=$(rapi GET /api/v1/regions/1/coverage "$ADMIN")
expect "$st" = 200 -- "a region report from the replica answers 200"
expect "$(psql_replica -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hgkm-reports'")" -ge 1 \
	-- "the replica serves the service's reports connection (pg_stat_activity, application_name hgkm-reports)"
expect "$(psql_su -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hgkm-reports'")" = 0 \
	-- "the primary has no reports connection"

# Replay paused: a change on the primary is not in the replica's report.
SCHOOL=$(psql_su -c "SELECT id FROM schools WHERE board_id = $FAULT_BOARD ORDER BY id LIMIT 1")
OLD_NAME=$(psql_su -c "SELECT name FROM schools WHERE id = $SCHOOL")
NEW_NAME="Replicatest $RUN_ID"
restore_name() {
	[ -n "${SCHOOL:-}" ] && psql_su -v n="$OLD_NAME" <<<"UPDATE schools SET name = :'n' WHERE id = $SCHOOL" 2>/dev/null
	return 0
}
FAULT_CLEANUPS=(restore_name "${FAULT_CLEANUPS[@]}")
psql_replica -c "SELECT pg_wal_replay_pause()" >/dev/null
replay_paused() { [ "$(psql_replica -c "SELECT pg_get_wal_replay_pause_state()")" = paused ]; }
wait_until 50 replay_paused
psql_su -v n="$NEW_NAME" <<<"UPDATE schools SET name = :'n' WHERE id = $SCHOOL"
P=$(report_of "$BASE_URL" "$ADMIN")
Q=$(report_of "http://127.0.0.1:$H_PORT" "$ADMIN")
expect "${P%% |*}" = "$NEW_NAME" -- "replay paused: the primary's report has the new name ($NEW_NAME)"
expect "${Q%% |*}" = "$OLD_NAME" -- "replay paused: the replica's report still has the old one ($OLD_NAME)"
psql_replica -c "SELECT pg_wal_replay_resume()" >/dev/null
if wait_until 100 replay_caught_up; then
	Q=$(report_of "http://127.0.0.1:$H_PORT" "$ADMIN")
	expect "${Q%% |*}" = "$NEW_NAME" -- "replay resumed: the replica's report has the new name"
else
	notok "replay resumed: the replica did not catch up within 10 s"
fi
restore_name

# The replica stopped: reports 503, the rest (primary) as before.
pg_replica -m fast -w stop >/dev/null 2>&1
st=$(rapi GET "/api/v1/boards/$FAULT_BOARD/coverage" "$ADMIN")
expect "$st" = 503 -- "replica stopped: the board report answers 503 ($(head -c 120 "$WORK/last.body"))"
st=$(rapi GET /api/v1/regions/1/coverage "$ADMIN")
expect "$st" = 503 -- "replica stopped: the region report answers 503"
st=$(rapi GET /api/v1/health)
expect "$st" = 200 -- "replica stopped: /api/v1/health (primary) answers 200"
st=$(rapi GET "/api/v1/boards/$FAULT_BOARD/coverage/history" "$ADMIN")
expect "$st" = 200 -- "replica stopped: the board's coverage over time (primary) answers 200"
pg_replica -l "$R/log/service/postgresql.log" -w -t 60 start >/dev/null 2>&1
# Asked again on each try (a "$(...)" argument would be asked once only): a
# worker whose reports connection went down with the replica answers the
# first report 503 and connects again on the next.
board_report_ok() { [ "$(rapi GET "/api/v1/boards/$FAULT_BOARD/coverage" "$ADMIN")" = 200 ]; }
if wait_until 100 board_report_ok; then
	ok "replica started again: the board report answers 200 again"
else
	notok "replica started again: the board report still answers $(rapi GET "/api/v1/boards/$FAULT_BOARD/coverage" "$ADMIN")"
	# What the replica and the second service said, for the next look.
	tail -n 15 "$R/log/service/postgresql.log" "$R/log/service/error.log" "$R/log/service.out" 2>&1 | sed "s/^/# /"
fi
if grep -q "reports-database-url = host=$R/run " "$R/log/service/error.log"; then
	ok "the service logs its reports-database-url setting"
else
	notok "the service logs its reports-database-url setting"
fi

# ---------------------------------------------------------------------------
# 4. Stop the service (sanitizer reports are written at exit), then look.
replica_stop_service() {
	kill -TERM -- "-$R_PID" 2>/dev/null
	wait_until 100 bash -c "! kill -0 $R_PID 2>/dev/null"
}
replica_stop_service
if [ -n "$(ls "$R"/log/service/asan.* "$R"/log/service/ubsan.* 2>/dev/null)" ]; then
	notok "sanitizer reports of the second service (below)"
else
	ok "no sanitizer report of the second service"
fi
summary
