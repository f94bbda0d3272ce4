#!/bin/sh
# Applies the migrations in sql/ that the database has not seen yet, each in
# its own transaction together with its row in schema_migrations.  Running
# it again is a no-op.  With --app-role, it then gives that role the rights
# of sql/grants.sql (rows of every table, also of tables that a migration
# just added).  Other arguments are passed to psql (connection options).
#   deploy/migrate.sh [--app-role hgkm_app] -h /path/to/socket/dir -p 5432 -d hgkm
set -eu

APP_ROLE=
if [ "${1:-}" = --app-role ]; then
	APP_ROLE=${2:?--app-role needs a role name}
	shift 2
fi
SQL_DIR=$(cd "$(dirname "$0")/../sql" && pwd)
PSQL="${PSQL:-/usr/lib/postgresql/15/bin/psql}"

q() { PGOPTIONS="-c client_min_messages=warning" "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }

q "$@" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
	version    text PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now())"

applied=$(q "$@" -tAc "SELECT version FROM schema_migrations")
for f in "$SQL_DIR"/[0-9][0-9][0-9]_*.sql; do
	v=$(basename "$f" .sql)
	if printf '%s\n' "$applied" | grep -qx "$v"; then
		continue
	fi
	echo "migrate: applying $v" >&2
	# The INSERT fails on a concurrent run that got there first, which rolls
	# the whole migration back.
	{ cat "$f"; printf "\nINSERT INTO schema_migrations (version) VALUES ('%s');\n" "$v"; } |
		q "$@" --single-transaction -f -
done
if [ -n "$APP_ROLE" ]; then
	q "$@" --single-transaction -v app_role="$APP_ROLE" -f "$SQL_DIR/grants.sql"
fi
