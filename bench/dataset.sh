#!/bin/bash
# The national benchmark dataset (shared/brief/targets.md, "Scale"):
# DUO's real register imported through the service's own importer (POST
# /api/v1/school-register as the demo admin), regions from its RMC column,
# then staff per location in proportion to its pupils (bench/data/), 250,000
# people with an account, 3,000,000 section-progress rows and 1,000,000
# certificates, made by bench/dataset.sql with INSERT ... SELECT in one
# session.  Deterministic from the seed (see dataset.sql).
#
#   bench/dataset.sh [--inst run|test|bench] [--scale S] [--seed N]
#                    [--db NAME] [--force] [--drop]
#
#   --scale S   S < 1: a small version (0.01 = 2,500 people, 30,000 rows of
#               progress, 10,000 certificates) for integration tests;
#               S >= 1 (whole): S copies of the country, for the 10x check
#   --db NAME   another database of the same cluster (e.g. hgkm_x10): made
#               from sql/ and the register, content and requirements of the
#               instance's own database, which must have been loaded first
#   --force     make it again even when the same dataset is there, and
#               replace a dataset of another scale (refused without it)
#   --drop      remove the generated rows (or the other database) and stop
#
# The stack of the instance must be up (deploy/dev/stack.sh up <instance>).
# Generated accounts are p<8 digits>@bench.invalid, all with the password
# "bench-wachtwoord-<seed>".  Writes var/benchmark/dataset-<inst>-<db>.stamp.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

INST_NAME=${BENCH_INST:-bench}
SCALE=1
SEED=${BENCH_SEED:-42}
TARGET_DB=""
FORCE=0
DROP=0
while [ $# -gt 0 ]; do
	case $1 in
	--inst) INST_NAME=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	--db) TARGET_DB=$2; shift 2 ;;
	--force) FORCE=1; shift ;;
	--drop) DROP=1; shift ;;
	*) die "usage: dataset.sh [--inst I] [--scale S] [--seed N] [--db NAME] [--force] [--drop]" ;;
	esac
done
inst_setup "$INST_NAME"
TARGET_DB=${TARGET_DB:-$DB}
[[ $TARGET_DB =~ ^[a-z][a-z0-9_]*$ ]] || die "bad database name $TARGET_DB"
[[ $SEED =~ ^[0-9]+$ ]] || die "the seed is a whole number"
mkdir -p "$BENCH_VAR"
STAMP=$BENCH_VAR/dataset-$INST-$TARGET_DB.stamp

# Sizes per copy of the country.
read -r COPIES PEOPLE PROGRESS CERTS < <(awk -v s="$SCALE" 'BEGIN {
	if (s <= 0) exit 1
	if (s >= 1) {
		if (s != int(s) || s > 30) exit 1
		printf "%d 250000 3000000 1000000\n", s
	} else
		printf "1 %d %d %d\n", 250000 * s + 0.5, 3000000 * s + 0.5, 1000000 * s + 0.5
}') || die "--scale is a fraction below 1 or a whole number up to 30"

drop_generated() {
	log "dataset: removing generated rows from $TARGET_DB"
	psql_su "$TARGET_DB" <<-'SQL'
	SET session_replication_role = replica;
	CREATE TEMP TABLE gen AS SELECT id FROM users WHERE email LIKE '%@bench.invalid';
	CREATE INDEX ON gen (id);
	ANALYZE gen;
	DELETE FROM certificates WHERE user_id IN (SELECT id FROM gen);
	DELETE FROM section_progress WHERE user_id IN (SELECT id FROM gen);
	DELETE FROM quiz_attempts WHERE user_id IN (SELECT id FROM gen);
	DELETE FROM scenario_attempts WHERE user_id IN (SELECT id FROM gen);
	DELETE FROM login_failures WHERE email LIKE '%@bench.invalid';
	DELETE FROM staff WHERE email LIKE '%@bench.invalid';
	DELETE FROM users WHERE id IN (SELECT id FROM gen);
	DELETE FROM schools WHERE brin ~ '^Z[1-9A-Y][A-Z]{2}[0-9]{2}$'
		AND join_code ~ '^K[1-9A-Y]0[0-9]{5}$';
	DELETE FROM boards WHERE number ~ '^K[1-9A-Y]-';
	SQL
	# Only a few rows stay: rewriting the tables is quick, and the next load
	# appends to clean tables instead of filling the holes of the last one.
	psql_su "$TARGET_DB" -c "VACUUM (FULL, ANALYZE) users, staff, section_progress, certificates, schools, boards"
	rm -f "$STAMP"
}

if [ "$DROP" = 1 ]; then
	if [ "$TARGET_DB" != "$DB" ]; then
		psql_su postgres -c "DROP DATABASE IF EXISTS $TARGET_DB"
		rm -f "$STAMP"
	else
		drop_generated
	fi
	exit 0
fi

# One spelling per scale (0.01, .01 and 1e-2 alike), for the stamp.
SCALE=$(awk -v s="$SCALE" 'BEGIN { printf "%g", s }')
# A database holds one dataset.  Replacing one of another scale is not done
# in passing: a small test run would throw away the national dataset (and
# make the next `make bench` spend minutes making it again), and figures
# of two scales must not be mixed up.
if [ "$FORCE" = 0 ] && [ -f "$STAMP" ]; then
	had=$(sed -n '1s/.*scale=\([^ ]*\).*/\1/p' "$STAMP")
	if [ -n "$had" ] && [ "$had" != "$SCALE" ]; then
		die "dataset: $TARGET_DB holds a dataset of scale $had ($STAMP), not $SCALE; --force replaces it"
	fi
fi

# What decides the rows: the SQL and the pupil counts.
GEN_HASH=$(cat "$ROOT/bench/dataset.sql" "$ROOT/bench/data/pupils-2025.csv" |
	sha256sum | cut -c1-16)
