#!/bin/bash
# Fault tests against the running test stack (var/test, 127.0.0.1:8081):
#   a. PostgreSQL stopped under load: 503 "unavailable" within a second,
#      recovery within 5 s of its return, no restart of the service;
#   b. a worker killed with SIGKILL: replaced within a second, the load sees
#      at most the killed worker's own request fail;
#   c. nginx reloaded under load: no failed request;
#   d. exactly once: N users send the same passing attempt twice at the
#      same moment (default 500 users: 1,000 requests, 200 at a time;
#      FAULT_USERS=1000 for the full 2,000, about 90 s more on 2 cores):
#      exactly one certificate per user;
#   e. a roster import interrupted half-way changes nothing;
#   g. sendmail failing: the mail stays in the outbox, is retried and
#      delivered once sendmail works again, exactly once.
# Loopback only; every step is bounded in time; it stops everything it
# started (PostgreSQL is started again even when the script is interrupted).
#
#   tests/fault/faults.sh [a b c d e f g]   default: a to e and g
# (f, on request only: a 10,000-person roster, then 25,000 new people, must
# each import within the statement timeout; load-sensitive, see
# docs/security.md §5)
# Environment: FAULT_USERS (500), FAULT_TIMEOUT (600 s, whole script),
# FAULT_WAIT (300 s: waiting for other suites on the stack), FAULT_KEEP=1
# keeps the work directory var/test/fault-faults.<pid>/.
# Prints "ok - ..." / "not ok - ..." lines, "# ..." notes, and last
# "N passed, M failed"; exit status 0 only when nothing failed.
set -u
. "$(dirname "$0")/common.sh"

USERS=${FAULT_USERS:-500}
ONLY=" ${*:-a b c d e g} "
want() { [[ $ONLY == *" $1 "* ]]; }

fault_init faults
# shellcheck disable=SC2034
SAN_BEFORE=$(sanitizer_reports)
T_ALL=$(now_ms)


# ---------------------------------------------------------------------------
# a. PostgreSQL stopped under load
PG_STOPPED_BY_US=
restart_pg_if_needed() {
	if [ -n "$PG_STOPPED_BY_US" ] && ! pg_ctl_test status >/dev/null 2>&1; then
		note "starting PostgreSQL again after an interruption"
		pg_ctl_test -l "$SVC_LOG/postgresql.log" -w -t 60 start >/dev/null
	fi
}
FAULT_CLEANUPS+=(restart_pg_if_needed)

# probe <path> <outfile>: one request; appends "<start_ms> <status>
# <seconds> <content-type> <error code in the body or ->".
probe() {
	local t st rest code
	t=$(now_ms)
	rest=$(curl -s -m 15 -o "$WORK/probe.body" -H "Authorization: Bearer $TOKEN" \
		-w '%{http_code} %{time_total} %{content_type}' "$BASE_URL$1")
	code=$(sed -n 's/.*"error" *: *{ *"code" *: *"\([a-z_]*\)".*/\1/p' "$WORK/probe.body")
	echo "$t $rest ${code:--}" | tr -d ';' | awk '{print $1, $2, $3, $4, $NF}' >>"$2"
}

