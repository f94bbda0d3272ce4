/* hgkm-content: checks the course content and loads it into PostgreSQL. */

/*
 * Every module is parsed and checked before the database is touched, so a
 * broken module never leaves a half-loaded catalogue.  The load is one
 * transaction under an advisory lock, so two loaders cannot interleave.  A
 * module whose content hash matches its row is not written at all; a
 * changed one gets version + 1, its sections and questions are upserted by
 * id, and rows that disappeared are marked inactive rather than deleted,
 * because progress and attempts point at them.
 */
#include <jansson.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"

#define CONTENT_EXIT_OK 0
#define CONTENT_EXIT_FAIL 1
#define CONTENT_EXIT_USAGE 2

/* The loaded catalogue: every module of content/modules, in slug order. */
struct catalogue {
	struct content_module **mods;
	size_t                  count;
};

/* Report lines, printed only once the transaction has committed. */
struct report {
	char **lines;
	size_t count;
};

static void usage(void);
static void print_errors(const struct errlist *errs);
static int  catalogue_load(const char *content_dir, struct catalogue *cat);
static void catalogue_free(struct catalogue *cat);
static void report_add(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void      report_free(struct report *r);
static PGresult *sql_exec(PGconn *conn, const char *what, const char *sql,
                          int n, const char *const *params,
                          ExecStatusType want);
static int       sql_run(PGconn *conn, const char *what, const char *sql, int n,
                         const char *const *params);
static const char *audience_array(unsigned audience);
static int         write_children(PGconn *conn, const char *module_id,
                                  const struct content_module *m);
static int         load_module(PGconn *conn, const struct content_module *m,
                               struct report *r);
static int         deactivate_missing(PGconn *conn, const struct catalogue *cat,
                                      struct report *r);
static int         cmd_check(const char *content_dir);
static int         cmd_load(const char *content_dir);

static void
usage(void)
{
	fputs("usage: hgkm-content check <content-dir>\n"
	      "       hgkm-content load <content-dir>\n"
	      "\n"
	      "check  parse and check every module in <content-dir>/modules\n"
	      "load   check, then load into the database named by the\n"
	      "       DATABASE_URL environment variable (a libpq conninfo)\n",
	      stderr);
}

static void
print_errors(const struct errlist *errs)
{
	size_t i;

	for (i = 0; i < errs->count; i++)
		fprintf(stderr, "%s\n", errs->items[i].message);
	if (errs->dropped > 0)
		fprintf(stderr, "hgkm-content: %zu more errors not shown\n",
		        errs->dropped);
}

/*
 * Parses every module.  Returns 0 with the catalogue filled, or -1 after
 * printing every error; the catalogue is then empty.
 */
static int
catalogue_load(const char *content_dir, struct catalogue *cat)
{
	struct errlist      errs;
	struct content_list list;
	char               *modules_dir, *dir;
	size_t              i;
	int                 rc;

	cat->mods = NULL;
	cat->count = 0;
	errlist_init(&errs);
	if (asprintf(&modules_dir, "%s/modules", content_dir) < 0) {
		fputs("hgkm-content: out of memory\n", stderr);
		return -1;
	}
	rc = -1;
	if (content_list_modules(modules_dir, &list, &errs) != 0)
		goto out;
	if (list.count == 0) {
		/* An empty catalogue would deactivate every module: refuse. */
		fprintf(stderr, "%s: no modules found\n", modules_dir);
		goto out;
	}
	cat->mods = calloc(list.count, sizeof(*cat->mods));
	if (cat->mods == NULL) {
		fputs("hgkm-content: out of memory\n", stderr);
		goto out;
	}
	cat->count = list.count;
	for (i = 0; i < list.count; i++) {
		if (asprintf(&dir, "%s/%s", modules_dir, list.names[i]) < 0) {
			fputs("hgkm-content: out of memory\n", stderr);
			goto out;
		}
		/* Errors are collected; keep going to report every module. */
		content_module_load(dir, &cat->mods[i], &errs);
		free(dir);
	}
	if (errs.count == 0 && errs.dropped == 0)
		rc = 0;
out:
	print_errors(&errs);
	if (rc != 0)
		catalogue_free(cat);
	content_list_free(&list);
	errlist_free(&errs);
	free(modules_dir);
	return rc;
}

static void
catalogue_free(struct catalogue *cat)
{
	size_t i;

	for (i = 0; i < cat->count; i++)
		content_module_free(cat->mods[i]);
	free(cat->mods);
	cat->mods = NULL;
	cat->count = 0;
}

static void
report_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char  **grown;
	char   *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	grown = line != NULL
	            ? realloc(r->lines, (r->count + 1) * sizeof(*grown))
	            : NULL;
	if (grown == NULL) {
		fputs("hgkm-content: out of memory\n", stderr);
		abort();
	}
	r->lines = grown;
	r->lines[r->count++] = line;
}

