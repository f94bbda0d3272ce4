#!/bin/bash
# Signals and start checks of the service, against the running test stack
# (var/test; its port from var/test/env):
#   a. SIGUSR1 after logrotate moved error.log and access.log: the master,
#      every worker and the mailer write to fresh files; no access line is
#      lost across the move;
#   b. SIGHUP under load (4 curl loops through nginx): every request is
#      answered 2xx, the master keeps its pid, every worker is new;
#   c. hgkm-fcgi --check: with a wrong database password, an unreadable JWT
#      key, a missing media directory, a missing mail command and an unknown
#      socket group it exits 1 and names each; with the stack's settings it
#      exits 0; with only the mail command missing it exits 2 (the
#      service would start); it never creates the socket; against a database without the
#      migrations it names the schema; a worker count beyond
#      max_connections is lowered and named;
#   d. a normal start with a wrong database password exits 1 (systemd shows
#      the unit failed) instead of running on, and names the problem;
#   e. a start with socket-group: the socket is 0660 and of that group;
#   f. SIGHUP when the new binary's start checks fail (the media directory
#      not writable for the service user): under load every request is
#      answered 2xx, the master and every worker keep their pids, the
#      error log says the reload was refused; once it is writable again a
#      SIGHUP replaces every worker.
# Loopback only; every step is bounded in time; it stops everything it
# started.  Runs as root (the service as user hgkm, as the stack does) or
# as the user that owns the stack.
#
#   tests/fault/signals.sh [a b c d e f]   default: all
# Environment: FAULT_TIMEOUT (600 s, whole script), FAULT_WAIT (300 s),
# FAULT_KEEP=1 keeps the work directory var/test/fault-signals.<pid>/.
# Prints "ok - ..." / "not ok - ..." lines, "# ..." notes, and last
# "N passed, M failed"; exit status 0 only when nothing failed.
set -u
. "$(dirname "$0")/common.sh"

ONLY=" ${*:-a b c d e f} "
want() { [[ $ONLY == *" $1 "* ]]; }

fault_init signals
SAN_BEFORE=$(sanitizer_reports)
T_ALL=$(now_ms)
BIN=$ROOT/build/asan/hgkm-fcgi
LOGDIR=$SVC_LOG
# The service started by hand writes its socket and logs in a folder of its
# own; the work directory, where root writes, stays root's.
SVC_WORK=$WORK/service
mkdir -p "$SVC_WORK"
[ "$(id -u)" -eq 0 ] && chown "$SVC_USER:$SVC_USER" "$SVC_WORK"

# The stack's own settings (deploy/dev/stack.sh start_service), for the
# service started by hand in c, d and e; a socket and logs of its own.
good_env() {
	GOOD=(
		HGKM_DATABASE_URL="$DATABASE_URL"
		HGKM_JWT_SECRET_FILE="$JWT_SECRET_FILE"
		HGKM_MEDIA_DIR="$VAR/media"
		HGKM_SOCKET="$SVC_WORK/hgkm.sock"
		HGKM_SENDMAIL="$ROOT/deploy/dev/sendmail-to-file.sh $VAR/mail"
		HGKM_ERROR_LOG="$SVC_WORK/error.log"
		HGKM_ACCESS_LOG="$SVC_WORK/access.log"
		HGKM_WORKERS=1
		HGKM_START_WAIT=2
		ASAN_OPTIONS="detect_leaks=1:log_path=$SVC_LOG/asan:abort_on_error=0"
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SVC_LOG/ubsan"
	)
}
good_env
# svc <env...> -- <args...>: runs the binary as the service user.
svc() {
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	"${RUNAS[@]}" env "${GOOD[@]}" "${envs[@]}" "$BIN" "$@"
}

# The log files a process has open, one path per line.
open_logs() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		readlink "$fd" 2>/dev/null
	done | grep -E '/(error|access)\.log' | sort -u
}