test_pg_outage() {
	local master workers_before t_stop t_down t_up t_first=0 t_stable=0 run=0 out=$WORK/probes
	local stop_ms rec_first rec_stable r bad max_probe max_load health
	note "a. PostgreSQL stopped under load"
	master=$(master_pid)
	workers_before=$(child_pids | tr '\n' ' ')
	load_start pg 6 "$TOKEN"
	sleep 2
	t_stop=$(now_ms)
	PG_STOPPED_BY_US=1
	pg_ctl_test -m fast -w -t 60 stop >/dev/null
	t_down=$(now_ms)
	stop_ms=$((t_down - t_stop))
	# The outage: probes for 3 s and at least 5 of each, modules
	# (authenticated) and health.  On 2 busy cores the load's curl loops
	# can slow this loop to a few rounds in 3 s, though each probe itself
	# answers in milliseconds; PostgreSQL stays down until the probes are
	# done (at most 15 s).
	: >"$out"
	: >"$WORK/health"
	while [ $(($(now_ms) - t_down)) -lt 3000 ] ||
		{ [ "$(wc -l <"$out")" -lt 5 ] && [ $(($(now_ms) - t_down)) -lt 15000 ]; }; do
		probe /api/v1/modules "$out"
		probe /api/v1/health "$WORK/health"
		sleep 0.05
	done
	pg_ctl_test -l "$SVC_LOG/postgresql.log" -w -t 60 start >/dev/null
	t_up=$(now_ms)
	PG_STOPPED_BY_US=
	# Recovery: until 20 probes in a row answer 200, at most 30 s (the
	# check below wants the run to start within 5 s; the loop itself may
	# be slow on busy cores, as above).
	: >"$WORK/recovery"
	while [ $(($(now_ms) - t_up)) -lt 30000 ]; do
		probe /api/v1/modules "$WORK/recovery"
		if [ "$(tail -n 1 "$WORK/recovery" | cut -d' ' -f2)" = 200 ]; then
			[ "$t_first" -eq 0 ] && t_first=$(tail -n 1 "$WORK/recovery" | cut -d' ' -f1)
			[ "$run" -eq 0 ] && t_stable=$(tail -n 1 "$WORK/recovery" | cut -d' ' -f1)
			run=$((run + 1))
			[ "$run" -ge 20 ] && break
		else
			run=0
		fi
		sleep 0.02
	done
	# The load goes on until 7 s after the return, for the check below.
	while [ $(($(now_ms) - t_up)) -lt 7000 ]; do sleep 0.2; done
	load_stop pg

	note "pg_ctl stop -m fast took ${stop_ms} ms; outage $((t_up - t_stop)) ms"
	bad=$(awk '!($2 == 503 && $4 ~ /^application\/json/ && $5 == "unavailable")' "$out" | wc -l)
	expect "$(wc -l <"$out")" -ge 5 -a "$bad" -eq 0 -- \
		"a: every request during the outage got 503 unavailable as JSON ($(wc -l <"$out") probes of GET /api/v1/modules, $bad otherwise)"
	[ "$bad" -eq 0 ] || head -n 5 "$out" | sed 's/^/#   /'
	health=$(awk '!($2 == 503 && $5 == "unavailable")' "$WORK/health" | wc -l)
	expect "$health" -eq 0 -- \
		"a: GET /api/v1/health during the outage: 503 with the error shape ($(wc -l <"$WORK/health") probes, $health otherwise)"
	max_probe=$(awk '{ms = $3 * 1000; if (ms > m) m = ms} END {printf "%d", m}' "$out" "$WORK/health")
	r=$(load_report pg "$t_stop" "$t_up")
	max_load=$(field max_ms "$r")
	note "load during the outage: $r"
	expect "$max_probe" -lt 1000 -a "$max_load" -lt 1000 -- \
		"a: answers within a second during the outage (max latency: probes ${max_probe} ms, load ${max_load} ms)"
	bad=$(load_lines pg "$t_stop" "$t_up" | awk '$2 != 200 && $2 != 204 && $2 != 503' | wc -l)
	expect "$bad" -eq 0 -- \
		"a: no request of the load got anything but 200/204/503 during the outage ($bad did)"
	if [ "$t_first" -gt 0 ]; then
		rec_first=$((t_first - t_up))
		rec_stable=$((t_stable - t_up))
	else
		rec_first=99999; rec_stable=99999
	fi
	expect "$run" -ge 20 -a "$rec_stable" -le 5000 -- \
		"a: recovered by itself ${rec_first} ms after PostgreSQL was back (20 answers in a row 200 from ${rec_stable} ms on)"
	r=$(load_report pg $((t_up + 5000)) 99999999999999)
	note "load from 5 s after the return: $r"
	expect "$(field failed "$r")" -eq 0 -a "$(field total "$r")" -gt 0 -- \
		"a: no failed request of the load from 5 s after the return on ($(field total "$r") requests)"
	expect "$(master_pid)" = "$master" -a "$(child_pids | tr '\n' ' ')" = "$workers_before" -- \
		"a: no restart: master $master and its children ($workers_before) are the same processes"
	note "load over the whole of a: $(load_report pg)"
}