static void
report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		free(r->lines[i]);
	free(r->lines);
	r->lines = NULL;
	r->count = 0;
}

/*
 * Runs one parameterised statement.  Returns the result (the caller clears
 * it) when its status is `want`, else prints what failed and returns NULL.
 */
static PGresult *
sql_exec(PGconn *conn, const char *what, const char *sql, int n,
         const char *const *params, ExecStatusType want)
{
	PGresult *res;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (res == NULL || PQresultStatus(res) != want) {
		fprintf(stderr, "hgkm-content: %s: %s", what,
		        res != NULL ? PQresultErrorMessage(res)
		                    : PQerrorMessage(conn));
		PQclear(res);
		return NULL;
	}
	return res;
}

/* A statement that returns no rows. */
static int
sql_run(PGconn *conn, const char *what, const char *sql, int n,
        const char *const *params)
{
	PGresult *res;

	res = sql_exec(conn, what, sql, n, params, PGRES_COMMAND_OK);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The text[] literal for the audience bits; the values are fixed words. */
static const char *
audience_array(unsigned audience)
{
	switch (audience) {
	case CONTENT_AUDIENCE_TEACHER:
		return "{teacher}";
	case CONTENT_AUDIENCE_IB:
		return "{ib}";
	default:
		return "{teacher,ib}";
	}
}

/*
 * The text[] literal of an objective's section ids (malloc'ed, or NULL when
 * memory ran out).  Section ids are [a-z0-9-], so they need no quoting.
 */
static char *
section_array(const struct content_objective *o)
{
	size_t i, n = 3;
	char  *out;

	for (i = 0; i < o->n_sections; i++)
		n += strlen(o->sections[i]) + 1;
	if ((out = malloc(n)) == NULL) {
		fputs("hgkm-content: out of memory\n", stderr);
		return NULL;
	}
	strcpy(out, "{");
	for (i = 0; i < o->n_sections; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, o->sections[i]);
	}
	strcat(out, "}");
	return out;
}

/*
 * Writes the sections and quiz of a new or changed module.  Everything is
 * marked inactive first and the upserts turn the current rows active again,
 * so rows that left the content stay behind inactive.  Choices have no
 * inbound foreign keys, so each question's choices are replaced.
 */
