#!/bin/bash
# Root never writes where the service user can plant a link, on the test
# stack (var/test, deploy/dev/layout.sh, docs/security.md §5 item 8):
#  a. an instance in the layout of the older stack.sh (var/test all hgkm's,
#     with a link planted by hgkm where root writes) is taken back by
#     "stack.sh up test": the link is not followed and the stack answers;
#  b. afterwards hgkm can write nothing under var/test outside its own
#     folders (pg, run, log/service, mail, media, tmp/<nginx temp>) and its
#     pgpass;
#  c. hgkm cannot replace any file or folder root writes by a link, and
#     links hgkm plants in its own folders, named like root's files, are
#     not followed by "stack.sh restart-service test".
# Only as root (as a normal user everything is the user's own).
# Prints "ok - ..." / "not ok - ..." and last "N passed, M failed".
set -u
. "$(dirname "$0")/common.sh"

if [ "$(id -u)" -ne 0 ]; then
	note "not root: the stack runs as this user and all of var/test is its own; nothing to check"
	summary
	exit 0
fi

FAULT_TIMEOUT=${FAULT_TIMEOUT:-300}
fault_init ownership
T_ALL=$(now_ms)
as_svc() { setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups -- "$@"; }
PORT=${BASE_URL##*:}
stack() { HGKM_TEST_HTTP_PORT=$PORT PG_NOSYNC=1 "$ROOT/deploy/dev/stack.sh" "$@"; }
first5() { if [ -n "$1" ]; then echo "$1" | head -n 5 | tr '\n' ' '; else echo none; fi; }
healthy() { curl -fsS -m 5 -o /dev/null "$BASE_URL/api/v1/health"; }

# The file a planted link points at: root's, outside var/.
VICTIM_DIR=$(mktemp -d /tmp/hgkm-ownership.XXXXXX)
VICTIM=$VICTIM_DIR/victim
echo untouched >"$VICTIM"
chmod 644 "$VICTIM"
remove_victim() { rm -rf "$VICTIM_DIR"; }
FAULT_CLEANUPS+=(remove_victim)
victim_untouched() { [ "$(cat "$VICTIM")" = untouched ] && [ "$(stat -c %U "$VICTIM")" = root ]; }

# What root writes under var/test (deploy/dev/stack.sh, nginx's master).
ROOT_PATHS=(
	"$VAR" "$VAR/env" "$VAR/nginx.conf" "$VAR/nginx-test-errors.conf"
	"$VAR/demo-accounts.tsv" "$VAR/join-codes.tsv"
	"$VAR/log" "$VAR/log/service.out" "$VAR/log/initdb.log" "$VAR/log/content.log"
	"$VAR/log/nginx-error.log" "$VAR/log/nginx-access.log"
	"$VAR/pids" "$VAR/pids/hgkm.pid" "$VAR/pids/nginx.pid"
	"$VAR/secrets" "$VAR/secrets/jwt.key" "$VAR/secrets/db.password" "$VAR/secrets/pgpass"
	"$VAR/tmp" "$VAR/tmp/body" "$VAR/tmp/proxy" "$VAR/tmp/fastcgi" "$VAR/tmp/uwsgi" "$VAR/tmp/scgi"
)

# ---------------------------------------------------------------------------
# a. The older layout: all of var/test hgkm's, and a link where root writes.
chown -R "$SVC_USER:$SVC_USER" "$VAR"
chown root:root "$WORK"
as_svc rm -f "$VAR/log/service.out" "$VAR/log/content.log"
as_svc ln -s "$VICTIM" "$VAR/log/service.out"
as_svc ln -s "$VICTIM" "$VAR/log/content.log"
stack up test >"$WORK/up-old.out" 2>&1
rc=$?
expect "$rc" -eq 0 -- "a: stack.sh up test takes over an instance in the older layout"
[ "$rc" -eq 0 ] || tail -n 20 "$WORK/up-old.out" | sed 's/^/#   /'
check victim_untouched -- "a: the links hgkm planted in log/ were not followed"
check healthy -- "a: the stack answers afterwards"
expect "$(stat -c %U "$VAR")" = root -a ! -L "$VAR/log/service.out" -- \
	"a: var/test and log/service.out are root's again ($(stat -c %U "$VAR"), $(stat -c %F "$VAR/log/service.out"))"

# ---------------------------------------------------------------------------
# b. What hgkm can write under var/test: its own folders and pgpass only.
# The fault tests' own work folders keep their layout themselves.
writable=$(as_svc find "$VAR" \
	\( -path "$VAR/pg" -o -path "$VAR/run" -o -path "$VAR/log/service" -o -path "$VAR/mail" \
	-o -path "$VAR/media" -o -path "$VAR/tmp/*" -o -path "$VAR/fault-*" -o -path "$VAR/replica.*" \
	-o -path "$VAR/restore-check" \) -prune -o -writable ! -path "$VAR/secrets/pgpass" -print 2>/dev/null)
expect -z "$writable" -- "b: hgkm can write nothing under var/test outside its folders ($(first5 "$writable"))"
owned=$(find "$VAR" \( -path "$VAR/fault-*" -o -path "$VAR/replica.*" -o -path "$VAR/restore-check" \) -prune \
	-o -user "$SVC_USER" -print | grep -v -E "^$VAR/(pg|run|log/service|mail|media|tmp/[a-z]+)(/|$)|^$VAR/secrets/pgpass$")
expect -z "$owned" -- "b: hgkm owns nothing under var/test outside them ($(first5 "$owned"))"
bad=()
for p in "${ROOT_PATHS[@]}"; do
	case $p in
	"$VAR/secrets/pgpass" | "$VAR"/tmp/?*) continue ;; # the service's own: its parent is root's
	esac
	if [ ! -e "$p" ]; then
		bad+=("$p (missing)")
	elif as_svc test -w "$p"; then
		bad+=("$p ($(stat -c '%U:%G %a' "$p"))")
	fi
