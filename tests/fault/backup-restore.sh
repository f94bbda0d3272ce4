#!/bin/bash
# Backup and restore test against the running test stack (var/test):
#  1. makes sure there is something to lose: a fresh certificate (register,
#     sections, passing attempt) and a fresh media file (a trainer's
#     scenario with an uploaded PNG);
#  2. opens a REPEATABLE READ transaction, exports its snapshot, computes
#     the checksums of certificates, section_progress and other tables in
#     it, and runs deploy/backup.sh on exactly that snapshot, while a
#     writer keeps registering users (so the dump is taken under writes);
#  3. initdb's a throwaway cluster in var/test/restore-check/ (port 54389,
#     unix socket only, as user hgkm when root), runs deploy/restore.sh;
#  4. compares: every certificate (count and checksum of the codes), every
#     section_progress row, the other tables, the grants of the service's
#     role, and the media files;
#  5. stops and removes the throwaway cluster (also when interrupted).
# Prints "ok - ..." / "not ok - ..." and last "N passed, M failed".
set -u
. "$(dirname "$0")/common.sh"

CHECK_DIR=$VAR/restore-check
CHECK_PORT=${FAULT_RESTORE_PORT:-54389}

fault_init backup
T_ALL=$(now_ms)

remove_check_cluster() {
	if [ -f "$CHECK_DIR/pg/PG_VERSION" ] &&
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$CHECK_DIR/pg" status >/dev/null 2>&1; then
		"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$CHECK_DIR/pg" -m immediate -w stop >/dev/null 2>&1
	fi
	[ -z "${FAULT_KEEP:-}" ] && rm -rf "$CHECK_DIR"
	return 0
}
FAULT_CLEANUPS+=(remove_check_cluster)
remove_check_cluster
# Root's folder with the service user's folders in it (deploy/dev/layout.sh):
# the backup and its output are written as the service user, in its own.
layout_make "$CHECK_DIR" "$SVC_USER"
layout_own_dir "$CHECK_DIR/backup" "$SVC_USER" "$SVC_USER" 755
layout_own_dir "$CHECK_DIR/out" "$SVC_USER" "$SVC_USER" 755