static int
write_children(PGconn *conn, const char *module_id,
               const struct content_module *m)
{
	const char *p[7];
	char        pos[24], cpos[24]; /* any size_t in decimal */
	size_t      i, j;

	p[0] = module_id;
	if (sql_run(conn, "deactivating sections",
	            "UPDATE sections SET active = false "
	            "WHERE module_id = $1 AND active",
	            1, p) != 0)
		return -1;
	for (i = 0; i < m->n_sections; i++) {
		const struct content_section *s = &m->sections[i];

		snprintf(pos, sizeof(pos), "%zu", i + 1);
		p[1] = s->id;
		p[2] = pos;
		p[3] = s->title;
		p[4] = s->html;
		p[5] = s->scenario;
		if (sql_run(
		        conn, "writing a section",
		        "INSERT INTO sections "
		        "(module_id, id, position, title, html, scenario_slug, "
		        "active) VALUES ($1, $2, $3, $4, $5, $6, true) "
		        "ON CONFLICT (module_id, id) DO UPDATE SET "
		        "position = EXCLUDED.position, "
		        "title = EXCLUDED.title, html = EXCLUDED.html, "
		        "scenario_slug = EXCLUDED.scenario_slug, "
		        "active = true",
		        6, p) != 0)
			return -1;
	}
	if (sql_run(conn, "deactivating objectives",
	            "UPDATE quiz_objectives SET active = false "
	            "WHERE module_id = $1 AND active",
	            1, p) != 0)
		return -1;
	for (i = 0; i < m->n_objectives; i++) {
		const struct content_objective *o = &m->objectives[i];
		char                            draw[16], *secs;
		int                             rc;

		snprintf(pos, sizeof(pos), "%zu", i + 1);
		snprintf(draw, sizeof(draw), "%d", o->draw);
		if ((secs = section_array(o)) == NULL)
			return -1;
		p[1] = o->id;
		p[2] = pos;
		p[3] = o->title;
		p[4] = secs;
		p[5] = draw;
		rc = sql_run(conn, "writing an objective",
		             "INSERT INTO quiz_objectives "
		             "(module_id, id, position, title, sections, draw, "
		             "active) VALUES ($1, $2, $3, $4, $5::text[], $6, "
		             "true) ON CONFLICT (module_id, id) DO UPDATE SET "
		             "position = EXCLUDED.position, "
		             "title = EXCLUDED.title, "
		             "sections = EXCLUDED.sections, "
		             "draw = EXCLUDED.draw, active = true",
		             6, p);
		free(secs);
		if (rc != 0)
			return -1;
	}
	if (sql_run(conn, "deactivating questions",
	            "UPDATE quiz_questions SET active = false "
	            "WHERE module_id = $1 AND active",
	            1, p) != 0)
		return -1;
	for (i = 0; i < m->n_questions; i++) {
		const struct content_question *q = &m->questions[i];

		snprintf(pos, sizeof(pos), "%zu", i + 1);
		p[1] = q->id;
		p[2] = pos;
		p[3] = q->text;
		p[4] = q->multiple ? "true" : "false";
		p[5] = q->explanation;
		p[6] = q->objective;
		if (sql_run(
		        conn, "writing a question",
		        "INSERT INTO quiz_questions "
		        "(module_id, id, position, text, multiple, "
		        "explanation, objective_id, active) "
		        "VALUES ($1, $2, $3, $4, $5, $6, $7, true) "
		        "ON CONFLICT (module_id, id) DO UPDATE SET "
		        "position = EXCLUDED.position, "
		        "text = EXCLUDED.text, "
		        "multiple = EXCLUDED.multiple, "
		        "explanation = EXCLUDED.explanation, "
		        "objective_id = EXCLUDED.objective_id, active = true",
		        7, p) != 0)
			return -1;
		if (sql_run(conn, "replacing choices",
		            "DELETE FROM quiz_choices "
		            "WHERE module_id = $1 AND question_id = $2",
		            2, p) != 0)
			return -1;
		for (j = 0; j < q->n_choices; j++) {
			const struct content_choice *ch = &q->choices[j];
			const char                  *cp[6];

			snprintf(cpos, sizeof(cpos), "%zu", j + 1);
			cp[0] = module_id;
			cp[1] = q->id;
			cp[2] = ch->id;
			cp[3] = cpos;
			cp[4] = ch->text;
			cp[5] = ch->correct ? "true" : "false";
			if (sql_run(conn, "writing a choice",
			            "INSERT INTO quiz_choices "
			            "(module_id, question_id, id, position, "
			            "text, correct) "
			            "VALUES ($1, $2, $3, $4, $5, $6)",
			            6, cp) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Keeps the criteria of an in-person module under its new version: an
 * attendee's judgement names the version, so older texts stay readable.
 */
static int
write_criteria(PGconn *conn, const char *module_id, int version,
               const struct content_module *m)
{
	json_t     *arr;
	char       *text, ver[16];
	const char *p[3];
	size_t      i;
	int         rc;

	if (m->n_criteria == 0)
		return 0;
	if ((arr = json_array()) == NULL)
		goto oom;
	for (i = 0; i < m->n_criteria; i++)
		if (json_array_append_new(
		        arr, json_pack("{s:s, s:s}", "id", m->criteria[i].id,
		                       "text", m->criteria[i].text)) != 0) {
			json_decref(arr);
			goto oom;
		}
	text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (text == NULL)
		goto oom;
	snprintf(ver, sizeof(ver), "%d", version);
	p[0] = module_id;
	p[1] = ver;
	p[2] = text;
	rc = sql_run(conn, "writing the criteria",
	             "INSERT INTO module_criteria "
	             "(module_id, module_version, criteria) "
	             "VALUES ($1, $2, $3::jsonb) "
	             "ON CONFLICT (module_id, module_version) DO UPDATE SET "
	             "criteria = EXCLUDED.criteria",
	             3, p);
	free(text);
	return rc;
oom:
	fputs("hgkm-content: out of memory\n", stderr);
	return -1;
}

/* Inserts, updates or leaves alone one module, and says which. */
static int
load_module(PGconn *conn, const struct content_module *m, struct report *r)
{
	const char *p[10];
	PGresult   *res;
	char        minutes[16], months[16], mark[16], position[16];
	char       *module_id;
	int         rc, version;

	p[0] = m->slug;
	res = sql_exec(conn, "reading the module",
	               "SELECT id, version, content_hash, active FROM modules "
	               "WHERE slug = $1 FOR UPDATE",
	               1, p, PGRES_TUPLES_OK);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 2), m->hash) == 0) {
		version = atoi(PQgetvalue(res, 0, 1));
		if (strcmp(PQgetvalue(res, 0, 3), "t") == 0) {
			/* Unchanged: not even loaded_at is touched. */
			report_add(r, "%s: unchanged (v%d)", m->slug, version);
			PQclear(res);
			return 0;
		}
		p[0] = PQgetvalue(res, 0, 0);
		rc = sql_run(conn, "reactivating the module",
		             "UPDATE modules SET active = true WHERE id = $1",
		             1, p);
		if (rc == 0)
			report_add(r, "%s: reactivated (v%d)", m->slug,
			           version);
		PQclear(res);
		return rc;
	}

	snprintf(minutes, sizeof(minutes), "%d", m->estimated_minutes);
	snprintf(months, sizeof(months), "%d", m->validity_months);
	snprintf(mark, sizeof(mark), "%d", m->pass_mark);
	snprintf(position, sizeof(position), "%d", m->position);
	p[1] = m->title;
	p[2] = m->summary;
	p[3] = audience_array(m->audience);
	p[4] = minutes;
	p[5] = months;
	p[6] = mark;
	p[7] = position;
	p[8] = m->hash;
	p[9] = m->in_person ? "true" : "false";
	if (PQntuples(res) == 1) {
		/* The id must outlive the result it came from. */
		module_id = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (module_id == NULL) {
			fputs("hgkm-content: out of memory\n", stderr);
			return -1;
		}
		p[0] = module_id;
		res = sql_exec(conn, "updating the module",
		               "UPDATE modules SET title = $2, summary = $3, "
		               "audience = $4::text[], estimated_minutes = $5, "
		               "validity_months = $6, pass_mark = $7, "
		               "position = $8, content_hash = $9, "
		               "in_person = $10, "
		               "version = version + 1, active = true, "
		               "loaded_at = now() "
		               "WHERE id = $1 RETURNING version",
		               10, p, PGRES_TUPLES_OK);
	} else {
		PQclear(res);
		module_id = NULL;
		res =
		    sql_exec(conn, "inserting the module",
		             "INSERT INTO modules (slug, title, summary, "
		             "audience, estimated_minutes, validity_months, "
		             "pass_mark, position, content_hash, in_person, "
		             "version) VALUES ($1, $2, $3, $4::text[], $5, $6, "
		             "$7, $8, $9, $10, 1) RETURNING id, version",
		             10, p, PGRES_TUPLES_OK);
		if (res != NULL)
			module_id = strdup(PQgetvalue(res, 0, 0));
	}
	if (res == NULL) {
		free(module_id);
		return -1;
	}
	if (module_id == NULL) {
		fputs("hgkm-content: out of memory\n", stderr);
		PQclear(res);
		return -1;
	}
	version = atoi(PQgetvalue(res, 0, PQnfields(res) - 1));
	PQclear(res);
	rc = write_children(conn, module_id, m);
	if (rc == 0)
		rc = write_criteria(conn, module_id, version, m);
	free(module_id);
	if (rc != 0)
		return -1;
	if (version == 1)
		report_add(r, "%s: new (v1)", m->slug);
	else
		report_add(r, "%s: updated to v%d", m->slug, version);
	return 0;
}

/* Modules whose directory is gone stay in the database, inactive. */
static int
deactivate_missing(PGconn *conn, const struct catalogue *cat, struct report *r)
{
	const char *p[1];
	PGresult   *res;
	size_t      i;
	int         row, rc;

	res = sql_exec(conn, "listing active modules",
	               "SELECT slug FROM modules WHERE active ORDER BY slug", 0,
	               NULL, PGRES_TUPLES_OK);
	if (res == NULL)
		return -1;
	rc = 0;
	for (row = 0; row < PQntuples(res) && rc == 0; row++) {
		p[0] = PQgetvalue(res, row, 0);
		for (i = 0; i < cat->count; i++)
			if (strcmp(cat->mods[i]->slug, p[0]) == 0)
				break;
		if (i < cat->count)
			continue;
		rc = sql_run(conn, "deactivating a module",
		             "UPDATE modules SET active = false "
		             "WHERE slug = $1",
		             1, p);
		if (rc == 0)
			report_add(r, "%s: deactivated (directory is gone)",
			           p[0]);
	}
	PQclear(res);
	return rc;
}

/*
 * The balance table: per module with a quiz, what a guesser sees.  Returns
 * the number of broken balance rules (their messages go to stderr).
 */
static size_t
print_balance(const char *content_dir, const struct catalogue *cat)
{
	struct errlist         errs;
	struct content_balance b;
	size_t                 i, broken = 0;
	char                  *path;

	errlist_init(&errs);
	printf("%-24s %5s %6s %10s %9s %16s %5s\n", "module", "bank", "drawn",
	       "objectives", "longest%", "longest-learner", "pass");
	for (i = 0; i < cat->count; i++) {
		const struct content_module *m = cat->mods[i];

		if (m->n_questions == 0)
			continue;
		content_balance(m, &b);
		printf("%-24s %5zu %6zu %10zu %8.0f%% %16.1f %5d\n", m->slug,
		       b.bank, b.drawn, b.objectives, b.longest_right_pct,
		       b.longest_learner_score, m->pass_mark);
		if (asprintf(&path, "%s/modules/%s/module.json", content_dir,
		             m->slug) < 0) {
			fputs("hgkm-content: out of memory\n", stderr);
			abort();
		}
		broken += content_balance_check(m, path, &errs);
		free(path);
	}
	print_errors(&errs);
	errlist_free(&errs);
	return broken;
}

static int
cmd_check(const char *content_dir)
{
	struct catalogue cat;
	size_t           i, broken;

	if (catalogue_load(content_dir, &cat) != 0)
		return CONTENT_EXIT_FAIL;
	for (i = 0; i < cat.count; i++)
		printf("%s: ok (%zu sections, %zu questions, hash %.12s)\n",
		       cat.mods[i]->slug, cat.mods[i]->n_sections,
		       cat.mods[i]->n_questions, cat.mods[i]->hash);
	broken = print_balance(content_dir, &cat);
	catalogue_free(&cat);
	if (broken > 0 && CONTENT_BALANCE_RULES_ENFORCED) {
		fprintf(stderr,
		        "hgkm-content: %zu balance rule%s broken "
		        "(CONTENT_BALANCE_RULES_ENFORCED)\n",
		        broken, broken == 1 ? "" : "s");
		return CONTENT_EXIT_FAIL;
	}
	return CONTENT_EXIT_OK;
}

static int
cmd_load(const char *content_dir)
{
	struct catalogue cat;
	struct report    r = {NULL, 0};
	const char      *conninfo;
	PGconn          *conn;
	PGresult        *res;
	size_t           i;
	int              rc;

	conninfo = getenv("DATABASE_URL");
	if (conninfo == NULL || conninfo[0] == '\0') {
		fputs("hgkm-content: DATABASE_URL is not set\n", stderr);
		return CONTENT_EXIT_USAGE;
	}
	/* Everything is checked before the database is touched. */
	if (catalogue_load(content_dir, &cat) != 0) {
		fputs("hgkm-content: nothing loaded\n", stderr);
		return CONTENT_EXIT_FAIL;
	}
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "hgkm-content: connecting: %s",
		        PQerrorMessage(conn));
		PQfinish(conn);
		catalogue_free(&cat);
		return CONTENT_EXIT_FAIL;
	}
	rc = -1;
	if (sql_run(conn, "BEGIN", "BEGIN", 0, NULL) != 0)
		goto out;
	/* One loader at a time; the lock ends with the transaction. */
	res = sql_exec(conn, "locking",
	               "SELECT pg_advisory_xact_lock(hashtext('hgkm-content'))",
	               0, NULL, PGRES_TUPLES_OK);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	for (i = 0; i < cat.count; i++)
		if (load_module(conn, cat.mods[i], &r) != 0)
			goto rollback;
	if (deactivate_missing(conn, &cat, &r) != 0)
		goto rollback;
	if (sql_run(conn, "COMMIT", "COMMIT", 0, NULL) != 0)
		goto out;
	for (i = 0; i < r.count; i++)
		printf("%s\n", r.lines[i]);
	rc = 0;
	goto out;
rollback:
	/* The failure is printed already; ROLLBACK's result adds nothing. */
	PQclear(PQexec(conn, "ROLLBACK"));
out:
	if (rc != 0)
		fputs("hgkm-content: nothing loaded\n", stderr);
	report_free(&r);
	PQfinish(conn);
	catalogue_free(&cat);
	return rc == 0 ? CONTENT_EXIT_OK : CONTENT_EXIT_FAIL;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		usage();
		return CONTENT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	if (strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2]);
	usage();
	return CONTENT_EXIT_USAGE;
}
