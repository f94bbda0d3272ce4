#!/bin/bash
# Restores a backup of deploy/backup.sh into a fresh PostgreSQL cluster
# (or one that has no database of that name yet) and an empty media
# directory.  Refuses to overwrite anything.  See docs/backup.md.
#
#   deploy/restore.sh [options] <backup directory>
#     -h HOST       socket directory or host of the target cluster (PGHOST)
#     -p PORT       port                                           (PGPORT)
#     -U USER       a superuser of the target cluster              (PGUSER)
#     -d DBNAME     database to create                   (default hgkm)
#     --app-role R  the service's role, created NOLOGIN when missing; the
#                   dump's grants refer to it       (default hgkm_app)
#     --media DIR   empty or new directory for the media files
#                   (default /var/lib/hgkm/media; "none" skips them)
#     --as OSUSER   run the PostgreSQL tools as this OS user (root only)
#     --owner OSUSER[:GROUP]  owner of the restored media files (root
#                   only): the service's user, and the group of the web
#                   server that serves them (hgkm:www-data in production);
#                   the directory becomes 2750 and the files 0640
# Objects are restored owned by the restoring role (--no-owner); rows,
# sequences, indexes, constraints and grants come back as they were.  The
# service's role gets its password afterwards (ALTER ROLE ... PASSWORD).
set -euo pipefail
umask 027

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=hgkm
APP_ROLE=hgkm_app
MEDIA=/var/lib/hgkm/media
AS=
OWNER=
CONN=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "restore: $*" >&2; exit 1; }
say() { echo "restore: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	-h|-p|-U) [ $# -ge 2 ] || usage; CONN+=("$1" "$2"); shift 2 ;;
	-d) [ $# -ge 2 ] || usage; DB=$2; shift 2 ;;
	--app-role) [ $# -ge 2 ] || usage; APP_ROLE=$2; shift 2 ;;
	--media) [ $# -ge 2 ] || usage; MEDIA=$2; shift 2 ;;
	--as) [ $# -ge 2 ] || usage; AS=$2; shift 2 ;;
	--owner) [ $# -ge 2 ] || usage; OWNER=$2; shift 2 ;;
	--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
SRC=$1
[[ $DB =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name $DB: lower-case letters, digits, _ only"
[[ $APP_ROLE =~ ^[a-z_][a-z0-9_]*$ ]] || die "role name $APP_ROLE: lower-case letters, digits, _ only"

RUN=()
if [ -n "$AS" ]; then
	[ "$(id -u)" -eq 0 ] || die "--as needs root"
	RUN=(setpriv --reuid="$AS" --regid="$(id -g "$AS")" --init-groups --)
fi
pg() { "${RUN[@]}" "$PGBIN/$1" "${@:2}"; }
q() { pg psql -X -q -A -t -v ON_ERROR_STOP=1 "${CONN[@]}" "$@"; }

# 1. The backup is whole.
[ -f "$SRC/SHA256SUMS" ] && [ -f "$SRC/hgkm.dump" ] || die "$SRC is not a backup of deploy/backup.sh"
(cd "$SRC" && sha256sum --quiet -c SHA256SUMS) || die "checksums of $SRC do not match: damaged backup"
say "backup $(sed -n 's/^backup: //p' "$SRC/MANIFEST") checked"

# 2. The target is fresh.
[ -z "$(q -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ] ||
	die "database $DB exists already in the target cluster; restore into a fresh cluster"
if [ "$MEDIA" != none ] && [ -f "$SRC/media.tar" ]; then
	if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
		die "media directory $MEDIA is not empty"
	fi
fi

# 3. Roles are not part of a pg_dump: the service's role must exist for the
# dump's GRANTs.  It is created without a password, so it cannot log in
# until someone gives it one.
q -d postgres -c "DO \$\$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE') THEN
		CREATE ROLE $APP_ROLE NOLOGIN;
	END IF; END \$\$"
q -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8'"

# 4. Everything in one transaction: a failed restore leaves an empty
# database, never half a one.
if ! pg pg_restore --exit-on-error --single-transaction --no-owner \
	"${CONN[@]}" -d "$DB" <"$SRC/hgkm.dump"; then
	die "pg_restore failed; database $DB is empty (drop it before trying again)"
fi
q -d "$DB" -c "GRANT CONNECT ON DATABASE $DB TO $APP_ROLE"
# pg_restore does not bring the planner's statistics.
pg vacuumdb --analyze-only --quiet "${CONN[@]}" -d "$DB"

# 5. The media files, each checked against its name (its SHA-256).  They
# are unpacked, checked and given their owner and modes in a directory of
# our own next to the target, and moved into place last: nothing else (the
# service user, who owns the media directory) can swap a file for a link
# while this script, often root, works on them.
if [ "$MEDIA" != none ] && [ -f "$SRC/media.tar" ]; then
	parent=$(dirname "$MEDIA")
	mkdir -p "$parent"
	STAGE=$(mktemp -d "$parent/.restore-media.XXXXXX")
	trap 'rm -rf "$STAGE"' EXIT
	tar -C "$STAGE" -xf "$SRC/media.tar" --no-same-owner --no-same-permissions
	odd=$(find "$STAGE" -mindepth 1 ! -type f -printf '%P\n')
	[ -z "$odd" ] || die "the backup's media.tar holds more than plain files: $odd"
	bad=$(cd "$STAGE" && for f in *; do
		[ -f "$f" ] || continue
		[ "$(sha256sum <"$f" | cut -c1-64)" = "${f%%.*}" ] || echo "$f"
	done)
	[ -z "$bad" ] || die "restored media files whose content does not match their name: $bad"
	if [ -n "$OWNER" ]; then
		[ "$(id -u)" -eq 0 ] || die "--owner needs root"
		# Without a group the owner's login group; nginx reads the files
		# through the group, so production passes hgkm:www-data.
		case $OWNER in *:*) chown -R "$OWNER" "$STAGE" ;; *) chown -R "$OWNER:" "$STAGE" ;; esac
		find "$STAGE" -type f -exec chmod 0640 {} +
		chmod 2750 "$STAGE"
	else
		chmod 0750 "$STAGE"
	fi
	# Checked empty above; a directory that someone filled meanwhile stays.
	if [ -d "$MEDIA" ]; then rmdir "$MEDIA" || die "media directory $MEDIA is not empty"; fi
	mv -T "$STAGE" "$MEDIA"
	trap - EXIT
	say "media: $(tar -tf "$SRC/media.tar" | wc -l) files in $MEDIA"
fi

say "$(q -d "$DB" -F ' ' -c "SELECT count(*) || ' certificates, ' ||
	(SELECT count(*) FROM section_progress) || ' section_progress rows, ' ||
	(SELECT count(*) FROM users) || ' users' FROM certificates")"
say "done: give $APP_ROLE its password (ALTER ROLE $APP_ROLE LOGIN PASSWORD ...), then start the service"