# ---------------------------------------------------------------------------
# a. SIGUSR1 after logrotate's move
test_usr1() {
	local master pids pid i tag=usr1-$RUN_ID stale=0 waited=0 before after total
	note "a. SIGUSR1 after the logs were moved"
	master=$(master_pid)
	pids="$master $(child_pids | tr '\n' ' ')"
	# Requests before the move, between move and signal, and after it.
	for i in 1 2 3 4 5; do curl -s -o /dev/null "$BASE_URL/api/v1/_$tag/before/$i"; done
	rm -f "$LOGDIR/error.log.1" "$LOGDIR/access.log.1"
	mv "$LOGDIR/error.log" "$LOGDIR/error.log.1"
	mv "$LOGDIR/access.log" "$LOGDIR/access.log.1"
	for i in 1 2 3 4 5; do curl -s -o /dev/null "$BASE_URL/api/v1/_$tag/moved/$i"; done
	kill -USR1 "$master"
	# Every process lets go of the moved files (at most 5 s).
	while [ "$waited" -lt 50 ]; do
		stale=0
		for pid in $pids; do
			open_logs "$pid" | grep -q '\.log\.1$' && stale=$((stale + 1))
		done
		[ "$stale" -eq 0 ] && break
		sleep 0.1
		waited=$((waited + 1))
	done
	expect "$stale" -eq 0 -- "a: after SIGUSR1 no process (master and $(($(wc -w <<<"$pids") - 1)) children) writes to error.log.1 or access.log.1"
	for pid in $pids; do
		expect "$(open_logs "$pid" | grep -c -E "^$LOGDIR/(error|access)\.log$")" -eq 2 -- \
			"a: process $pid has the fresh error.log and access.log open"
	done
	for i in 1 2 3 4 5; do curl -s -o /dev/null "$BASE_URL/api/v1/_$tag/after/$i"; done
	before=$(grep -c "_$tag/before/" "$LOGDIR/access.log.1")
	after=$(grep -c "_$tag/after/" "$LOGDIR/access.log")
	total=$(cat "$LOGDIR/access.log.1" "$LOGDIR/access.log" | grep -c "_$tag/")
	expect "$before" -eq 5 -a "$after" -eq 5 -a "$total" -eq 15 -- \
		"a: access lines: 5 before the move in access.log.1, 5 after the signal in access.log, 15 of 15 in the two (got $before, $after, $total)"
	expect -f "$LOGDIR/error.log" -- "a: a fresh error.log was created"
	check grep -q "master: logs reopened" "$LOGDIR/error.log" -- \
		"a: the master's line about the reopen is in the fresh error.log"
	expect "$(stat -c %a "$LOGDIR/error.log")" = 640 -- "a: the fresh error.log has mode 0640"
}

# ---------------------------------------------------------------------------
# b. SIGHUP under load
test_hup() {
	local master workers_before workers_after common t_hup t_ready=0 r total failed n_before
	note "b. SIGHUP under load"
	master=$(master_pid)
	workers_before=$(worker_pids | tr '\n' ' ')
	n_before=$(wc -w <<<"$workers_before")
	load_start hup 4 "$TOKEN"
	sleep 2
	t_hup=$(now_ms)
	kill -HUP "$master"
	# The new workers: as many as before, none of the old ones (at most
	# 60 s: the old ones finish their requests, the new binary checks
	# the database first).
	while [ $(($(now_ms) - t_hup)) -lt 60000 ]; do
		workers_after=$(worker_pids | tr '\n' ' ')
		common=$(comm -12 <(tr ' ' '\n' <<<"$workers_before" | sort) <(tr ' ' '\n' <<<"$workers_after" | sort) | grep -c .)
		if [ "$common" -eq 0 ] && [ "$(wc -w <<<"$workers_after")" -eq "$n_before" ] &&
			grep -q "master: $n_before workers on" <(tail -n 50 "$LOGDIR/error.log"); then
			t_ready=$(now_ms)
			break
		fi
		sleep 0.1
	done
	sleep 2
	load_stop hup
	note "reload took $((t_ready - t_hup)) ms"
	r=$(load_report hup)
	total=$(field total "$r")
	failed=$(field failed "$r")
	note "load: $r"
	note "requests started while the workers were being replaced: $(load_lines hup "$t_hup" "$t_ready" | wc -l)"
	expect "$total" -ge 100 -- "b: the load sent $total requests through nginx (at least 100)"
	expect "$failed" -eq 0 -- "b: every request across the SIGHUP was answered 2xx ($failed of $total otherwise)"
	expect "$(master_pid)" = "$master" -a -d "/proc/$master" -- "b: the master keeps its pid $master"
	expect "$t_ready" -gt 0 -- "b: $n_before new workers replaced all $n_before old ones (before: $workers_before; after: $workers_after)"
	check grep -q "SIGHUP: reloading" "$LOGDIR/error.log" -- "b: the reload is logged"
	check grep -q "took over the listening socket" "$LOGDIR/error.log" -- \
		"b: the new binary took over the listening socket (logged)"
	expect "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/v1/health")" = 200 -- \
		"b: health answers 200 after the reload"
}