WANT="seed=$SEED scale=$SCALE generator=$GEN_HASH"
if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && grep -qxF "$WANT" "$STAMP"; then
	have=$(psql_val "$TARGET_DB" "SELECT count(*) FROM users WHERE email LIKE '%@bench.invalid'" 2>/dev/null || echo 0)
	if [ "$have" = "$((COPIES * PEOPLE))" ]; then
		log "dataset: $TARGET_DB already holds it ($WANT)"
		exit 0
	fi
fi

T0=$(date +%s.%N)
if [ "$TARGET_DB" = "$DB" ]; then
	# DUO's register through the service's own importer, as the demo admin.
	[ -f "$VAR/env" ] || die "no $VAR/env: bring the stack up first (deploy/dev/stack.sh up $INST)"
	BASE_URL=$(sed -n 's/^BASE_URL=//p' "$VAR/env")
	read -r _ admin_email admin_pw < <(awk -F'\t' '$1 == "admin"' "$VAR/demo-accounts.tsv")
	token=$(jq -n --arg e "$admin_email" --arg p "$admin_pw" '{email: $e, password: $p}' |
		curl -fsS -H 'Content-Type: application/json' --data-binary @- \
			"$BASE_URL/api/v1/auth/login" | jq -r .token)
	if [ -z "$token" ] || [ "$token" = null ]; then die "dataset: the demo admin cannot log in"; fi
	log "dataset: importing DUO's register through POST /api/v1/school-register"
	curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
		--data-binary @"$ROOT/tests/data/duo/02.-alle-schoolvestigingen-basisonderwijs.csv" \
		"$BASE_URL/api/v1/school-register" >&2
	echo >&2
	if [ -n "$(psql_val "$TARGET_DB" "SELECT 1 FROM users WHERE email LIKE '%@bench.invalid' LIMIT 1")" ]; then
		drop_generated
	fi
else
	# Another database: the schema from sql/, then what the importer and the
	# content loader made in the instance's own database.
	[ -n "$(psql_val "$DB" "SELECT 1 FROM schools WHERE brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$' LIMIT 1")" ] ||
		die "dataset: load the instance's own database first (bench/dataset.sh --inst $INST)"
	log "dataset: making database $TARGET_DB"
	PGOPTIONS="-c client_min_messages=warning" psql_su postgres \
		-c "DROP DATABASE IF EXISTS $TARGET_DB" -c "CREATE DATABASE $TARGET_DB"
	"${RUNAS[@]}" "$ROOT/deploy/migrate.sh" -h "$VAR/run" -p "$PG_PORT" -d "$TARGET_DB" 2>/dev/null
	tables=(regions municipalities boards schools scenarios scenario_versions
		modules sections quiz_questions quiz_choices quiz_objectives requirements)
	existing=()
	for t in "${tables[@]}"; do
		if [ -n "$(psql_val "$TARGET_DB" "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '$t'")" ]; then
			existing+=("$t")
		fi
	done
	PGOPTIONS="-c client_min_messages=warning" psql_su "$TARGET_DB" \
		-c "TRUNCATE $(IFS=,; echo "${existing[*]}") CASCADE"
	# Scenarios point at their owner; the copy needs no users, so foreign
	# keys are not checked (--disable-triggers).
	"${RUNAS[@]}" "$PGBIN/pg_dump" -h "$VAR/run" -p "$PG_PORT" -d "$DB" \
		--data-only --disable-triggers "${existing[@]/#/--table=}" |
		psql_su "$TARGET_DB" >/dev/null
	for t in "${existing[@]}"; do
		if [ -n "$(psql_val "$TARGET_DB" "SELECT pg_get_serial_sequence('$t', 'id')" 2>/dev/null)" ]; then
			psql_su "$TARGET_DB" -tAc "SELECT setval(pg_get_serial_sequence('$t', 'id'), greatest(max(id), 1)) FROM $t" >/dev/null
		fi
	done
	app_role=hgkm_app
	psql_su "$TARGET_DB" -c "GRANT CONNECT ON DATABASE $TARGET_DB TO $app_role" \
		-c "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $app_role" \
		-c "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $app_role"
fi

T1=$(date +%s.%N)
log "dataset: generating seed=$SEED scale=$SCALE: $COPIES × ($PEOPLE people, $PROGRESS progress rows, $CERTS certificates)"
PWHASH=$(bench_password "$SEED" | "$ROOT/build/release/hgkm-pwhash")
counts=$(psql_su "$TARGET_DB" -tA -F ' ' -v seed="$SEED" -v copies="$COPIES" \
	-v people="$PEOPLE" -v progress="$PROGRESS" -v certs="$CERTS" \
	-v pwhash="$PWHASH" -f "$ROOT/bench/dataset.sql" \
	<"$ROOT/bench/data/pupils-2025.csv" | grep -v '^SET\|^$' || true)
printf '%s\n' "$counts" | grep -q '^certificates ' || die "dataset: generation failed"
# As autovacuum would have done by the time anyone reads them: the
# visibility map lets the reports use index-only scans.
psql_su "$TARGET_DB" -c "VACUUM ANALYZE users, staff, section_progress, certificates"
T2=$(date +%s.%N)
{
	echo "$WANT"
	echo "anchor=$(date -u +%F)"
	printf '%s\n' "$counts"
	awk -v a="$T0" -v b="$T1" -v c="$T2" 'BEGIN { printf "import_s %.1f\ngenerate_s %.1f\n", b - a, c - b }'
} >"$STAMP"
log "dataset: done in $(awk -v a="$T0" -v c="$T2" 'BEGIN { printf "%.1f", c - a }') s"
cat "$STAMP" >&2