# ---------------------------------------------------------------------------
# 1. Something to lose.
# In the test's own school, so the demo board keeps its staff.
learner "backup-$RUN_ID@storing.example"
for s in $(psql_app -c "SELECT s.id FROM sections s JOIN modules m ON m.id = s.module_id
	WHERE m.slug = 'meldcode-kort' AND s.active"); do
	api PUT "/api/v1/modules/meldcode-kort/sections/$s" "$TOKEN" >/dev/null
done
# The quiz is started first; the right answers are the key stored with the
# attempt's draw (what the server grades against, in the choice ids the
# attempt shows).
api POST /api/v1/modules/meldcode-kort/quiz "$TOKEN" >/dev/null
ANSWERS=$(psql_app -c "SELECT json_build_object('attempt_id', a.id, 'answers',
	(SELECT json_object_agg(q->>'id', q->'correct') FROM jsonb_array_elements(a.draw) q))
	FROM users u JOIN quiz_attempts a ON a.user_id = u.id AND a.state = 'open'
	WHERE u.email_canonical = lower('backup-$RUN_ID@storing.example')")
st=$(api POST /api/v1/modules/meldcode-kort/attempts "$TOKEN" "$ANSWERS")
NEW_CODE=$(grep -o '"code":"[A-Za-z0-9_-]*"' "$WORK/last.body" | cut -d'"' -f4)
expect "$st" = 200 -a -n "$NEW_CODE" -- "a fresh certificate to find after the restore: $NEW_CODE"

# A media file of this run: a 1×1 PNG with the run id after its end, so its
# SHA-256 (and name) is new.
TRAINER=$(demo_login trainer)
MEDIA_ID=
if [ -n "$TRAINER" ]; then
	# A shipped scenario under a title of its own (a draft: learners never
	# see it, and the browser tests do not find it by the shipped title).
	st=$(api POST /api/v1/scenarios "$TRAINER" "$(sed "s/^  \"title\": \".*\",\$/  \"title\": \"Back-uptest $RUN_ID\",/" \
		"$ROOT/content/scenarios/ouder-bij-het-hek.json")")
	sid=$(json_num id)
	{ printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' |
		base64 -d; printf 'backup-test %s' "$RUN_ID"; } >"$WORK/probe.png"
	if [ "$st" = 201 ] && [ -n "$sid" ]; then
		st=$(curl -s -m 30 -o "$WORK/last.body" -w '%{http_code}' -H "Authorization: Bearer $TRAINER" \
			-H 'Content-Type: image/png' --data-binary "@$WORK/probe.png" "$BASE_URL/api/v1/scenarios/$sid/media")
		MEDIA_ID=$(json_str media_id)
	fi
fi
expect -n "$MEDIA_ID" -a -f "$VAR/media/$MEDIA_ID.png" -- "a fresh media file to find after the restore: ${MEDIA_ID:-none} ($st)"

# ---------------------------------------------------------------------------
# 2. Dump exactly one snapshot, under writes.
# The checksums: one line per table, "name count md5".
CHECKSUM_SQL="
SELECT 'certificates', count(*), md5(coalesce(string_agg(code, ',' ORDER BY code), '')) FROM certificates
UNION ALL SELECT 'certificates_rows', count(*), md5(coalesce(string_agg(concat_ws('|', id, code, user_id,
	module_id, module_version, issued_at, expires_at, issued_by, attempt_id), ',' ORDER BY id), '')) FROM certificates
UNION ALL SELECT 'section_progress', count(*), md5(coalesce(string_agg(concat_ws('|', user_id, module_id,
	section_id, done_at), ',' ORDER BY user_id, module_id, section_id), '')) FROM section_progress
UNION ALL SELECT 'quiz_attempts', count(*), md5(coalesce(string_agg(concat_ws('|', id, user_id, score, passed),
	',' ORDER BY id), '')) FROM quiz_attempts
UNION ALL SELECT 'users', count(*), md5(coalesce(string_agg(concat_ws('|', id, email, name, password_hash, role,
	school_id, board_id), ',' ORDER BY id), '')) FROM users
UNION ALL SELECT 'staff', count(*), md5(coalesce(string_agg(concat_ws('|', id, school_id, email, name, role,
	left_at, user_id), ',' ORDER BY id), '')) FROM staff
UNION ALL SELECT 'schools', count(*), md5(coalesce(string_agg(concat_ws('|', id, brin, name, join_code, board_id),
	',' ORDER BY id), '')) FROM schools
UNION ALL SELECT 'scenario_media', count(*), md5(coalesce(string_agg(concat_ws('|', id, scenario_id, mime, size),
	',' ORDER BY id, scenario_id), '')) FROM scenario_media
"

# A writer: new accounts while the dump runs.
WRITER_STOP=$WORK/writer.stop
writer() {
	local i=0
	while [ ! -e "$WRITER_STOP" ]; do
		i=$((i + 1))
		curl -s -m 10 -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
			--data-binary "{\"email\":\"backup-$RUN_ID-w$i@storing.example\",\"name\":\"Schrijver\",\"password\":\"$FAULT_PASSWORD\",\"join_code\":\"$JOIN_CODE\"}" \
			"$BASE_URL/api/v1/auth/register"
	done >"$WORK/writer.out"
}
bg writer
WRITER=$!
sleep 0.5

# One psql session: the transaction stays open while \! runs the backup on
# its exported snapshot, so the checksums and the dump see the same rows.
T0=$(now_ms)
"${RUNAS[@]}" "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -F ' ' -h "$VAR/run" -p "$PG_PORT" -d hgkm \
	>"$WORK/source.sums" 2>"$WORK/backup.err" <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT pg_export_snapshot() AS snap \gset
\setenv HGKM_SNAPSHOT :snap
$CHECKSUM_SQL;
\! "$ROOT/deploy/backup.sh" -h "$VAR/run" -p $PG_PORT -d hgkm --media "$VAR/media" --snapshot "\$HGKM_SNAPSHOT" "$CHECK_DIR/backup" >"$CHECK_DIR/out/backup.out" 2>&1 && echo ok >"$CHECK_DIR/out/backup.rc"
COMMIT;
SQL
T1=$(now_ms)
touch "$WRITER_STOP"
wait "$WRITER" 2>/dev/null
BACKUP=$(tail -n 1 "$CHECK_DIR/out/backup.out" 2>/dev/null)
expect -f "$CHECK_DIR/out/backup.rc" -a -d "$BACKUP" -- \
	"deploy/backup.sh wrote $BACKUP in $((T1 - T0)) ms ($(du -sh "$BACKUP" 2>/dev/null | cut -f1), dump $(stat -c %s "$BACKUP/hgkm.dump" 2>/dev/null) bytes)"
[ -f "$CHECK_DIR/out/backup.rc" ] || sed 's/^/#   /' "$CHECK_DIR/out/backup.out" "$WORK/backup.err"
WRITES=$(grep -c '^201$' "$WORK/writer.out")
note "writes during the dump: $WRITES new accounts ($(sort "$WORK/writer.out" | uniq -c | tr -s ' ' | tr '\n' ','))"
NOW_USERS=$(psql_app -c "SELECT count(*) FROM users")
SNAP_USERS=$(awk '$1 == "users" {print $2}' "$WORK/source.sums")
note "users: $SNAP_USERS in the snapshot, $NOW_USERS now"

# ---------------------------------------------------------------------------
# 3. A fresh cluster, and the restore.
"${RUNAS[@]}" "$PGBIN/initdb" -D "$CHECK_DIR/pg" -U "$SVC_USER" --auth-local=peer --auth-host=reject \
	-E UTF8 --locale=C.UTF-8 --no-sync >"$CHECK_DIR/log/initdb.log" 2>&1
"${RUNAS[@]}" tee -a "$CHECK_DIR/pg/postgresql.conf" >/dev/null <<CONF
listen_addresses = ''
unix_socket_directories = '$CHECK_DIR/run'
port = $CHECK_PORT
fsync = off
CONF
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$CHECK_DIR/pg" -l "$CHECK_DIR/log/service/postgresql.log" -w -t 30 start >/dev/null
expect $? -eq 0 -- "a throwaway cluster in $CHECK_DIR on port $CHECK_PORT"
T0=$(now_ms)
"${RUNAS[@]}" "$ROOT/deploy/restore.sh" -h "$CHECK_DIR/run" -p "$CHECK_PORT" --media "$CHECK_DIR/media/restored" \
	"$BACKUP" >"$CHECK_DIR/restore.out" 2>&1
rc=$?
T1=$(now_ms)
expect "$rc" -eq 0 -- "deploy/restore.sh into the fresh cluster in $((T1 - T0)) ms"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$CHECK_DIR/restore.out"
chk() { "${RUNAS[@]}" "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -F ' ' -h "$CHECK_DIR/run" -p "$CHECK_PORT" -d hgkm "$@"; }

# ---------------------------------------------------------------------------
# 4. Compare.
chk -c "$CHECKSUM_SQL" >"$WORK/restored.sums" 2>&1
while read -r name count sum; do
	got=$(awk -v n="$name" '$1 == n {print $2, $3}' "$WORK/restored.sums")
	if [ "$got" = "$count $sum" ]; then
		ok "$name: all $count rows of the snapshot restored, checksum ${sum:0:12}… identical"
	else
		notok "$name: $count rows in the snapshot (checksum ${sum:0:12}…), restored: ${got:-nothing}"
	fi
done <"$WORK/source.sums"
# Sequences go on after the highest id, so new rows do not collide.
seqs=$(chk -c "SELECT bool_and(ok) FROM (
	SELECT (SELECT last_value FROM certificates_id_seq) >= (SELECT coalesce(max(id), 0) FROM certificates) AS ok
	UNION ALL SELECT (SELECT last_value FROM users_id_seq) >= (SELECT coalesce(max(id), 0) FROM users)
	UNION ALL SELECT (SELECT last_value FROM quiz_attempts_id_seq) >= (SELECT coalesce(max(id), 0) FROM quiz_attempts)) s")
expect "$seqs" = t -- "sequences of certificates, users, quiz_attempts restored past their highest id"
n=$(chk -c "SELECT count(*) FROM certificates WHERE code = '$NEW_CODE'")
expect "$n" = 1 -- "the certificate of this run ($NEW_CODE) is in the restored database"
# The service's privileges came back too: rows yes, schema no, audit log
# append-only.
privs=$(chk -c "SELECT has_table_privilege('hgkm_app', 'certificates', 'INSERT'),
	has_table_privilege('hgkm_app', 'audit_log', 'UPDATE'), has_table_privilege('hgkm_app', 'audit_log', 'DELETE'),
	has_schema_privilege('hgkm_app', 'public', 'CREATE')")
src_privs=$(psql_su -F ' ' -c "SELECT has_table_privilege('hgkm_app', 'certificates', 'INSERT'),
	has_table_privilege('hgkm_app', 'audit_log', 'UPDATE'), has_table_privilege('hgkm_app', 'audit_log', 'DELETE'),
	has_schema_privilege('hgkm_app', 'public', 'CREATE')")
expect "$privs" = "$src_privs" -- "grants of hgkm_app as in the source (certificates INSERT, audit_log UPDATE, DELETE, CREATE in public: $privs)"
# Media: the same files, byte for byte.
(cd "$VAR/media" && find . -maxdepth 1 -type f -name '*.*' ! -name '.*' -exec sha256sum {} + | sort) >"$WORK/media.src"
(cd "$CHECK_DIR/media/restored" 2>/dev/null && find . -maxdepth 1 -type f -exec sha256sum {} + | sort) >"$WORK/media.dst"
missing=$(comm -23 "$WORK/media.src" "$WORK/media.dst" | wc -l)
expect "$missing" -eq 0 -a -s "$WORK/media.src" -- \
	"media: $(wc -l <"$WORK/media.dst") files restored, $missing of $(wc -l <"$WORK/media.src") missing or different"
expect -n "$MEDIA_ID" -a -f "$CHECK_DIR/media/restored/$MEDIA_ID.png" -- "the media file of this run is restored"
# A damaged backup is refused before anything is written.
cp -r "$BACKUP" "$CHECK_DIR/damaged"
printf 'x' | dd of="$CHECK_DIR/damaged/hgkm.dump" bs=1 seek=1000 conv=notrunc status=none
[ "$(id -u)" -eq 0 ] && chown -R hgkm:hgkm "$CHECK_DIR/damaged"
"${RUNAS[@]}" "$ROOT/deploy/restore.sh" -h "$CHECK_DIR/run" -p "$CHECK_PORT" -d hgkm_damaged --media none \
	"$CHECK_DIR/damaged" >"$CHECK_DIR/damaged.out" 2>&1
rc=$?
n=$(chk -c "SELECT count(*) FROM pg_database WHERE datname = 'hgkm_damaged'")
expect "$rc" -ne 0 -a "$n" = 0 -- "a damaged backup is refused: $(tail -n 1 "$CHECK_DIR/damaged.out")"
# And a second restore over the first is refused.
"${RUNAS[@]}" "$ROOT/deploy/restore.sh" -h "$CHECK_DIR/run" -p "$CHECK_PORT" --media none \
	"$BACKUP" >"$CHECK_DIR/again.out" 2>&1
expect $? -ne 0 -- "restoring over an existing database is refused: $(tail -n 1 "$CHECK_DIR/again.out")"

# ---------------------------------------------------------------------------
# 5. Away with the throwaway cluster.
remove_check_cluster
expect ! -e "$CHECK_DIR" -o -n "${FAULT_KEEP:-}" -- "the throwaway cluster is stopped and removed"
note "backup-restore.sh took $((($(now_ms) - T_ALL) / 1000)) s"
summary