# ---------------------------------------------------------------------------
# b. A worker killed with SIGKILL
test_worker_kill() {
	local master n nw before victim t0 t1 t_ready after kills=3 k r failed new line
	local kids=() procf
	note "b. a worker killed with SIGKILL, $kills times, under load"
	master=$(master_pid)
	procf=/proc/$master/task/$master/children
	n=$(child_pids | wc -l)
	nw=$(worker_count)
	note "master $master: $n children, $nw of them FastCGI workers"
	load_start kill 6 "$TOKEN"
	sleep 1
	for k in $(seq 1 $kills); do
		before=$(child_pids)
		victim=$(worker_pids | head -n $k | tail -n 1)
		t0=$(now_ms)
		kill -KILL "$victim"
		# Polls the master's children without forking (ps would add its own
		# start-up time to the measure).
		while [ $(($(now_ms) - t0)) -lt 3000 ]; do
			if [ -r "$procf" ]; then
				read -r -a kids <"$procf"
			else
				mapfile -t kids < <(child_pids)
			fi
			if [ "${#kids[@]}" -eq "$n" ] && [[ " ${kids[*]} " != *" $victim "* ]]; then
				break
			fi
			sleep 0.005
		done
		t1=$(now_ms)
		after=$(child_pids)
		# comm wants text order; child_pids is in numeric order.
		new=$(comm -13 <(sort <<<"$before") <(sort <<<"$after") | head -n 1)
		# Ready: the new worker's own log line once its connection is up.
		t_ready=
		while [ -n "$new" ] && [ $(($(now_ms) - t0)) -lt 3000 ]; do
			line=$(grep -m 1 "\\[$new\\] info: db: connected" "$SVC_LOG/error.log")
			if [ -n "$line" ]; then
				t_ready=$(( $(date -d "$(cut -d' ' -f1 <<<"$line")" +%s%3N) - t0 ))
				break
			fi
			sleep 0.02
		done
		expect "$(worker_count)" -eq "$nw" -a -n "$new" -a $((t1 - t0)) -lt 1000 -a "${t_ready:-9999}" -lt 1000 -- \
			"b: worker $victim killed: new worker $new forked after $((t1 - t0)) ms, connected to PostgreSQL and ready after ${t_ready:-?} ms; $(worker_count) workers"
		sleep 1
	done
	sleep 1
	load_stop kill
	r=$(load_report kill)
	failed=$(field failed "$r")
	note "load during b: $r"
	expect "$failed" -le "$kills" -- \
		"b: the load saw $failed failed requests for $kills kills (at most the killed workers' own requests may fail)"
	expect "$(master_pid)" = "$master" -- "b: the master is the same process ($master)"
	check grep -q "worker $victim ended (signal 9)" "$SVC_LOG/error.log" -- \
		"b: the master logged the end of worker $victim"
}

# ---------------------------------------------------------------------------
# c. nginx reloaded under load
test_nginx_reload() {
	local master before after i r reloads=3
	note "c. nginx reloaded $reloads times under load"
	master=$(cat "$PID_DIR/nginx.pid")
	before=$(ps -o pid= --ppid "$master" | sort)
	load_start reload 6 "$TOKEN"
	sleep 1
	for i in $(seq 1 $reloads); do
		# The flags of deploy/dev/stack.sh start_nginx.
		nginx -q -t -c "$VAR/nginx.conf" -p "$VAR" -e "$VAR/log/nginx-error.log" &&
			nginx -c "$VAR/nginx.conf" -p "$VAR" -e "$VAR/log/nginx-error.log" -s reload
		sleep 0.7
	done
	sleep 1
	load_stop reload
	after=$(ps -o pid= --ppid "$master" | sort)
	expect -n "$(comm -13 <(echo "$before") <(echo "$after"))" -a "$(cat "$PID_DIR/nginx.pid")" = "$master" -- \
		"c: nginx reloaded: master $master kept, new worker processes"
	r=$(load_report reload)
	note "load during c: $r"
	expect "$(field failed "$r")" -eq 0 -a "$(field total "$r")" -gt 100 -- \
		"c: no failed request during $reloads reloads ($(field total "$r") requests, max $(field max_ms "$r") ms)"
}

