#!/bin/bash
# make test-install: the operator's install of docs/install.md, for real, on
# this machine (as root; a sudoer's run re-executes itself under sudo):
#   - builds the Debian package (make deb) and a newer one with an extra
#     migration;
#   - a PostgreSQL cluster made the Debian way (pg_createcluster, Debian's
#     default pg_hba.conf), on the next free port;
#   - dpkg -i; owners and modes of the secrets and directories;
#   - hgkm-admin check on a broken install (each problem named) and on a good one;
#   - hgkm-admin migrate, load-content; the service started exactly as the
#     systemd unit would (its User, Group, SupplementaryGroups, UMask,
#     EnvironmentFile, RuntimeDirectory, ExecStart; systemd itself is not
#     needed) and the production nginx site with a self-signed certificate
#     (its listen lines moved to 127.0.0.1:18080 and :18443);
#   - health over HTTPS, the port-80 redirect without a version,
#     hgkm-admin create-admin, log in, a board, a school, a trainer, a
#     scenario image;
#   - hgkm-admin backup, a full hgkm-admin restore --replace, the image still
#     served by nginx;
#   - logrotate and SIGUSR1: the logs continue in the new files;
#   - the upgrade under load: dpkg -i of the newer package (migrations),
#     then the unit's ExecReload (SIGHUP): no request fails, and the
#     service's role can use the new table;
#   - dpkg -r keeps the data; dpkg --purge, and what it leaves.
# Refuses to run where hgkm is installed by anyone but this test; removes
# what it made at the end (HGKM_INSTALL_KEEP=1 keeps it for a look).
# Loopback only; bounded: every wait has a limit, the whole run INSTALL_TIMEOUT
# seconds (default 900).  Prints ok/not ok lines and "N passed, M failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	exec sudo -n env PATH="$PATH:/usr/sbin:/sbin" HGKM_INSTALL_KEEP="${HGKM_INSTALL_KEEP:-}" "$0" "$@"
fi
if [ -z "${HGKM_INSTALL_TIMED:-}" ]; then
	HGKM_INSTALL_TIMED=1 exec timeout --kill-after=30 "${INSTALL_TIMEOUT:-900}" "$0" "$@"
fi
export PATH=$PATH:/usr/sbin:/sbin LC_ALL=C.UTF-8
cd "$ROOT"

CLUSTER=hgkm_install
PG_PORT=
HTTP_PORT=18080
HTTPS_PORT=18443
HOST=leren.install.test
MARK=/var/lib/hgkm-install-test
UNIT=/lib/systemd/system/hgkm.service
WORK=$(mktemp -d /tmp/hgkm-install.XXXXXX)
chmod 0755 "$WORK"
MASTER=
NGINX_PID=$WORK/nginx/nginx.pid

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok - %s\n' "$*"; }
notok() { FAILED=$((FAILED + 1)); printf 'not ok - %s\n' "$*"; }
note() { printf '# %s\n' "$*"; }
# expect <test(1) expression> -- <message>
expect() {
	local args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	if test "${args[@]}" 2>/dev/null; then ok "$*"; else notok "$*"; fi
}
finish() {
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
	[ "$FAILED" -eq 0 ]
}
# A step that everything after it needs: stop at once when it fails.
must() { [ "$1" = ok ] || { notok "$2"; cleanup; finish; exit 1; }; ok "$2"; }

