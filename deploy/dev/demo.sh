#!/bin/bash
# Loads the demo organisation and one account per role into a dev or test
# stack.  Idempotent: passwords and join codes are made once and kept in
# var/<instance>/, and running it again changes nothing.
#   demo.sh <var dir> <build dir> <pg port> [runas command]
set -euo pipefail

VAR=$1 BIN=$2 PG_PORT=$3
read -r -a RUNAS <<<"${4:-}"
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$VAR/run" -p "$PG_PORT" -d hgkm)
ACCOUNTS=$VAR/demo-accounts.tsv

randpw() { tr -dc 'a-km-zA-HJ-NP-Z2-9' </dev/urandom | head -c 16 || true; }
randcode() { tr -dc 'A-HJ-NP-Z2-9' </dev/urandom | head -c 8 || true; }

if [ ! -s "$ACCOUNTS" ]; then
	umask 077
	{
		printf 'teacher\tleerkracht@demo.example\t%s\n' "$(randpw)"
		printf 'ib\tib@demo.example\t%s\n' "$(randpw)"
		printf 'trainer\ttrainer@demo.example\t%s\n' "$(randpw)"
		printf 'board_admin\tbestuur@demo.example\t%s\n' "$(randpw)"
		printf 'region_viewer\tregio@demo.example\t%s\n' "$(randpw)"
		printf 'admin\tbeheer@demo.example\t%s\n' "$(randpw)"
	} >"$ACCOUNTS"
fi

# Fictional organisation: the BRIN codes use letters only, which DUO never
# gives out, so they cannot clash with an imported register.
"${RUNAS[@]}" "${PSQL[@]}" -v code1="$(randcode)" -v code2="$(randcode)" <<'SQL'
INSERT INTO regions (name) VALUES ('Regio Heuvelland (demo)')
ON CONFLICT (name) DO NOTHING;
INSERT INTO boards (name, number, region_id)
SELECT 'Stichting Samen Leren (demo)', 'DEMO1', id FROM regions
WHERE name = 'Regio Heuvelland (demo)'
ON CONFLICT (number) DO NOTHING;
INSERT INTO municipalities (name) VALUES ('Heuvelstad'), ('Beekdorp')
ON CONFLICT DO NOTHING;
INSERT INTO schools (board_id, name, brin, municipality, municipality_id, join_code)
SELECT b.id, s.name, s.brin, s.municipality,
	(SELECT id FROM municipalities m WHERE m.name = s.municipality), s.code
FROM boards b, (VALUES
	('Basisschool De Zilvermeeuw (demo)', 'ZZZZ01', 'Heuvelstad', :'code1'),
	('Kindcentrum Lindehof (demo)', 'ZZZZ02', 'Beekdorp', :'code2'))
	AS s (name, brin, municipality, code)
WHERE b.number = 'DEMO1'
ON CONFLICT (brin) DO NOTHING;
SQL

names=("Anna de Vries (demo)" "Bram Jansen (demo)" "Chantal Peters (demo)"
	"Dirk Smit (demo)" "Eva Bakker (demo)" "Frank Visser (demo)")
i=0
sql=""
while IFS=$'\t' read -r role email password; do
	hash=$(printf '%s\n' "$password" | "$BIN/hgkm-pwhash")
	sql+="INSERT INTO users (email, email_canonical, name, password_hash, role, school_id, board_id, region_id, email_verified)
SELECT '$email', lower('$email' COLLATE \"C\"), '${names[$i]}', '$hash', '$role',
	CASE WHEN '$role' IN ('teacher', 'ib') THEN (SELECT id FROM schools WHERE brin = 'ZZZZ01') END,
	CASE WHEN '$role' IN ('teacher', 'ib', 'board_admin') THEN (SELECT id FROM boards WHERE number = 'DEMO1') END,
	CASE WHEN '$role' = 'region_viewer' THEN (SELECT id FROM regions WHERE name = 'Regio Heuvelland (demo)') END,
	true
ON CONFLICT (email_canonical) DO UPDATE SET password_hash = EXCLUDED.password_hash;
"
	i=$((i + 1))
done <"$ACCOUNTS"
printf '%s' "$sql" | "${RUNAS[@]}" "${PSQL[@]}"

"${RUNAS[@]}" "${PSQL[@]}" -tA -F $'\t' \
	-c "SELECT name, join_code FROM schools WHERE brin IN ('ZZZZ01', 'ZZZZ02') ORDER BY brin" \
	>"$VAR/join-codes.tsv"

# The demo teacher and IB'er are on the roster of the first school.
"${RUNAS[@]}" "${PSQL[@]}" <<'SQL'
INSERT INTO staff (school_id, email, name, role, user_id, source)
SELECT u.school_id, u.email_canonical, u.name, u.role, u.id, 'roster'
FROM users u WHERE u.role IN ('teacher', 'ib')
AND u.email IN ('leerkracht@demo.example', 'ib@demo.example')
AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.email = u.email_canonical
	AND s.school_id = u.school_id AND s.left_at IS NULL);
UPDATE municipalities SET region_id = (SELECT id FROM regions
	WHERE name = 'Regio Heuvelland (demo)')
WHERE region_id IS NULL AND id IN (SELECT municipality_id FROM schools
	WHERE brin IN ('ZZZZ01', 'ZZZZ02'));
SQL

# The demo trainer may record attendance for the demo board's staff.
"${RUNAS[@]}" "${PSQL[@]}" <<'SQL'
INSERT INTO trainer_boards (trainer_id, board_id)
SELECT u.id, b.id FROM users u, boards b
WHERE u.email = 'trainer@demo.example' AND b.number = 'DEMO1'
ON CONFLICT DO NOTHING;
SQL

# The example role-plays of content/scenarios/, published by the demo
# trainer (once: a scenario with the same title is left alone).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$ROOT"/content/scenarios/*.json; do
	[ -f "$f" ] || continue
	"${RUNAS[@]}" "${PSQL[@]}" -v doc="$(cat "$f")" \
		-v slug="$(basename "$f" .json)" <<'SQL'
-- Installs from before slugs existed: name the same scenario.
UPDATE scenarios s SET slug = :'slug' FROM scenario_versions v, users t
WHERE v.scenario_id = s.id AND v.version = 1 AND t.id = s.owner_id
AND t.email = 'trainer@demo.example' AND s.slug IS NULL
AND v.title = (:'doc'::jsonb)->>'title'
AND NOT EXISTS (SELECT 1 FROM scenarios x WHERE x.slug = :'slug');
WITH d AS (SELECT :'doc'::jsonb AS doc),
t AS (SELECT id FROM users WHERE email = 'trainer@demo.example'),
s AS (INSERT INTO scenarios (owner_id, published_version, status, slug)
	SELECT t.id, 1, 'published', :'slug' FROM t, d
	ON CONFLICT (slug) DO NOTHING
	RETURNING id)
INSERT INTO scenario_versions (scenario_id, version, title, audience, document)
SELECT s.id, 1, d.doc->>'title',
	ARRAY(SELECT jsonb_array_elements_text(d.doc->'audience')), d.doc
FROM s, d;
SQL
done