# ---------------------------------------------------------------------------
# d. Exactly once: USERS users, two identical passing attempts each, sent
# together, 200 requests in flight.  Each user first starts the quiz (the
# draw is stored with the attempt); both requests of a user submit that one
# attempt with the right answers to what was drawn.
# _blocks <kind> <from> <to>: curl config for users from..to.
test_exactly_once() {
	local join t0 t1 r i k dir=$WORK/eo prefix="fo-$RUN_ID" sections s
	local registered tokens_ok wrong dup missing one attempts resp_bad codes_differ tok a b
	note "d. exactly once: $USERS users × 2 identical passing attempts at once"
	mkdir -p "$dir/reg" "$dir/att"
	ensure_fault_school || return
	join=$FAULT_JOIN
	sections=$(psql_app -c "SELECT s.id FROM sections s JOIN modules m ON m.id = s.module_id
		WHERE m.slug = 'meldcode-kort' AND s.active ORDER BY s.position")

	# Registration, 16 at a time.
	t0=$(now_ms)
	for i in $(seq 1 "$USERS"); do
		printf 'url = "%s/api/v1/auth/register"\nheader = "Content-Type: application/json"\n' "$BASE_URL"
		printf 'data-binary = "{\\"email\\":\\"%s-%d@storing.example\\",\\"name\\":\\"Storingstest %d\\",\\"password\\":\\"%s\\",\\"join_code\\":\\"%s\\"}"\n' \
			"$prefix" "$i" "$i" "$FAULT_PASSWORD" "$join"
		printf 'output = "%s/reg/%d"\nsilent\nmax-time = 60\nwrite-out = "%d %%{http_code}\\n"\nnext\n' "$dir" "$i" "$i"
	done | sed '$d' >"$dir/reg.cfg"
	curl --parallel --parallel-max 16 --config "$dir/reg.cfg" >"$dir/reg.status" 2>/dev/null
	t1=$(now_ms)
	registered=$(awk '$2 == 201' "$dir/reg.status" | wc -l)
	note "registered $registered of $USERS users in $((t1 - t0)) ms"
	for i in $(seq 1 "$USERS"); do
		tok=$(grep -o '"token":"[^"]*"' "$dir/reg/$i" 2>/dev/null | head -n 1 | cut -d'"' -f4)
		echo "$tok"
	done >"$dir/tokens"
	tokens_ok=$(grep -c . "$dir/tokens")
	if [ "$registered" -ne "$USERS" ] || [ "$tokens_ok" -ne "$USERS" ]; then
		notok "d: only $registered of $USERS users registered ($tokens_ok tokens)"
		return
	fi

	# Every section done, 32 at a time.
	t0=$(now_ms)
	i=0
	while read -r tok; do
		i=$((i + 1))
		for s in $sections; do
			printf 'url = "%s/api/v1/modules/meldcode-kort/sections/%s"\nrequest = "PUT"\n' "$BASE_URL" "$s"
			printf 'header = "Authorization: Bearer %s"\noutput = "/dev/null"\nsilent\nmax-time = 60\n' "$tok"
			printf 'write-out = "%d %%{http_code}\\n"\nnext\n' "$i"
		done
	done <"$dir/tokens" | sed '$d' >"$dir/sec.cfg"
	curl --parallel --parallel-max 32 --config "$dir/sec.cfg" >"$dir/sec.status" 2>/dev/null
	t1=$(now_ms)
	r=$(awk '$2 != 204' "$dir/sec.status" | wc -l)
	note "$(wc -l <"$dir/sec.status") section PUTs in $((t1 - t0)) ms, $r not 204"
	if [ "$r" -ne 0 ]; then
		notok "d: $r section PUTs failed"
		return
	fi

	# Every user starts the quiz, 32 at a time.
	i=0
	while read -r tok; do
		i=$((i + 1))
		printf 'url = "%s/api/v1/modules/meldcode-kort/quiz"\nrequest = "POST"\n' "$BASE_URL"
		printf 'header = "Authorization: Bearer %s"\noutput = "/dev/null"\nsilent\nmax-time = 60\n' "$tok"
		printf 'write-out = "%d %%{http_code}\\n"\nnext\n' "$i"
	done <"$dir/tokens" | sed '$d' >"$dir/quiz.cfg"
	curl --parallel --parallel-max 32 --config "$dir/quiz.cfg" >"$dir/quiz.status" 2>/dev/null
	r=$(awk '$2 != 201' "$dir/quiz.status" | wc -l)
	if [ "$r" -ne 0 ]; then
		notok "d: $r quiz starts failed"
		return
	fi
	# The right answers to each user's draw: the key stored with the attempt
	# (what the server grades against, in the choice ids the attempt shows),
	# one file per user number.
	psql_app -F ' ' -c "SELECT substring(u.email from '-([0-9]+)@'),
		json_build_object('attempt_id', a.id, 'answers',
		  (SELECT json_object_agg(q->>'id', q->'correct') FROM jsonb_array_elements(a.draw) q))
		FROM users u JOIN quiz_attempts a ON a.user_id = u.id AND a.state = 'open'
		WHERE u.email LIKE '$prefix-%@storing.example'" |
		while read -r i a; do printf '%s' "$a" >"$dir/answers.$i.json"; done

	# The attempts: both of a user next to each other, 200 in flight.
	i=0
	while read -r tok; do
		i=$((i + 1))
		for k in 1 2; do
			printf 'url = "%s/api/v1/modules/meldcode-kort/attempts"\n' "$BASE_URL"
			printf 'header = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' "$tok"
			printf 'data-binary = "@%s/answers.%d.json"\noutput = "%s/att/%d.%d"\nsilent\nmax-time = 60\n' "$dir" "$i" "$dir" "$i" "$k"
			printf 'write-out = "%d %d %%{http_code} %%{time_total}\\n"\nnext\n' "$i" "$k"
		done
	done <"$dir/tokens" | sed '$d' >"$dir/att.cfg"
	t0=$(now_ms)
	curl --parallel --parallel-max 200 --config "$dir/att.cfg" >"$dir/att.status" 2>/dev/null
	t1=$(now_ms)
	resp_bad=$(awk '$3 != 200' "$dir/att.status" | wc -l)
	note "$(wc -l <"$dir/att.status") attempts in $((t1 - t0)) ms ($(awk '{ms = $4 * 1000; if (ms > m) m = ms} END {printf "max %d ms", m}' "$dir/att.status")), $resp_bad not 200"
	expect "$resp_bad" -eq 0 -a "$(wc -l <"$dir/att.status")" -eq $((2 * USERS)) -- \
		"d: all $((2 * USERS)) attempts answered 200"
	# Both answers of a user name the same certificate.
	codes_differ=0
	for i in $(seq 1 "$USERS"); do
		a=$(grep -o '"code":"[A-Za-z0-9_-]*"' "$dir/att/$i.1" 2>/dev/null)
		b=$(grep -o '"code":"[A-Za-z0-9_-]*"' "$dir/att/$i.2" 2>/dev/null)
		if [ -z "$a" ] || [ "$a" != "$b" ]; then
			codes_differ=$((codes_differ + 1))
		fi
	done
	expect "$codes_differ" -eq 0 -- \
		"d: both answers of each user name one and the same certificate ($codes_differ users differ)"
	# The database: exactly one certificate per user.
	read -r one dup missing wrong attempts < <(psql_app -F ' ' -c "
		WITH u AS (SELECT id FROM users WHERE email LIKE '$prefix-%@storing.example'),
		n AS (SELECT u.id, (SELECT count(*) FROM certificates c JOIN modules m ON m.id = c.module_id
		        WHERE c.user_id = u.id AND m.slug = 'meldcode-kort') AS n,
		      (SELECT count(*) FROM quiz_attempts a WHERE a.user_id = u.id
		        AND a.state = 'submitted') AS a FROM u)
		SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1),
		       count(*) FILTER (WHERE n = 0), (SELECT count(*) FROM u) - $USERS,
		       coalesce(sum(a), 0) FROM n")
	note "database: $one users with one certificate, $dup with more, $missing with none; $attempts attempts recorded"
	expect "$one" -eq "$USERS" -a "$dup" -eq 0 -a "$missing" -eq 0 -a "$wrong" -eq 0 -- \
		"d: exactly one certificate per user: $one of $USERS, $dup duplicated, $missing missing"
	# Both requests submitted the same attempt: graded once.
	expect "$attempts" -eq "$USERS" -- "d: the one attempt of every user graded once ($attempts of $USERS)"
	# The certificate the answers named is the one in the database.
	r=$(for i in $(seq 1 "$USERS"); do grep -o '"code":"[A-Za-z0-9_-]*"' "$dir/att/$i.1" | head -n 1 | cut -d'"' -f4; done |
		psql_app -F ' ' -c "CREATE TEMP TABLE seen (code text); COPY seen FROM STDIN;
		SELECT count(*), count(c.id) FROM seen LEFT JOIN certificates c USING (code)" 2>&1 | tail -n 1)
	expect "$r" = "$USERS $USERS" -- "d: every code in the answers is a certificate in the database (codes, found: $r)"
	# How many pairs really ran at the same time: the access log has the
	# end time, duration, worker and user of every request.
	psql_app -c "SELECT id FROM users WHERE email LIKE '$prefix-%@storing.example'" >"$dir/uids"
	r=$(awk -v since="$(date -u -d "@$((t0 / 1000 - 1))" +%Y-%m-%dT%H:%M:%S)" '
		FNR == NR { mine["user=" $1] = 1; next }
		$1 >= since && $3 == "POST" && $4 ~ /\/attempts$/ && ($7 in mine) {
			split(substr($1, 12, 12), hms, ":")
			end = (hms[1] * 3600 + hms[2] * 60 + hms[3]) * 1000000
			us = $6; sub(/us$/, "", us)
			n = ++cnt[$7]; e[$7, n] = end; s[$7, n] = end - us; w[$7, n] = $2
		}
		END {
			for (u in cnt) if (cnt[u] == 2) {
				pairs++
				if (s[u, 1] < e[u, 2] && s[u, 2] < e[u, 1]) both++
			}
			printf "%d %d", both, pairs
		}' "$dir/uids" "$SVC_LOG/access.log")
	note "pairs handled at the same time by two workers: ${r% *} of ${r#* } (from the access log)"
	expect "${r% *}" -gt 0 -- "d: the test did race: ${r% *} of ${r#* } pairs overlapped in time"
}

# ---------------------------------------------------------------------------
# e. A roster import interrupted half-way
# staff_state <board>: a checksum of the board's staff and of the accounts
# the roster could change.
staff_state() {
	psql_app -c "SELECT (SELECT count(*) || ':' || md5(coalesce(string_agg(
		concat_ws('|', st.id, st.school_id, st.email, st.name, st.role, st.left_at, st.user_id),
		',' ORDER BY st.id), '')) FROM staff st JOIN schools s ON s.id = st.school_id
		WHERE s.board_id = $1) || ' ' ||
		(SELECT count(*) || ':' || md5(coalesce(string_agg(concat_ws('|', id, role, school_id, board_id),
		',' ORDER BY id), '')) FROM users)"
}

