#!/bin/bash
# Backs up the platform: the database (pg_dump, custom format) and the
# scenario media files, into a new directory <dest>/hgkm-<UTC time>/:
#   hgkm.dump    pg_dump -Fc of the database (schema, rows, grants)
#   media.tar    the media directory (files are named by their SHA-256)
#   MANIFEST     what was backed up, from where, with row counts
#   SHA256SUMS   checksums of the three files above
# The dump is taken first and the media after it, so every media file that
# a row of the dump names is in media.tar (media files are never changed).
# See docs/backup.md.
#
#   deploy/backup.sh [options] <dest>
#     -h HOST      socket directory or host      (default: libpq's, PGHOST)
#     -p PORT      port                          (default: libpq's, PGPORT)
#     -U USER      database role, a superuser or the schema owner (PGUSER)
#     -d DBNAME    database                      (default hgkm)
#     --media DIR  media directory               (default /var/lib/hgkm/media;
#                  "none" backs up the database only)
#     --as OSUSER  run the PostgreSQL tools as this OS user (root only), for
#                  peer authentication: --as postgres in production
#     --keep N     afterwards delete all but the newest N backups in <dest>
#     --snapshot S pg_dump --snapshot=S (a snapshot exported by a transaction
#                  that is still open; tests use it to compare exactly)
# Prints the new backup directory on stdout.  Exit status 0 only when both
# parts were written and checked.
set -euo pipefail
umask 077

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=hgkm
MEDIA=/var/lib/hgkm/media
AS=
KEEP=
SNAPSHOT=
CONN=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "backup: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	-h|-p|-U) [ $# -ge 2 ] || usage; CONN+=("$1" "$2"); shift 2 ;;
	-d) [ $# -ge 2 ] || usage; DB=$2; shift 2 ;;
	--media) [ $# -ge 2 ] || usage; MEDIA=$2; shift 2 ;;
	--as) [ $# -ge 2 ] || usage; AS=$2; shift 2 ;;
	--keep) [ $# -ge 2 ] || usage; KEEP=$2; shift 2 ;;
	--snapshot) [ $# -ge 2 ] || usage; SNAPSHOT=$2; shift 2 ;;
	--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
DEST=$1

RUN=()
if [ -n "$AS" ]; then
	[ "$(id -u)" -eq 0 ] || die "--as needs root"
	RUN=(setpriv --reuid="$AS" --regid="$(id -g "$AS")" --init-groups --)
fi
pg() { "${RUN[@]}" "$PGBIN/$1" "${@:2}"; }
q() { pg psql -X -q -A -t -v ON_ERROR_STOP=1 "${CONN[@]}" -d "$DB" "$@"; }

case $KEEP in ''|[1-9]|[1-9][0-9]*) ;; *) die "--keep takes a number of at least 1" ;; esac
if [ "$MEDIA" != none ] && [ ! -d "$MEDIA" ]; then
	die "no media directory $MEDIA (use --media DIR, or --media none)"
fi
mkdir -p "$DEST"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$DEST/hgkm-$STAMP
[ ! -e "$OUT" ] || die "$OUT exists already"
PART=$OUT.partial
rm -rf "$PART"
mkdir "$PART"
trap 'rm -rf "$PART"' EXIT

# 1. The database.  Written by this shell, not by pg_dump, so that the
# tools may run as another OS user than the one owning <dest>.
dump_args=(-Fc -Z 6 --no-password "${CONN[@]}" -d "$DB")
[ -n "$SNAPSHOT" ] && dump_args+=(--snapshot="$SNAPSHOT")
pg pg_dump "${dump_args[@]}" >"$PART/hgkm.dump" || die "pg_dump failed"
# A dump pg_restore cannot read is no backup.
pg pg_restore --list <"$PART/hgkm.dump" >"$PART/toc" || die "pg_restore cannot read the dump"
grep -q 'TABLE DATA public certificates ' "$PART/toc" || die "the dump has no certificates table"
rm "$PART/toc"

# 2. The media files, after the dump.  Only files named <sha256>.<ext>; the
# temporary files of an upload in progress (".<sha>.<pid>.tmp") stay out.
nmedia=0
if [ "$MEDIA" != none ]; then
	(cd "$MEDIA" && find . -maxdepth 1 -type f -regextype posix-extended \
		-regex './[0-9a-f]{64}\.[a-z0-9]{2,4}' -printf '%P\n' | LC_ALL=C sort) >"$PART/media.list"
	nmedia=$(wc -l <"$PART/media.list")
	tar -C "$MEDIA" -cf "$PART/media.tar" --no-recursion -T "$PART/media.list" ||
		die "tar of $MEDIA failed"
	# Each file's name is its SHA-256: a changed or torn file shows here.
	bad=$(cd "$MEDIA" && while read -r f; do
		[ "$(sha256sum <"$f" | cut -c1-64)" = "${f%%.*}" ] || echo "$f"
	done <"$PART/media.list")
	[ -z "$bad" ] || die "media files whose content does not match their name: $bad"
	rm "$PART/media.list"
fi

# 3. What is in it, for the person who restores it.
{
	echo "backup: $STAMP"
	echo "host: $(hostname)"
	echo "database: $DB ${CONN[*]}"
	echo "pg_dump: $(pg pg_dump --version)"
	echo "server: $(q -c 'SHOW server_version')"
	echo "migrations: $(q -c "SELECT string_agg(version, ' ' ORDER BY version) FROM schema_migrations")"
	echo "media: $MEDIA ($nmedia files)"
	[ -n "$SNAPSHOT" ] && echo "snapshot: $SNAPSHOT"
	echo "rows at the end of the dump (the dump itself is one consistent snapshot):"
	q -F ' ' -c "SELECT 'certificates', count(*) FROM certificates
		UNION ALL SELECT 'section_progress', count(*) FROM section_progress
		UNION ALL SELECT 'users', count(*) FROM users
		UNION ALL SELECT 'staff', count(*) FROM staff" | sed 's/^/  /'
} >"$PART/MANIFEST"
(cd "$PART" && sha256sum hgkm.dump MANIFEST $([ -f media.tar ] && echo media.tar) >SHA256SUMS)
sync -f "$PART" 2>/dev/null || sync
mv "$PART" "$OUT"
trap - EXIT

if [ -n "$KEEP" ]; then
	find "$DEST" -maxdepth 1 -type d -name 'hgkm-*Z' -printf '%f\n' | LC_ALL=C sort -r |
		tail -n +"$((KEEP + 1))" | while read -r old; do rm -rf "${DEST:?}/$old"; done
fi
echo "$OUT"
