-- Issue 15.  The rule of quiz_paused_until() (sql/017) as a set-returning
-- SQL function.  PostgreSQL inlines such a function where a statement
-- calls it in FROM; a scalar SQL function with a FROM clause is never
-- inlined, so its body was parsed and planned again at every execution of
-- the statement behind GET /api/v1/modules/{slug}.  quiz_paused_until()
-- keeps its name and answers from this one: still one rule.
CREATE FUNCTION quiz_pause(p_user bigint, p_module bigint, p_pause interval)
RETURNS TABLE (until timestamptz) LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT max(submitted_at) + p_pause
	FROM (SELECT passed, submitted_at FROM quiz_attempts
		WHERE user_id = p_user AND module_id = p_module
		AND state = 'submitted'
		ORDER BY submitted_at DESC LIMIT 2) last
	HAVING count(*) = 2 AND NOT bool_or(passed)
	AND max(submitted_at) + p_pause > now()
$$;

CREATE OR REPLACE FUNCTION quiz_paused_until(p_user bigint, p_module bigint,
	p_pause interval)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT until FROM quiz_pause(p_user, p_module, p_pause)
$$;

-- The active sections of a module without reading their text: the module
-- list counts them for every module at every GET /api/v1/modules, and a
-- sequential scan read every section's HTML pages to do so.
CREATE INDEX sections_active_idx ON sections (module_id, id) WHERE active;