# roster_file <board> <extra rows> <file>: the board's current staff plus
# new people, a valid roster.
roster_file() {
	local board=$1 extra=$2 file=$3
	{
		echo "email,name,role,brin"
		psql_app -F , -c "SELECT st.email, '\"' || replace(st.name, '\"', '\"\"') || '\"', st.role, s.brin
			FROM staff st JOIN schools s ON s.id = st.school_id
			WHERE s.board_id = $board AND st.left_at IS NULL AND s.closed_at IS NULL ORDER BY st.id"
		psql_app -F , -c "SELECT 'roster-$RUN_ID-' || g || '@storing.example', 'Nieuwe Medewerker ' || g,
			CASE WHEN g % 10 = 0 THEN 'ib' ELSE 'teacher' END,
			(SELECT array_agg(brin ORDER BY id) FROM schools WHERE board_id = $board AND closed_at IS NULL)
			  [1 + g % (SELECT count(*) FROM schools WHERE board_id = $board AND closed_at IS NULL)]
			FROM generate_series(1, $extra) g"
	} >"$file"
}

# New people in the test rosters: about 80 bytes a row, sent at RATE, so
# that the upload is cut at less than half.
ROSTER_ROWS=${FAULT_ROSTER_ROWS:-5000}
RATE=64K
test_roster_interrupted() {
	local token board before after size st rc up pid t0 code since seen
	note "e. a roster import interrupted half-way"
	token=$(demo_login board_admin) || { notok "e: board admin login"; return; }
	[ "$(api GET /api/v1/me "$token")" = 200 ] || { notok "e: GET /api/v1/me"; return; }
	board=$(sed -n 's/.*"board" *: *{ *"id" *: *\([0-9]*\).*/\1/p' "$WORK/last.body")
	note "board admin of board $board"
	roster_file "$board" "$ROSTER_ROWS" "$WORK/roster.csv"
	size=$(stat -c %s "$WORK/roster.csv")
	note "roster: $(($(wc -l <"$WORK/roster.csv") - 1)) rows, $size bytes (limit 5 MiB)"
	before=$(staff_state "$board")
	since=$(date -u +%Y-%m-%dT%H:%M:%S)

	# 1. The client gives up half-way (curl's time limit while rate-limited).
	t0=$(now_ms)
	up=$(curl -s -m 2 --limit-rate "$RATE" -o /dev/null -w '%{size_upload}' -X POST \
		-H "Authorization: Bearer $token" -H "Content-Type: text/csv" \
		--data-binary "@$WORK/roster.csv" "$BASE_URL/api/v1/boards/$board/roster")
	rc=$?
	note "client 1: curl exit $rc after $(($(now_ms) - t0)) ms, $up of $size bytes sent"
	# 2. The client is killed half-way.
	curl -s --limit-rate "$RATE" -o /dev/null -X POST -H "Authorization: Bearer $token" \
		-H "Content-Type: text/csv" --data-binary "@$WORK/roster.csv" \
		"$BASE_URL/api/v1/boards/$board/roster" &
	pid=$!
	FAULT_PIDS+=("$pid")
	sleep 1.5
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	note "client 2: killed after 1.5 s at $RATE/s (about $((15 * ${RATE%K} / 10)) KiB of $((size / 1024)) KiB sent)"
	sleep 2
	after=$(staff_state "$board")
	seen=$(awk -v since="$since" '$1 >= since && $3 == "POST" && $4 ~ /\/roster$/' "$SVC_LOG/access.log" | wc -l)
	note "roster requests that reached the service: $seen (nginx holds a body until it is complete)"
	expect "$rc" -eq 28 -a "$up" -lt "$size" -a "$before" = "$after" -- \
		"e: two uploads dropped half-way (timeout, kill) changed nothing (staff and accounts: $after)"

	# 3. Past nginx: the service itself gets half the body, then the
	# connection drops (cgi-fcgi speaks FastCGI to the socket directly).
	if command -v cgi-fcgi >/dev/null; then
		local half=$((size / 2)) w_before prod seen
		w_before=$(worker_pids | tr '\n' ' ')
		# 3a. The body ends early: the service must answer 400, not import.
		code=$(head -c "$half" "$WORK/roster.csv" | fcgi_roster "$board" "$token" "$size" 2>/dev/null |
			sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -n 1)
		# 3b. The connection drops while the service waits for the rest.
		mkfifo "$WORK/fifo"
		( head -c "$half" "$WORK/roster.csv"; sleep 20 ) >"$WORK/fifo" &
		prod=$!
		FAULT_PIDS+=("$prod")
		fcgi_roster "$board" "$token" "$size" <"$WORK/fifo" >/dev/null 2>&1 &
		pid=$!
		FAULT_PIDS+=("$pid")
		sleep 1.5
		kill_tree "$pid"
		kill_tree "$prod"
		sleep 1
		# Both requests reached a worker and were refused there.
		seen=$(awk -v since="$since" '$1 >= since && $3 == "POST" && $4 ~ /\/roster$/ {print $5}' \
			"$SVC_LOG/access.log" | sort | uniq -c | awk '{printf "%s%s×%s", (NR > 1 ? ", " : ""), $1, $2}')
		after=$(staff_state "$board")
		expect "$code" = 400 -a "$seen" = "2×400" -a "$before" = "$after" -- \
			"e: FastCGI straight to the service: half a body then EOF gave $code, half a body then a dropped connection; the service logged ${seen:-nothing}; nothing changed"
		expect "$(worker_pids | tr '\n' ' ')" = "$w_before" -- \
			"e: no worker died of the dropped FastCGI connection"
		st=$(api GET /api/v1/me "$token")
		expect "$st" = 200 -- "e: the service answers afterwards ($st)"
	else
		note "e: cgi-fcgi (Debian libfcgi-bin) not installed: the FastCGI-level variant is skipped"
	fi

	# 4. Control: the same kind of file, complete, is imported (on the test
	# board of d, never on the demo board).
	if ensure_fault_school; then
		local admin
		admin=$(demo_login admin)
		roster_file "$FAULT_BOARD" "$ROSTER_ROWS" "$WORK/roster2.csv"
		t0=$(now_ms)
		st=$(curl -s -m 60 -o "$WORK/last.body" -w '%{http_code}' -X POST \
			-H "Authorization: Bearer $admin" -H "Content-Type: text/csv" \
			--data-binary "@$WORK/roster2.csv" "$BASE_URL/api/v1/boards/$FAULT_BOARD/roster")
		expect "$st" = 200 -a "$(json_num created)" = "$ROSTER_ROWS" -- \
			"e: control: the same kind of file ($(stat -c %s "$WORK/roster2.csv") bytes) sent whole is imported: $st $(last_body) in $(($(now_ms) - t0)) ms"
	fi
}