done
expect "${#bad[@]}" -eq 0 -- "b: every path root writes exists and hgkm cannot write it (${bad[*]:-all fine})"

# ---------------------------------------------------------------------------
# c. Links: hgkm cannot put one where root writes ...
replaced=()
for p in "${ROOT_PATHS[@]}"; do
	[ "$p" = "$VAR" ] && continue
	# Moving it away and linking in its place needs its folder writable.
	if as_svc mv -T "$p" "$p.moved" 2>/dev/null; then
		as_svc ln -s "$VICTIM" "$p"
		replaced+=("$p")
	fi
done
expect "${#replaced[@]}" -eq 0 -- "c: hgkm could replace none of root's files by a link (${replaced[*]:-none})"
# ... and its links in its own folders, named like root's files, are not
# followed by a restart of the service.
for name in service.out hgkm.pid nginx.pid initdb.log content.log env nginx.conf pgpass; do
	for d in "$VAR/log/service" "$VAR/run" "$VAR/mail" "$VAR/media"; do
		as_svc ln -sfn "$VICTIM" "$d/$name"
	done
done
stack restart-service test >"$WORK/restart.out" 2>&1
rc=$?
expect "$rc" -eq 0 -- "c: stack.sh restart-service test with links planted in hgkm's folders"
[ "$rc" -eq 0 ] || tail -n 20 "$WORK/restart.out" | sed 's/^/#   /'
check victim_untouched -- "c: none of the planted links was followed"
check healthy -- "c: the stack answers afterwards"
for name in service.out hgkm.pid nginx.pid initdb.log content.log env nginx.conf pgpass; do
	for d in "$VAR/log/service" "$VAR/run" "$VAR/mail" "$VAR/media"; do
		rm -f "$d/$name"
	done
done

note "ownership.sh took $((($(now_ms) - T_ALL) / 1000)) s"
summary