wait_for() {
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# ------------------------------------------------------------------ cleanup
stop_service() {
	[ -n "$MASTER" ] && kill -0 "$MASTER" 2>/dev/null || return 0
	kill -TERM "$MASTER"
	wait_for 200 bash -c "! kill -0 $MASTER" || kill -KILL "$MASTER" 2>/dev/null
	wait "$MASTER" 2>/dev/null
	MASTER=
	return 0
}
stop_nginx() {
	[ -f "$NGINX_PID" ] || return 0
	local pid
	pid=$(cat "$NGINX_PID")
	kill -QUIT "$pid" 2>/dev/null
	wait_for 100 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$NGINX_PID"
}
cleanup() {
	trap - EXIT
	stop_nginx
	stop_service
	if [ -n "${HGKM_INSTALL_KEEP:-}" ]; then
		note "kept: the package, cluster 15/$CLUSTER, $WORK (HGKM_INSTALL_KEEP)"
		return 0
	fi
	# Only what this test made: the marker says the machine had no hgkm.
	if [ -f "$MARK/owner" ]; then
		dpkg --purge hgkm >/dev/null 2>&1
		rm -rf /etc/hgkm /var/lib/hgkm /var/backups/hgkm /var/log/hgkm /run/hgkm \
			/etc/nginx/sites-enabled/hgkm /etc/nginx/sites-available/hgkm
		pg_dropcluster --stop 15 "$CLUSTER" >/dev/null 2>&1
		rm -rf "$MARK"
	fi
	rm -rf "$WORK"
}

# ------------------------------------------------------------------ helpers
# The settings file's KEY=value lines (systemd syntax), for env -i.
unit_env() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '' | '#'*) continue ;; esac
		printf '%s\0' "$line"
	done <"$1"
}
# One key of the unit's [Service] section (the last one wins, as in systemd).
unit_key() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }

# Starts hgkm-fcgi the way systemd would start the unit.
start_service() {
	local user group groups umask envfile exec rtdir rtmode logsdir env=()
	user=$(unit_key User) group=$(unit_key Group) groups=$(unit_key SupplementaryGroups)
	umask=$(unit_key UMask) envfile=$(unit_key EnvironmentFile) exec=$(unit_key ExecStart)
	rtdir=$(unit_key RuntimeDirectory) rtmode=$(unit_key RuntimeDirectoryMode)
	logsdir=$(unit_key LogsDirectory)
	install -d -o "$user" -g "$group" -m "${rtmode:-0755}" "/run/$rtdir"
	install -d -o "$user" -g "$group" -m "$(unit_key LogsDirectoryMode || echo 0755)" "/var/log/$logsdir"
	mapfile -d '' env < <(unit_env "$envfile")
	# systemd's own variables for a service with these directories.
	env+=("RUNTIME_DIRECTORY=/run/$rtdir" "LOGS_DIRECTORY=/var/log/$logsdir"
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "LANG=C.UTF-8")
	(
		umask "${umask:-0022}"
		exec setsid setpriv --reuid="$user" --regid="$group" --groups="${groups// /,}" \
			env -i "${env[@]}" $exec </dev/null >>"$WORK/service.out" 2>&1
	) &
	MASTER=$!
	# Up when the socket is there; a master that exits has failed.
	local n=300
	while [ "$n" -gt 0 ] && kill -0 "$MASTER" 2>/dev/null; do
		[ -S /run/hgkm/hgkm.sock ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

start_nginx() {
	mkdir -p "$WORK/nginx"
	# The production site as installed; only its listen lines move to
	# loopback ports, and the certificate is a self-signed one.
	sed -e "s/^\(\s*\)listen 80;/\1listen 127.0.0.1:$HTTP_PORT;/" \
		-e "s/^\(\s*\)listen 443 ssl http2;/\1listen 127.0.0.1:$HTTPS_PORT ssl http2;/" \
		-e '/listen \[::\]/d' /etc/nginx/sites-enabled/hgkm >"$WORK/nginx/site.conf"
	cat >"$WORK/nginx/nginx.conf" <<-CONF
	user www-data;
	worker_processes 1;
	pid $NGINX_PID;
	error_log $WORK/nginx/error.log;
	events { worker_connections 256; }
	http {
		include /etc/nginx/mime.types;
		default_type application/octet-stream;
		access_log $WORK/nginx/access.log;
		include $WORK/nginx/site.conf;
	}
	CONF
	nginx -q -t -c "$WORK/nginx/nginx.conf" && nginx -c "$WORK/nginx/nginx.conf"
}

CURL=(curl -sS --max-time 20 --cacert "$WORK/cert.pem" --resolve "$HOST:$HTTPS_PORT:127.0.0.1")
URL=https://$HOST:$HTTPS_PORT
# api METHOD PATH [TOKEN] [curl args...]: prints the body, then the status
# on a line of its own.
api() {
	local method=$1 path=$2 token=${3:-}
	shift 3 2>/dev/null || shift $#
	"${CURL[@]}" -X "$method" ${token:+-H "Authorization: Bearer $token"} \
		-w '\n%{http_code}' "$@" "$URL$path"
}
status_of() { tail -n 1 <<<"$1"; }
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$1" | head -n 1; }
field() { head -n -1 <<<"$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
login() {
	local r
	r=$(api POST /api/v1/auth/login "" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$1\",\"password\":\"$2\"}")
	[ "$(status_of "$r")" = 200 ] && field token "$r"
}
set_env() { sed -i "s|^$1=.*|$1=$2|" /etc/hgkm/hgkm.env; }

# ------------------------------------------------------------------ 0. the machine
V1=$(make -s --no-print-directory -f - <<<'include Makefile
v: ; @echo $(DEB_VERSION)' v)
V2=$V1+upgrade1
# What this test would remove at the end.  Anything of it already here is
# someone's install, unless the marker of an earlier run of this test says
# it made it (and the installed package, if any, is one that run built).
ours() {
	[ -f "$MARK/owner" ] || return 1
	local v
	v=$(dpkg-query -W -f='${Status} ${Version}' hgkm 2>/dev/null | sed -n 's/.* installed //p')
	[ -z "$v" ] || grep -qxF "version=$v" "$MARK/owner"
}
if dpkg-query -W -f='${Status}' hgkm 2>/dev/null | grep -q installed ||
	[ -e /etc/hgkm ] || [ -e /var/lib/hgkm ] || [ -e /var/backups/hgkm ] || [ -e /var/log/hgkm ] ||
	[ -e /etc/nginx/sites-available/hgkm ]; then
	if ! ours; then
		echo "hgkm (or /etc/hgkm, /var/lib/hgkm, /var/backups/hgkm, /var/log/hgkm) is on this machine, not made by this test: refusing to touch it"
		echo "0 passed, 1 failed"
		exit 1
	fi
	note "removing what an earlier run of this test left"
	cleanup
	WORK=$(mktemp -d /tmp/hgkm-install.XXXXXX)
	chmod 0755 "$WORK"
fi
if pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx "$CLUSTER"; then
	pg_dropcluster --stop 15 "$CLUSTER"
fi
mkdir -p "$MARK" && printf 'made %s\nversion=%s\nversion=%s\n' "$(date -u)" "$V1" "$V2" >"$MARK/owner"
trap 'cleanup; finish' EXIT

# ------------------------------------------------------------------ 1. packages
note "building hgkm $V1 (make deb)"
make -s deb DEB_VERSION="$V1" >"$WORK/deb.log" 2>&1
DEB1=$ROOT/build/deb/hgkm_${V1}_$(dpkg --print-architecture).deb
[ -f "$DEB1" ] && r=ok || { r=bad; tail -n 30 "$WORK/deb.log"; }
must $r "make deb builds $(basename "$DEB1")"

# The newer package: the same tree with one more migration, built without
# cleaning (the objects are already there).
cp -a "$ROOT/build/deb/hgkm-$V1" "$WORK/stage2"
cat >"$WORK/stage2/sql/900_install_test_upgrade.sql" <<'SQL'
-- Only in the install test's upgrade package: a table a later release adds.
CREATE TABLE install_test_notes (
	id   bigserial PRIMARY KEY,
	note text NOT NULL
);
SQL
(cd "$WORK/stage2" && "$ROOT/deploy/debian/changelog.sh" "$V2" >debian/changelog &&
	dpkg-buildpackage -b -nc -us -uc >"$WORK/deb2.log" 2>&1)
DEB2=$(ls "$WORK"/hgkm_"${V2}"_*.deb 2>/dev/null)
[ -n "$DEB2" ] && r=ok || { r=bad; tail -n 30 "$WORK/deb2.log"; }
must $r "the upgrade package $V2 with migration 900 builds"

# ------------------------------------------------------------------ 2. PostgreSQL, the Debian way
# pg_createcluster takes the next free port from 5432 on; the settings
# then name it, as docs/install.md says for a cluster on another port.
pg_createcluster 15 "$CLUSTER" --start >"$WORK/cluster.log" 2>&1 &&
	PG_PORT=$(pg_lsclusters -h | awk -v c="$CLUSTER" '$2 == c {print $3}') &&
	wait_for 100 runuser -u postgres -- psql -p "$PG_PORT" -Atc 'SELECT 1' && r=ok || r=bad
must $r "pg_createcluster 15 $CLUSTER on port $PG_PORT"
HBA=/etc/postgresql/15/$CLUSTER/pg_hba.conf
expect -n "$(grep -E '^local +all +all +peer' "$HBA")" -a -n "$(grep -E '^host +all +all +127.0.0.1/32 +scram-sha-256' "$HBA")" \
	-- "the cluster has Debian's default pg_hba.conf (local peer, 127.0.0.1 scram-sha-256)"

# ------------------------------------------------------------------ 3. install
dpkg -i "$DEB1" >"$WORK/dpkg1.log" 2>&1 && r=ok || { r=bad; cat "$WORK/dpkg1.log"; }
must $r "dpkg -i $(basename "$DEB1")"
grep -q 'hgkm-admin migrate' "$WORK/dpkg1.log" && ok "the first install says what to do next" ||
	notok "the first install says what to do next"
expect "$(id -gn hgkm)" = hgkm -- "system user hgkm"
expect "$(stat -c '%U:%G %a' /etc/hgkm/jwt.key)" = "root:hgkm 640" -- "jwt.key is root:hgkm 0640"
expect "$(stat -c '%U:%G %a' /etc/hgkm/pgpass)" = "hgkm:hgkm 600" -- "pgpass is hgkm:hgkm 0600"
expect "$(stat -c '%U:%G %a' /var/lib/hgkm/media)" = "hgkm:www-data 2750" -- "the media directory is hgkm:www-data 2750"
expect "$(stat -c '%U:%G %a' /etc/hgkm/hgkm.env)" = "root:hgkm 640" -- "hgkm.env is root:hgkm 0640"
runuser -u www-data -- cat /etc/hgkm/jwt.key /etc/hgkm/pgpass >/dev/null 2>&1 &&
	notok "nginx's user cannot read the secrets" || ok "nginx's user cannot read the secrets"
setpriv --reuid=hgkm --regid=hgkm --groups=www-data cat /etc/hgkm/jwt.key /etc/hgkm/pgpass >/dev/null 2>&1 &&
	ok "the service's user reads both secrets" || notok "the service's user reads both secrets"
key1=$(sha256sum </etc/hgkm/jwt.key)
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify "$UNIT" 2>&1) && ok "systemd-analyze verify $UNIT" ||
		notok "systemd-analyze verify $UNIT: $out"
else
	note "no systemd-analyze on this machine: the unit's syntax is not verified"
fi
expect -x /var/lib/dpkg/info/hgkm.prerm -a -n "$(grep 'stop hgkm.service' /var/lib/dpkg/info/hgkm.prerm)" \
	-- "the package stops the service when it is removed (prerm)"
expect -f /usr/share/doc/hgkm/install.md -- "the docs the unit names are there uncompressed (/usr/share/doc/hgkm/install.md)"

# ------------------------------------------------------------------ 4. hgkm-admin check, broken
set_env HGKM_DATABASE_URL "host=127.0.0.1 port=$PG_PORT dbname=hgkm user=hgkm_app passfile=/etc/hgkm/pgpass"
set_env HGKM_PUBLIC_URL "$URL"
chmod 0644 /etc/hgkm/jwt.key
chmod 0640 /etc/hgkm/pgpass
chgrp hgkm /var/lib/hgkm/media
set_env HGKM_SENDMAIL "/nonexistent/sendmail -t -i"
out=$(hgkm-admin check 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/#   /'
expect "$rc" -ne 0 -- "hgkm-admin check on a broken install: exit status $rc"
for want in "JWT secret /etc/hgkm/jwt.key is root:hgkm 644" "password file /etc/hgkm/pgpass is hgkm:hgkm 640" \
	"media directory /var/lib/hgkm/media is hgkm:hgkm" "install a mail transport" "nginx site is not enabled"; do
	grep -q "^problem: .*$want" <<<"$out" && ok "check names: $want" || notok "check names: $want"
done
grep -q '^problem: .*database' <<<"$out" && ok "check names the database login (no database yet)" ||
	notok "check names the database login (no database yet)"

# The service refuses to start on it: fail fast, exit status not 0.
if start_service; then
	notok "the service does not start with a broken install"
	stop_service
else
	wait "$MASTER"; rc=$?
	MASTER=
	expect "$rc" -ne 0 -- "the service exits at start with a broken install (status $rc)"
	grep -q 'pgpass.*group or world access\|no password supplied\|password authentication failed' "$WORK/service.out" && ok "it says why on stderr (the journal)" ||
		notok "it says why on stderr (the journal): $(tail -n 3 "$WORK/service.out")"
fi

# ------------------------------------------------------------------ 5. the operator fixes it (docs/install.md)
chmod 0640 /etc/hgkm/jwt.key
chmod 0600 /etc/hgkm/pgpass
chgrp www-data /var/lib/hgkm/media
cat >"$WORK/sendmail" <<EOF
#!/bin/sh
# The test's mail transport: each mail into a file.
cat >"$WORK/mail/\$(date +%s%N).eml"
EOF
chmod 0755 "$WORK/sendmail"
install -d -o hgkm -m 0755 "$WORK/mail"
set_env HGKM_SENDMAIL "$WORK/sendmail -t -i"
hgkm-admin migrate >"$WORK/migrate.log" 2>&1 && r=ok || { r=bad; cat "$WORK/migrate.log"; }
must $r "hgkm-admin migrate creates the role, the database and the schema"
hgkm-admin load-content >"$WORK/content.log" 2>&1 && r=ok || { r=bad; tail "$WORK/content.log"; }
must $r "hgkm-admin load-content"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
	-keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
sed -i -e "s/leren.example.nl/$HOST/g" \
	-e "s|/etc/letsencrypt/live/$HOST/fullchain.pem|$WORK/cert.pem|" \
	-e "s|/etc/letsencrypt/live/$HOST/privkey.pem|$WORK/key.pem|" /etc/nginx/sites-available/hgkm
ln -sfn /etc/nginx/sites-available/hgkm /etc/nginx/sites-enabled/hgkm
out=$(hgkm-admin check 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/#   /'
expect "$rc" -eq 0 -a -z "$(grep '^problem' <<<"$out")" -- "hgkm-admin check on the good install: exit 0, no problem"

# ------------------------------------------------------------------ 6. start, as the unit would
start_service && r=ok || { r=bad; tail -n 20 "$WORK/service.out" /var/log/hgkm/error.log; }
must $r "the service starts as the unit would ($(unit_key User):$(unit_key Group) +$(unit_key SupplementaryGroups))"
expect "$(stat -c '%U:%G %a' /run/hgkm/hgkm.sock)" = "hgkm:www-data 660" -- "the socket is hgkm:www-data 0660"
start_nginx && r=ok || { r=bad; cat "$WORK/nginx/error.log"; }
must $r "nginx serves the production site (nginx -t passes)"
r=$(api GET /api/v1/health "")
expect "$(status_of "$r")" = 200 -- "health over HTTPS: $(head -n 1 <<<"$r")"
hdrs=$(curl -sS --max-time 10 -D - -o "$WORK/redirect.html" "http://127.0.0.1:$HTTP_PORT/x?y=1" -H "Host: $HOST")
grep -q "^HTTP/1.1 301" <<<"$hdrs" && grep -qi "^Location: https://$HOST/x?y=1" <<<"$hdrs" &&
	ok "port 80 redirects to HTTPS" || notok "port 80 redirects to HTTPS: $hdrs"
! grep -qiE '^Server: nginx/[0-9]' <<<"$hdrs" && ! grep -qE 'nginx/[0-9]' "$WORK/redirect.html" &&
	ok "the redirect shows no nginx version" || notok "the redirect shows no nginx version"
hdrs=$("${CURL[@]}" -D - -o /dev/null "$URL/nope")
! grep -qiE '^Server: nginx/[0-9]' <<<"$hdrs" && ok "HTTPS answers show no nginx version" ||
	notok "HTTPS answers show no nginx version"

# ------------------------------------------------------------------ 7. the first admin, a board, a school, an image
ADMIN_PW="Installatie-$(head -c 6 /dev/urandom | base64 | tr -d '/+=')-beheer"
out=$(printf '%s\n' "$ADMIN_PW" | hgkm-admin create-admin beheer@install.test --name "Beheer Installatietest" --password-stdin 2>&1)
rc=$?; note "$out"
expect "$rc" -eq 0 -- "hgkm-admin create-admin beheer@install.test --password-stdin"
ADMIN=$(login beheer@install.test "$ADMIN_PW")
must "$([ -n "$ADMIN" ] && echo ok)" "the first admin logs in over HTTPS"
# Over TLS the session cookie is __Host- and Secure, and HSTS is on every
# answer (docs/security.md H5; the test stack has no TLS).
hdrs=$("${CURL[@]}" -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"email\":\"beheer@install.test\",\"password\":\"$ADMIN_PW\"}" "$URL/api/v1/auth/login")
grep -qiE '^Set-Cookie: __Host-session=[^;]+;.*Secure' <<<"$hdrs" && ok "over HTTPS the session cookie is __Host-session; Secure" ||
	notok "over HTTPS the session cookie is __Host-session; Secure: $(grep -i '^Set-Cookie' <<<"$hdrs")"
grep -qi '^Strict-Transport-Security: max-age=31536000' <<<"$hdrs" && ok "HSTS on the HTTPS answers" ||
	notok "HSTS on the HTTPS answers"
r=$(api POST /api/v1/boards "$ADMIN" -H 'Content-Type: application/json' -d '{"name":"Stichting Installatietest","number":"99901"}')
BOARD=$(field id "$r")
expect "$(status_of "$r")" = 201 -a -n "$BOARD" -- "the admin creates a board ($BOARD)"
r=$(api POST /api/v1/schools "$ADMIN" -H 'Content-Type: application/json' \
	-d "{\"board_id\":$BOARD,\"name\":\"Basisschool De Proef\",\"brin\":\"ZZYX01\",\"municipality\":\"Proefdorp\"}")
expect "$(status_of "$r")" = 201 -a -n "$(field join_code "$r")" -- "the admin creates a school with a join code"
TRAINER_PW="Trainer-$(head -c 6 /dev/urandom | base64 | tr -d '/+=')-sessie"
r=$(api POST /api/v1/users "$ADMIN" -H 'Content-Type: application/json' \
	-d "{\"email\":\"trainer@install.test\",\"name\":\"Trainer Installatietest\",\"role\":\"trainer\",\"password\":\"$TRAINER_PW\"}")
expect "$(status_of "$r")" = 201 -- "the admin creates a trainer"
TRAINER=$(login trainer@install.test "$TRAINER_PW")
r=$(api POST /api/v1/scenarios "$TRAINER" -H 'Content-Type: application/json' \
	--data-binary "@$ROOT/content/scenarios/ouder-bij-het-hek.json")
SCEN=$(field id "$r")
expect "$(status_of "$r")" = 201 -a -n "$SCEN" -- "the trainer creates a scenario ($SCEN)"
base64 -d >"$WORK/image.png" <<<'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAE0lEQVR4nGM4EaABRAwaASeACAAjDgUBkIJYqQAAAABJRU5ErkJggg=='
r=$(api POST "/api/v1/scenarios/$SCEN/media" "$TRAINER" -H 'Content-Type: image/png' --data-binary "@$WORK/image.png")
MEDIA_URL=$(field url "$r")
expect "$(status_of "$r")" = 201 -a -n "$MEDIA_URL" -- "the trainer uploads a scenario image ($MEDIA_URL)"
fetch_image() {
	"${CURL[@]}" -H "Authorization: Bearer $TRAINER" -o "$WORK/got.png" -w '%{http_code}' "$URL$MEDIA_URL"
}
code=$(fetch_image)
expect "$code" = 200 -a "$(sha256sum <"$WORK/got.png")" = "$(sha256sum <"$WORK/image.png")" -- "nginx serves the image ($code)"
mfile=$(ls /var/lib/hgkm/media | head -n 1)
expect "$(stat -c '%U:%G %a' "/var/lib/hgkm/media/$mfile")" = "hgkm:www-data 640" -- "the uploaded file is hgkm:www-data 0640"

# ------------------------------------------------------------------ 8. backup, full restore
out=$(hgkm-admin backup 2>&1); rc=$?
BACKUP=$(grep -o '/var/backups/hgkm/hgkm-[0-9TZ]*' <<<"$out" | tail -n 1)
expect "$rc" -eq 0 -a -d "$BACKUP" -- "hgkm-admin backup: $BACKUP"
out=$(hgkm-admin restore "$BACKUP" 2>&1)
grep -q 'stop it first' <<<"$out" && ok "restore refuses while the service runs" ||
	notok "restore refuses while the service runs: $out"
cp -a "$BACKUP" "$WORK/backup-copy" && chmod o+w "$WORK/backup-copy/hgkm.dump"
out=$(hgkm-admin restore --replace "$WORK/backup-copy" 2>&1)
grep -q 'writable by others' <<<"$out" && ok "restore refuses a backup that others could have changed" ||
	notok "restore refuses a backup that others could have changed: $out"
stop_service
# The disaster: the media gone.
rm -f /var/lib/hgkm/media/*
out=$(hgkm-admin restore --replace "$BACKUP" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/#   /'
expect "$rc" -eq 0 -- "hgkm-admin restore --replace (full: database and media)"
expect -n "$(runuser -u postgres -- psql -p "$PG_PORT" -Atc "SELECT 1 FROM pg_database WHERE datname LIKE 'hgkm_before_%'")" \
	-- "the replaced database is kept aside"
expect "$(stat -c '%U:%G %a' "/var/lib/hgkm/media/$mfile" 2>&1)" = "hgkm:www-data 640" -- "restored media are hgkm:www-data 0640"
start_service && r=ok || { r=bad; tail -n 20 "$WORK/service.out" /var/log/hgkm/error.log; }
must $r "the service starts on the restored database"
TRAINER=$(login trainer@install.test "$TRAINER_PW")
code=$(fetch_image)
expect "$code" = 200 -a "$(sha256sum <"$WORK/got.png")" = "$(sha256sum <"$WORK/image.png")" \
	-- "after the restore the trainer logs in and nginx serves the image ($code)"

# ------------------------------------------------------------------ 9. logs
logrotate -f -s "$WORK/logrotate.state" /etc/logrotate.d/hgkm 2>"$WORK/logrotate.err"
expect -f /var/log/hgkm/access.log.1 -- "logrotate rotates the logs ($(cat "$WORK/logrotate.err"))"
# No systemd here: what the postrotate's systemctl kill would send.
kill -USR1 "$MASTER"
sleep 0.5
api GET /api/v1/health "" >/dev/null
wait_for 50 grep -q 'GET /api/v1/health 200' /var/log/hgkm/access.log &&
	ok "after SIGUSR1 the access log continues in the new file" ||
	notok "after SIGUSR1 the access log continues in the new file"

# ------------------------------------------------------------------ 10. upgrade under load
WORKERS_BEFORE=$(pgrep -P "$MASTER" | sort | tr '\n' ' ')
# Three clients ask without pause until told to stop (at most 3,000 each),
# so that requests are in flight while the master reloads.
load() {
	local i=0 code
	while [ ! -f "$WORK/load.stop" ] && [ "$i" -lt 3000 ]; do
		code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/api/v1/modules" -H "Authorization: Bearer $TRAINER")
		echo "$code"
		i=$((i + 1))
	done >"$WORK/load.$1"
}
load 1 & L1=$!
load 2 & L2=$!
load 3 & L3=$!
sleep 1
dpkg -i "$DEB2" >"$WORK/dpkg2.log" 2>&1 && r=ok || { r=bad; cat "$WORK/dpkg2.log"; }
expect "$r" = ok -- "dpkg -i $(basename "$DEB2") under load (postinst: migrate, load-content)"
# No systemd here: what the unit's ExecReload sends.
before=$(cat "$WORK"/load.? | wc -l)
kill -HUP "$MASTER"
wait_for 100 bash -c "w=\$(pgrep -P $MASTER | sort | tr '\n' ' '); [ -n \"\$w\" ] && [ \"\$w\" != '$WORKERS_BEFORE' ]"
sleep 1
touch "$WORK/load.stop"
wait "$L1" "$L2" "$L3"
total=$(cat "$WORK"/load.? | wc -l)
bad=$(cat "$WORK"/load.? | grep -cv '^200$')
expect "$total" -gt "$before" -a "$bad" -eq 0 \
	-- "no request failed during the upgrade and reload ($total requests, $((total - before)) from the reload on, $bad not 200)"
expect "$(pgrep -P "$MASTER" | sort | tr '\n' ' ')" != "$WORKERS_BEFORE" -a -n "$(pgrep -P "$MASTER")" \
	-- "the master ($MASTER) runs new workers after the reload"
exe=$(readlink "/proc/$MASTER/exe")
expect "$exe" = /usr/sbin/hgkm-fcgi -- "the master runs the installed binary ($exe)"
expect "$(dpkg-query -W -f='${Version}' hgkm)" = "$V2" -- "hgkm $V2 is installed"
expect "$(sha256sum </etc/hgkm/jwt.key)" = "$key1" -- "the upgrade kept the JWT secret"
expect "$(runuser -u postgres -- psql -p "$PG_PORT" -d hgkm -Atc "SELECT max(version) FROM schema_migrations")" \
	= 900_install_test_upgrade -- "the upgrade applied migration 900"
mapfile -d '' svcenv < <(unit_env /etc/hgkm/hgkm.env)
dburl=$(printf '%s\n' "${svcenv[@]}" | sed -n 's/^HGKM_DATABASE_URL=//p')
out=$(setpriv --reuid=hgkm --regid=hgkm --groups=www-data psql -X -At -d "$dburl" \
	-c "INSERT INTO install_test_notes (note) VALUES ('na de upgrade') RETURNING id" \
	-c "SELECT count(*) FROM install_test_notes" 2>&1)
expect "$(tail -n 1 <<<"$out")" = 1 -- "the service's role (hgkm_app, its own login) inserts into and reads the new table"
r=$(api GET /api/v1/health "")
expect "$(status_of "$r")" = 200 -- "health after the upgrade"

# ------------------------------------------------------------------ 11. purge
stop_nginx
stop_service
dpkg -r hgkm >"$WORK/remove.log" 2>&1
expect -f /etc/hgkm/jwt.key -a -f /etc/hgkm/pgpass -a -f "/var/lib/hgkm/media/$mfile" -a ! -e /usr/sbin/hgkm-fcgi \
	-- "dpkg -r removes the programs and keeps the secrets, settings and media"
out=$(dpkg --purge hgkm 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/#   /'
expect "$rc" -eq 0 -a ! -e /etc/hgkm/jwt.key -a -d /var/lib/hgkm/media -- "purge removes the secrets and keeps the media"
grep -q 'Left in place' <<<"$out" && ok "purge says what it leaves" || notok "purge says what it leaves"