# kill_tree <pid>: SIGKILL to a process we started and its children.
kill_tree() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------------------
# f. (on request only) A large roster right after another one must import
# within the service's statement timeout (5 s).  See docs/security.md §5.
test_roster_large() {
	local admin board st t0 n1=${FAULT_BIG1:-10000} n2=${FAULT_BIG2:-25000}
	note "f. a roster of $n1 people, then one of $n2 new people, into a new board"
	admin=$(demo_login admin) || { notok "f: admin login"; return; }
	[ "$(api POST /api/v1/boards "$admin" "{\"name\":\"Grote lijst $RUN_ID\"}")" = 201 ] || {
		notok "f: a board: $(last_body)"; return; }
	board=$(json_num id)
	[ "$(api POST /api/v1/schools "$admin" "{\"board_id\":$board,\"name\":\"Grote lijst $RUN_ID\",\"brin\":\"$(brin_for "$RUN_ID")\",\"municipality\":\"Teststad\"}")" = 201 ] || {
		notok "f: a school: $(last_body)"; return; }
	# Every worker has run the import more than five times first, as on a
	# server that has been up a while (PostgreSQL may then plan the prepared
	# statement generically, without the size of the arrays).
	printf 'email,name,role,brin\nwarm-%s@storing.example,Warm,teacher,%s\n' "$RUN_ID" \
		"$(psql_app -c "SELECT brin FROM schools WHERE board_id = $board")" >"$WORK/warm.csv"
	for n in $(seq 1 $((6 * $(worker_count) + 6))); do
		curl -s -m 30 -o /dev/null -H "Authorization: Bearer $admin" -H "Content-Type: text/csv" \
			--data-binary "@$WORK/warm.csv" "$BASE_URL/api/v1/boards/$board/roster"
	done
	for n in "$n1" "$n2"; do
		{
			echo "email,name,role,brin"
			psql_app -F , -c "SELECT 'big-$RUN_ID-$n-' || g || '@storing.example', 'Medewerker ' || g, 'teacher',
				(SELECT brin FROM schools WHERE board_id = $board) FROM generate_series(1, $n) g"
		} >"$WORK/big.csv"
		t0=$(now_ms)
		st=$(curl -s -m 120 -o "$WORK/last.body" -w '%{http_code}' -H "Authorization: Bearer $admin" \
			-H "Content-Type: text/csv" --data-binary "@$WORK/big.csv" "$BASE_URL/api/v1/boards/$board/roster")
		expect "$st" = 200 -- "f: $n people ($(stat -c %s "$WORK/big.csv") bytes): $st in $(($(now_ms) - t0)) ms $(last_body)"
	done
}