# ---------------------------------------------------------------------------
# c. --check
EMPTY_DB=
drop_empty_db() {
	[ -n "$EMPTY_DB" ] && psql_su -d postgres -c "DROP DATABASE IF EXISTS $EMPTY_DB" >/dev/null
	EMPTY_DB=
	return 0
}
test_check() {
	local out rc key=$WORK/jwt.key bad_url
	note "c. hgkm-fcgi --check"
	svc -- --check >"$WORK/check-good.out" 2>"$WORK/check-good.err"
	rc=$?
	expect "$rc" -eq 0 -a "$(grep -vc '^ok: ' "$WORK/check-good.out")" -eq 0 -- \
		"c: --check with the stack's settings exits 0, only ok: lines ($(wc -l <"$WORK/check-good.out"))"
	[ "$rc" -eq 0 ] || grep -v '^ok:' "$WORK/check-good.out" | sed 's/^/#   /'
	check grep -q '^ok: database-url: logged in as hgkm_app' "$WORK/check-good.out" -- \
		"c: --check says the database login and schema are fine"

	# An unreadable key: the stack's key, readable only by root (when
	# root), or by nobody.
	cp "$JWT_SECRET_FILE" "$key"
	if [ "$(id -u)" -eq 0 ]; then chown root:root "$key"; chmod 600 "$key"; else chmod 000 "$key"; fi
	bad_url=$(sed 's/password=[^ ]*/password=wrong-password/' <<<"$DATABASE_URL")
	svc HGKM_DATABASE_URL="$bad_url" HGKM_JWT_SECRET_FILE="$key" \
		HGKM_MEDIA_DIR="$WORK/no-media" HGKM_SENDMAIL="$WORK/no-sendmail -t -i" \
		HGKM_SOCKET_GROUP=no-such-group-hgkm -- --check >"$WORK/check-bad.out" 2>"$WORK/check-bad.err"
	rc=$?
	out=$WORK/check-bad.out
	sed 's/^/#   /' "$out"
	expect "$rc" -eq 1 -- "c: --check on a broken install exits 1"
	check grep -q "^problem: jwt-secret-file $key: cannot open (Permission denied)" "$out" -- \
		"c: the unreadable JWT key is named"
	check grep -q '^problem: database-url: cannot log in as hgkm_app (.*password authentication failed' "$out" -- \
		"c: the wrong database password is named"
	check grep -q "^problem: media-dir $WORK/no-media: No such file or directory" "$out" -- \
		"c: the missing media directory is named"
	check grep -q "^problem: sendmail $WORK/no-sendmail: is not an executable file" "$out" -- \
		"c: the missing mail command is named"
	check grep -q "^problem: socket-group no-such-group-hgkm: no such group" "$out" -- \
		"c: the unknown socket group is named"
	expect "$(grep -c '^problem: ' "$out")" -eq 5 -a "$(grep -vc -E '^(ok|note|problem): ' "$out")" -eq 0 -- \
		"c: exactly those five problems, one line each, every line ok:, note: or problem:"
	expect ! -e "$SVC_WORK/hgkm.sock" -- "c: --check created no socket"

	# A database without the migrations: the schema does not fit.
	EMPTY_DB=hgkm_signals_$$
	FAULT_CLEANUPS+=(drop_empty_db)
	psql_su -d postgres -c "CREATE DATABASE $EMPTY_DB" >/dev/null
	svc HGKM_DATABASE_URL="${DATABASE_URL/dbname=hgkm/dbname=$EMPTY_DB}" -- --check \
		>"$WORK/check-schema.out" 2>&1
	rc=$?
	expect "$rc" -eq 1 -- "c: --check against a database without the migrations exits 1"
	check grep -q '^problem: database-url: the schema does not fit this build (.*does not exist).*hgkm-admin migrate' \
		"$WORK/check-schema.out" -- "c: and says the schema does not fit and how to migrate"
	drop_empty_db

	# Only the mail command missing: the service would start (a reload
	# goes ahead on it), --check still says so and exits 2.
	svc HGKM_SENDMAIL="$WORK/no-sendmail -t -i" -- --check >"$WORK/check-mail.out" 2>&1
	rc=$?
	expect "$rc" -eq 2 -a "$(grep -c '^problem: ' "$WORK/check-mail.out")" -eq 1 -- \
		"c: --check with only the mail command missing exits 2 (got $rc), one problem line"

	svc HGKM_WORKERS=256 -- --check >"$WORK/check-cap.out" 2>&1
	check grep -q '^note: workers: 256 lowered to .*max_connections .*superuser_reserved_connections' "$WORK/check-cap.out" -- \
		"c: 256 workers are lowered to what max_connections allows, both settings named"
}

# ---------------------------------------------------------------------------
# d. a start with a wrong database password
test_start_fails() {
	local rc bad_url
	note "d. a start with a wrong database password"
	bad_url=$(sed 's/password=[^ ]*/password=wrong-password/' <<<"$DATABASE_URL")
	# The old service ran on, logging errors: timeout's 124 is a failure.
	timeout 30 "${RUNAS[@]}" env "${GOOD[@]}" HGKM_DATABASE_URL="$bad_url" "$BIN" \
		>"$WORK/start.out" 2>"$WORK/start.err"
	rc=$?
	expect "$rc" -eq 1 -- "d: the start exits with status 1 (got $rc; 124: still running after 30 s)"
	check grep -q 'database-url: cannot log in as hgkm_app' "$WORK/start.err" -- \
		"d: stderr (the journal) names the problem"
	check grep -q 'start: database-url: cannot log in' "$SVC_WORK/error.log" -- \
		"d: the error log names the problem"
	expect ! -e "$SVC_WORK/hgkm.sock" -- "d: no socket was created"
}

# ---------------------------------------------------------------------------
# e. socket-group
test_socket_group() {
	local group pid waited=0 rc runas
	note "e. socket-group"
	if [ "$(id -u)" -eq 0 ]; then
		group=www-data
		getent group "$group" >/dev/null || { note "no group $group here; skipped"; return 0; }
		# Without the group (the unit without SupplementaryGroups=).
		if ! id -nG "$SVC_USER" | grep -qw "$group"; then
			timeout 30 "${RUNAS[@]}" env "${GOOD[@]}" HGKM_SOCKET_GROUP="$group" "$BIN" \
				>"$WORK/grp-not.out" 2>"$WORK/grp-not.err"
			rc=$?
			expect "$rc" -eq 1 -- "e: a start with socket-group $group, which the service user is not in, exits 1 (got $rc)"
			check grep -q "socket-group $group: the service user is not in this group" "$WORK/grp-not.err" -- \
				"e: and says that the service user is not in the group"
		fi
		# As the unit runs it: SupplementaryGroups=www-data.
		runas=(setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --groups="$group" --)
	else
		group=$(id -gn)
		runas=()
	fi
	"${runas[@]}" env "${GOOD[@]}" HGKM_SOCKET_GROUP="$group" "$BIN" >"$WORK/grp.out" 2>&1 &
	pid=$!
	FAULT_PIDS+=("$pid")
	while [ ! -S "$SVC_WORK/hgkm.sock" ] && [ "$waited" -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		waited=$((waited + 1))
	done
	expect -S "$SVC_WORK/hgkm.sock" -- "e: the service started with socket-group $group"
	[ -S "$SVC_WORK/hgkm.sock" ] || sed 's/^/#   /' "$WORK/grp.out"
	expect "$(stat -c '%G %a' "$SVC_WORK/hgkm.sock" 2>/dev/null)" = "$group 660" -- \
		"e: the socket is of group $group, mode 0660 ($(stat -c '%U:%G %a' "$SVC_WORK/hgkm.sock" 2>/dev/null))"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	expect "$rc" -eq 0 -a ! -e "$SVC_WORK/hgkm.sock" -- "e: SIGTERM stops it (status $rc) and removes the socket"
}

# ---------------------------------------------------------------------------
# f. SIGHUP refused: the new binary's start checks fail
MEDIA_MODE=
restore_media() {
	[ -n "$MEDIA_MODE" ] && chmod "$MEDIA_MODE" "$VAR/media"
	MEDIA_MODE=
	return 0
}
# new_workers_since <old pids> <count> <ms>: waits (at most 60 s) until
# <count> workers run, none of them old, and the master said so.
new_workers_since() {
	local before=$1 n=$2 t0=$3 after common
	while [ $(($(now_ms) - t0)) -lt 60000 ]; do
		after=$(worker_pids | tr '\n' ' ')
		common=$(comm -12 <(tr ' ' '\n' <<<"$before" | sort) <(tr ' ' '\n' <<<"$after" | sort) | grep -c .)
		if [ "$common" -eq 0 ] && [ "$(wc -w <<<"$after")" -eq "$n" ] &&
			grep -q "master: $n workers on" <(tail -n 50 "$LOGDIR/error.log"); then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
test_hup_refused() {
	local master workers_before workers_after n_before t_hup refused=0 r total failed lines_before
	note "f. SIGHUP when the new binary's start checks fail"
	master=$(master_pid)
	workers_before=$(worker_pids | tr '\n' ' ')
	n_before=$(wc -w <<<"$workers_before")
	lines_before=$(wc -l <"$LOGDIR/error.log")
	# The service user cannot create a file in the media directory: the
	# checks fail; the running workers only read media, so they go on.
	MEDIA_MODE=$(stat -c %a "$VAR/media")
	FAULT_CLEANUPS+=(restore_media)
	chmod 0500 "$VAR/media"
	svc -- --check >"$WORK/check-media.out" 2>&1
	check grep -q "^problem: media-dir $VAR/media: cannot create a file in it" "$WORK/check-media.out" -- \
		"f: with the media directory 0500 the new binary's checks fail"
	load_start refused 4 "$TOKEN"
	sleep 2
	t_hup=$(now_ms)
	kill -HUP "$master"
	# The check may wait start-wait (the stack's: 15 s) + 15 s.
	while [ $(($(now_ms) - t_hup)) -lt 60000 ]; do
		if tail -n +"$((lines_before + 1))" "$LOGDIR/error.log" | grep -q "reload refused: the new binary's start checks failed"; then
			refused=1
			break
		fi
		sleep 0.1
	done
	sleep 2
	load_stop refused
	r=$(load_report refused)
	total=$(field total "$r")
	failed=$(field failed "$r")
	note "load: $r"
	workers_after=$(worker_pids | tr '\n' ' ')
	expect "$refused" -eq 1 -- "f: the error log says the reload was refused and why to look at --check"
	expect "$total" -ge 50 -- "f: the load sent $total requests through nginx (at least 50)"
	expect "$failed" -eq 0 -- "f: every request across the refused SIGHUP was answered 2xx ($failed of $total otherwise)"
	expect "$(master_pid)" = "$master" -a -d "/proc/$master" -- "f: the master keeps its pid $master"
	expect "$(tr ' ' '\n' <<<"$workers_after" | sort | xargs)" = "$(tr ' ' '\n' <<<"$workers_before" | sort | xargs)" -- \
		"f: the same $n_before workers run (before: $workers_before; after: $workers_after)"
	expect "$(tail -n +"$((lines_before + 1))" "$LOGDIR/error.log" | grep -c -e "SIGHUP: reloading" -e "workers stopped")" -eq 0 -- \
		"f: no worker was stopped for the refused reload"

	# Writable again: a normal reload.
	restore_media
	t_hup=$(now_ms)
	kill -HUP "$master"
	check new_workers_since "$workers_before" "$n_before" "$t_hup" -- \
		"f: with the media directory writable again a SIGHUP replaces all $n_before workers"
	expect "$(master_pid)" = "$master" -- "f: the master still has pid $master"
	expect "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/v1/health")" = 200 -- \
		"f: health answers 200 after the reload"
}

# ---------------------------------------------------------------------------
if want b || want f; then
	learner "signals-$RUN_ID-load@storing.example"
fi

want a && test_usr1
want b && test_hup
want c && test_check
want d && test_start_fails
want e && test_socket_group
want f && test_hup_refused

SAN_AFTER=$(sanitizer_reports)
expect "$SAN_AFTER" = "$SAN_BEFORE" -- "no new sanitizer report in var/test/log/service"
[ "$SAN_AFTER" = "$SAN_BEFORE" ] || comm -13 <(echo "$SAN_BEFORE") <(echo "$SAN_AFTER") | sed 's/^/#   /'
note "signals.sh took $((($(now_ms) - T_ALL) / 1000)) s"
summary