# fcgi_roster <board> <token> <content-length>: one FastCGI request with the
# body from stdin, as nginx would send it.
fcgi_roster() {
	env -i REQUEST_METHOD=POST DOCUMENT_URI="/api/v1/boards/$1/roster" \
		REQUEST_URI="/api/v1/boards/$1/roster" SCRIPT_NAME="/api/v1/boards/$1/roster" \
		QUERY_STRING= CONTENT_TYPE=text/csv CONTENT_LENGTH="$3" \
		HTTP_AUTHORIZATION="Bearer $2" REMOTE_ADDR=127.0.0.1 SERVER_PROTOCOL=HTTP/1.1 \
		cgi-fcgi -bind -connect "$VAR/run/hgkm.sock"
}

# ---------------------------------------------------------------------------
# g. sendmail fails: the verification mail of a new account waits in the
# outbox, is retried, and arrives once (deploy/dev/sendmail-to-file.sh
# refuses mail while var/test/mail/.fail exists).
MAIL_FAIL_SWITCH=$VAR/mail/.fail
mail_switch_off() { rm -f "$MAIL_FAIL_SWITCH"; }
FAULT_CLEANUPS+=(mail_switch_off)

# outbox_state <email>: "<rows> <attempts> <sent> <has error>" of its mails.
outbox_state() {
	# psql substitutes :'r' in what it reads, not in -c.
	psql_app -F ' ' -v r="$1" <<-'SQL'
	SELECT count(*), coalesce(max(attempts), 0), count(sent_at), count(last_error)
	FROM mail_outbox WHERE recipient = :'r';
	SQL
}
mail_files_for() { grep -lF "$1" "$VAR"/mail/*.eml 2>/dev/null | wc -l; }

test_mail_retry() {
	local email="fault-$RUN_ID-mail@storing.example" st t0 failed=0 sent=0
	note "g. sendmail failing, then working again"
	# The mail of the earlier steps (d registers hundreds) goes out first.
	t0=$(now_ms)
	while [ $(($(now_ms) - t0)) -lt 60000 ]; do
		st=$(psql_app -c "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND next_try <= now()")
		[ "$st" = 0 ] && break
		sleep 0.5
	done
	note "outbox backlog drained in $(($(now_ms) - t0)) ms (due now: $st)"
	"${RUNAS[@]}" touch "$MAIL_FAIL_SWITCH" # mail/ is the service user's folder
	register_user "$email" "$JOIN_CODE" >/dev/null ||
		{ notok "g: registering $email"; mail_switch_off; return; }
	# The mailer runs every 2 s: wait for a failed try (at most 15 s).
	t0=$(now_ms)
	while [ $(($(now_ms) - t0)) -lt 15000 ]; do
		st=$(outbox_state "$email")
		read -r _ att _ err <<<"$st"
		[ "${att:-0}" -ge 1 ] && [ "${err:-0}" -ge 1 ] && { failed=1; break; }
		sleep 0.3
	done
	st=$(outbox_state "$email")
	expect "$failed" = 1 -- "g: a refused mail is counted as a try with its error, not sent (outbox: $st)"
	expect "$(mail_files_for "$email")" = 0 -- "g: nothing delivered while sendmail fails"
	expect "$(cut -d' ' -f3 <<<"$st")" = 0 -- "g: the mail is not marked sent"
	mail_switch_off
	# The retry is due 30 s later; bring it forward rather than wait.
	psql_app -v r="$email" >/dev/null <<-'SQL'
	UPDATE mail_outbox SET next_try = now() WHERE recipient = :'r' AND sent_at IS NULL;
	SQL
	t0=$(now_ms)
	while [ $(($(now_ms) - t0)) -lt 15000 ]; do
		[ "$(mail_files_for "$email")" -ge 1 ] && { sent=1; break; }
		sleep 0.3
	done
	sleep 0.5
	st=$(outbox_state "$email")
	expect "$sent" = 1 -- "g: delivered once sendmail works again ($(( ($(now_ms) - t0) )) ms after the retry was due)"
	expect "$(cut -d' ' -f1,3 <<<"$st")" = "1 1" -- "g: one outbox row, marked sent (outbox: $st)"
	expect "$(mail_files_for "$email")" = 1 -- "g: exactly one mail delivered"
}

# ---------------------------------------------------------------------------
learner "fault-$RUN_ID-load@storing.example"

want a && test_pg_outage
want b && test_worker_kill
want c && test_nginx_reload
want d && test_exactly_once
want e && test_roster_interrupted
want f && test_roster_large
want g && test_mail_retry

# The loads sent thousands of tokens: none may show up in a log (ASVS 7.1.1).
leaks=$(grep -lE 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}' "$VAR"/log/*.log "$SVC_LOG"/*.log "$VAR"/log/service.out 2>/dev/null)
expect -z "$leaks" -- "no session token in any log of the test stack${leaks:+: $leaks}"

SAN_AFTER=$(sanitizer_reports)
expect "$SAN_AFTER" = "$SAN_BEFORE" -- "no new sanitizer report of the workers in var/test/log/service"
[ "$SAN_AFTER" = "$SAN_BEFORE" ] || comm -13 <(echo "$SAN_BEFORE") <(echo "$SAN_AFTER") | sed 's/^/#   /'
note "faults.sh took $((($(now_ms) - T_ALL) / 1000)) s"
summary
