/* Integration tests: POST /api/v1/school-register with DUO's real register
 * of primary-school locations (tests/data/duo/, Windows-1252, ';', CRLF).
 *
 * The test stack may hold the register already (from an earlier test or
 * run), so every test first brings it to the state of the full file and
 * checks the database itself.  The test that closes locations runs last in
 * the group and restores the full register before it ends. */
#include "itest_org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUO_FILE "02.-alle-schoolvestigingen-basisonderwijs.csv"
#define DUO_SCHOOLS 6122
#define DUO_BOARDS 749
#define DUO_MUNICIPALITIES 342

/* The file and the sets the tests compare the database with. */
struct duo {
	char  *data;
	size_t len;
	char  *brins;   /* PostgreSQL array literals */
	char  *numbers; /* BEVOEGD GEZAG NUMMER */
	char  *muns;    /* GEMEENTENUMMER */
	size_t lines;   /* physical lines, header included */
};

static const struct duo *duo_load(void);
static char             *duo_lines(const struct duo *d, size_t first_n);
static char *duo_with_field(const struct duo *d, size_t line, size_t field,
                            const char *value);
static struct itest_resp *import(const char *body, size_t len,
                                 const char *token);
static json_t            *import_ok(const char *body, size_t len);
static void  expect_import(const json_t *j, long boards, long created,
                           long updated, long closed);
static long  db_count(const char *sql, const char *array);
static char *org_snapshot(void);
static void  restore_full(void);
static void  expect_error_lines(const struct itest_resp *r,
                                const unsigned *lines, size_t n);

static void test_school_register_import_counts(void **state);
static void test_school_register_same_again(void **state);
static void test_school_register_bad_lines(void **state);
static void test_school_register_refusals(void **state);
static void test_school_register_close_reopen(void **state);

/* Helpers. */

static void
duo_free(void *p)
{
	struct duo *d = p;

	free(d->data);
	free(d->brins);
	free(d->numbers);
	free(d->muns);
	free(d);
}

/* The next CRLF at or after p (NULL at the end).  Not strstr: ASan's
 * strstr measures the whole rest of the file on every call. */
static const char *
crlf(const char *p, const char *end)
{
	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (p[1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

/* Appends ",value" (or "{value") to a growing array literal. */
static void
array_add(char **arr, size_t *len, size_t *cap, const char *v, size_t n)
{
	if (*len + n + 3 > *cap) {
		*cap = (*cap + n + 3) * 2;
		*arr = realloc(*arr, *cap);
		assert_non_null(*arr);
	}
	(*arr)[*len] = *len == 0 ? '{' : ',';
	*len += 1;
	memcpy(*arr + *len, v, n);
	*len += n;
	(*arr)[*len] = '\0';
}

/* Reads the file and collects the codes of fields 1 (board number), 3
 * (location code) and 9 (municipality number), repeats included (= ANY
 * does not mind): every field of this file is plain (no quoted ';'), as
 * its 31 fields on each line show. */
static const struct duo *
duo_load(void)
{
	struct duo *d = calloc(1, sizeof(*d));
	char       *path;
	FILE       *f;
	size_t      cap[3] = {0}, len[3] = {0};
	char      **arr[3];
	const char *line, *end;

	assert_non_null(d);
	itest_keep(d, duo_free);
	arr[0] = &d->numbers;
	arr[1] = &d->brins;
	arr[2] = &d->muns;
	path = itest_fmt("%s/../tests/data/duo/" DUO_FILE,
	                 itest_env("CONTENT_DIR"));
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	d->len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	d->data = malloc(d->len + 1);
	assert_non_null(d->data);
	if (fread(d->data, 1, d->len, f) != d->len) {
		fclose(f);
		fail_msg("cannot read %s", path);
	}
	fclose(f);
	d->data[d->len] = '\0';
	for (line = d->data; *line != '\0'; line = end + 2) {
		const char      *field[12] = {0};
		const char      *p = line;
		size_t           nf = 0;
		static const int want[3] = {1, 3, 9};

		end = crlf(line, d->data + d->len);
		if (end == NULL)
			fail_msg("line %zu does not end in CRLF", d->lines + 1);
		d->lines++;
		if (d->lines == 1)
			continue;
		while (nf < 12 && p <= end) {
			field[nf++] = p;
			p = memchr(p, ';', (size_t)(end - p));
			if (p == NULL)
				break;
			p++;
		}
		if (nf < 11)
			fail_msg("line %zu has %zu fields", d->lines, nf);
		for (int k = 0; k < 3; k++) {
			const char *v = field[want[k]];
			size_t      n = strcspn(v, ";\r");

			array_add(arr[k], &len[k], &cap[k], v, n);
		}
	}
	for (int k = 0; k < 3; k++) {
		assert_non_null(*arr[k]);
		array_add(arr[k], &len[k], &cap[k], "", 0);
		(*arr[k])[len[k] - 1] = '}';
	}
	assert_int_equal(d->lines, DUO_SCHOOLS + 1);
	return d;
}

/* The header and the first first_n data lines, CRLF kept. */
static char *
duo_lines(const struct duo *d, size_t first_n)
{
	const char *p = d->data, *stop = d->data + strlen(d->data);

	for (size_t i = 0; i < first_n + 1; i++) {
		p = crlf(p, stop);
		assert_non_null(p);
		p += 2;
	}
	return itest_fmt("%.*s", (int)(p - d->data), d->data);
}

/* The file with one field of one physical line replaced. */
static char *
duo_with_field(const struct duo *d, size_t line, size_t field,
               const char *value)
{
	const char *p = d->data, *start, *stop;
	const char *last = d->data + strlen(d->data);

	for (size_t i = 1; i < line; i++) {
		p = crlf(p, last);
		assert_non_null(p);
		p += 2;
	}
	start = p;
	for (size_t i = 0; i < field; i++) {
		start = strchr(start, ';');
		assert_non_null(start);
		start++;
	}
	stop = start + strcspn(start, ";\r");
	return itest_fmt("%.*s%s%s", (int)(start - d->data), d->data, value,
	                 stop);
}

static struct itest_resp *
import(const char *body, size_t len, const char *token)
{
	return org_send("POST", "/api/v1/school-register", token, "text/csv",
	                body, len);
}

static json_t *
import_ok(const char *body, size_t len)
{
	return itest_expect_json(import(body, len, org_admin()), 200);
}

static void
expect_import(const json_t *j, long boards, long created, long updated,
              long closed)
{
	if (itest_jint(j, "boards_created") != boards ||
	    itest_jint(j, "schools_created") != created ||
	    itest_jint(j, "schools_updated") != updated ||
	    itest_jint(j, "schools_closed") != closed)
		fail_msg("import: expected boards_created %ld, schools_created "
		         "%ld, schools_updated %ld, schools_closed %ld; got %s",
		         boards, created, updated, closed, itest_dump(j));
}

static long
db_count(const char *sql, const char *array)
{
	return org_db_long(sql, array ? 1 : 0, (const char *[]){array});
}

/* Every row of the organisation tables the import writes, hashed. */
static char *
org_snapshot(void)
{
	return org_db_text(
	    "SELECT concat_ws('|',"
	    " (SELECT md5(coalesce(string_agg(concat_ws(';', id, board_id,"
	    "   name, brin, municipality, municipality_id, place, join_code,"
	    "   closed_at), ',' ORDER BY id), '')) FROM schools),"
	    " (SELECT md5(coalesce(string_agg(concat_ws(';', id, name, number,"
	    "   region_id), ',' ORDER BY id), '')) FROM boards),"
	    " (SELECT md5(coalesce(string_agg(concat_ws(';', id, code, name,"
	    "   region_id), ',' ORDER BY id), '')) FROM municipalities),"
	    " (SELECT md5(coalesce(string_agg(concat_ws(';', id, code, name),"
	    "   ',' ORDER BY id), '')) FROM regions))",
	    0, NULL);
}

/* The register as in the full file: every location open. */
static void
restore_full(void)
{
	const struct duo *d = duo_load();
	json_t           *j = import_ok(d->data, d->len);

	(void)j;
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE brin = ANY($1::text[])"
	             " AND closed_at IS NULL",
	             d->brins),
	    DUO_SCHOOLS);
}

static void
expect_error_lines(const struct itest_resp *r, const unsigned *lines, size_t n)
{
	json_t *err = itest_expect_error(r, 400, "validation_failed");
	json_t *list = json_object_get(err, "errors");
	json_t *e;
	size_t  i;
	bool    seen[16] = {false};

	assert_true(n <= 16);
	if (!json_is_array(list) || json_array_size(list) == 0)
		fail_msg("no errors[] in %.600s", r->body);
	json_array_foreach (list, i, e) {
		long line = itest_jint(e, "line");
		bool ok = false;

		(void)itest_jstr(e, "message");
		for (size_t k = 0; k < n; k++)
			if ((long)lines[k] == line)
				ok = seen[k] = true;
		if (!ok)
			fail_msg("unexpected error on line %ld: %.600s", line,
			         r->body);
	}
	for (size_t k = 0; k < n; k++)
		if (!seen[k])
			fail_msg("no error for line %u: %.600s", lines[k],
			         r->body);
}

/* Tests. */

static void
test_school_register_import_counts(void **state)
{
	const struct duo *d = duo_load();
	long              before_s, before_b;
	json_t           *j, *list, *e;
	const char       *board_id;
	size_t            i;
	bool              found = false;

	(void)state;
	before_s = db_count(
	    "SELECT count(*) FROM schools WHERE brin = ANY($1::text[])",
	    d->brins);
	before_b = db_count(
	    "SELECT count(*) FROM boards WHERE number = ANY($1::text[])",
	    d->numbers);
	j = import_ok(d->data, d->len);
	assert_int_equal(itest_jint(j, "schools_created"),
	                 DUO_SCHOOLS - before_s);
	assert_int_equal(itest_jint(j, "boards_created"),
	                 DUO_BOARDS - before_b);
	assert_int_equal(itest_jint(j, "schools_closed"), 0);

	/* The database holds the file: 6122 open locations with DUO's codes,
	 * 749 boards with their numbers, 342 municipalities with codes. */
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE brin = ANY($1::text[])"
	             " AND closed_at IS NULL",
	             d->brins),
	    DUO_SCHOOLS);
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE closed_at IS NULL"
	             " AND brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$'",
	             NULL),
	    DUO_SCHOOLS);
	assert_int_equal(
	    db_count(
	        "SELECT count(*) FROM boards WHERE number = ANY($1::text[])",
	        d->numbers),
	    DUO_BOARDS);
	assert_int_equal(db_count("SELECT count(*) FROM municipalities"
	                          " WHERE code = ANY($1::text[])",
	                          d->muns),
	                 DUO_MUNICIPALITIES);
	/* Every location has its board and its municipality. */
	assert_int_equal(
	    db_count(
	        "SELECT count(*) FROM schools s JOIN boards b"
	        " ON b.id = s.board_id JOIN municipalities m"
	        " ON m.id = s.municipality_id WHERE s.brin = ANY($1::text[])"
	        " AND b.number IS NOT NULL AND m.code IS NOT NULL",
	        d->brins),
	    DUO_SCHOOLS);
	/* Join codes for every location, all different. */
	assert_int_equal(
	    db_count("SELECT count(DISTINCT join_code) FROM schools"
	             " WHERE brin = ANY($1::text[]) AND length(join_code) = 8",
	             d->brins),
	    DUO_SCHOOLS);

	/* One location in detail (line 2 of the file). */
	assert_string_equal(
	    org_db_text("SELECT concat_ws('|', s.name, b.number, m.code,"
	                " s.municipality, s.place) FROM schools s"
	                " JOIN boards b ON b.id = s.board_id"
	                " JOIN municipalities m ON m.id = s.municipality_id"
	                " WHERE s.brin = '32JK00'",
	                0, NULL),
	    "BBS de Verwondering|20091|1699|NOORDENVELD|"
	    "ALTEVEER GEM NOORDENVELD");
	/* Windows-1252 decoded: 0x92 is U+2019, 0xF6 is U+00F6. */
	assert_string_equal(
	    org_db_text("SELECT name FROM schools WHERE brin = '05OC00'", 0,
	                NULL),
	    "Dalton Kindcentrum \xE2\x80\x99t Kompas");
	assert_string_equal(
	    org_db_text("SELECT name FROM schools WHERE brin = '10UN00'", 0,
	                NULL),
	    "IKC 't Oelebr\xC3\xB6"
	    "d");

	/* The board's school list (admin) shows it, open. */
	board_id = org_db_text("SELECT id FROM boards WHERE number = '20091'",
	                       0, NULL);
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%s/schools", board_id),
	              org_admin()),
	    200);
	json_array_foreach (list, i, e) {
		if (strcmp(itest_jstr(e, "brin"), "32JK00") == 0) {
			found = true;
			assert_false(itest_jbool(e, "closed"));
			assert_string_equal(itest_jstr(e, "municipality"),
			                    "NOORDENVELD");
		}
	}
	if (!found)
		fail_msg("32JK00 is not in its board's list: %.500s",
		         itest_dump(list));
}

static void
test_school_register_same_again(void **state)
{
	const struct duo *d = duo_load();
	const char       *before;

	(void)state;
	restore_full();
	before = org_snapshot();
	expect_import(import_ok(d->data, d->len), 0, 0, 0, 0);
	assert_string_equal(org_snapshot(), before);
}

/* A bad file is refused whole, with the physical lines of its errors. */
static void
test_school_register_bad_lines(void **state)
{
	static const unsigned two[] = {101, 3001};
	static const unsigned dup[] = {6};
	static const unsigned head[] = {1};
	const struct duo     *d = duo_load();
	const char           *before;
	char                 *bad, *small;

	(void)state;
	restore_full();
	before = org_snapshot();
	/* Line 101: a location code of four characters; line 3001: a board
	 * number with letters. */
	bad = duo_with_field(d, 101, 3, "12AB");
	bad = duo_with_field(&(struct duo){.data = bad}, 3001, 1, "ABC");
	expect_error_lines(import(bad, strlen(bad), org_admin()), two, 2);
	assert_string_equal(org_snapshot(), before);

	/* A short file (which, were it good, would close the rest) with the
	 * code of line 2 again on line 6. */
	small = duo_lines(d, 6);
	small = duo_with_field(&(struct duo){.data = small}, 6, 3, "32JK00");
	expect_error_lines(import(small, strlen(small), org_admin()), dup, 1);
	assert_string_equal(org_snapshot(), before);

	/* A header without VESTIGINGSCODE. */
	small = duo_with_field(&(struct duo){.data = duo_lines(d, 3)}, 1, 3,
	                       "CODE");
	expect_error_lines(import(small, strlen(small), org_admin()), head, 1);
	assert_string_equal(org_snapshot(), before);
}

static void
test_school_register_refusals(void **state)
{
	const struct duo *d = duo_load();
	const char       *before = org_snapshot();
	size_t            big = 20u * 1024 * 1024 + 1;
	char             *body = malloc(big + 1);

	(void)state;
	assert_non_null(body);
	itest_keep(body, free);
	/* Not an admin. */
	itest_expect_error(
	    import(d->data, d->len, org_demo_token("board_admin")), 403,
	    "forbidden");
	itest_expect_error(import(d->data, d->len, org_demo_token("trainer")),
	                   403, "forbidden");
	itest_expect_error(import(d->data, d->len, NULL), 401,
	                   "unauthenticated");
	/* Not CSV. */
	itest_expect_error(org_send("POST", "/api/v1/school-register",
	                            org_admin(), "application/json", d->data,
	                            d->len),
	                   415, "unsupported_media_type");
	/* Empty. */
	itest_expect_error(import("", 0, org_admin()), 400,
	                   "validation_failed");
	/* Over 20 MiB: 413 with the JSON error shape. */
	memset(body, 'x', big);
	body[big] = '\0';
	itest_expect_error(import(body, big, org_admin()), 413,
	                   "payload_too_large");
	assert_string_equal(org_snapshot(), before);
}

/*
 * The first 30 lines of the file (header and 29 locations): the other
 * 6093 locations left the register, so they are closed, never deleted;
 * schools an admin made with other codes stay open.  The full file again
 * reopens them.  Runs last; ends with the full register.
 */
static void
test_school_register_close_reopen(void **state)
{
	const struct duo  *d = duo_load();
	long               board = org_board(0);
	struct org_school *mine = org_school(board, NULL, NULL);
	const char        *small;
	const char        *closed_brin, *closed_code, *closed_board;
	json_t            *list, *e;
	size_t             i;
	bool               found = false;

	(void)state;
	restore_full();
	small = duo_lines(d, 29);
	expect_import(import_ok(small, strlen(small)), 0, 0, 0,
	              DUO_SCHOOLS - 29);
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE brin = ANY($1::text[])"
	             " AND closed_at IS NULL",
	             d->brins),
	    29);
	/* Rows kept, with closed_at. */
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE brin = ANY($1::text[])"
	             " AND closed_at IS NOT NULL AND closed_at <= now()",
	             d->brins),
	    DUO_SCHOOLS - 29);
	assert_int_equal(
	    db_count(
	        "SELECT count(*) FROM schools WHERE brin = ANY($1::text[])",
	        d->brins),
	    DUO_SCHOOLS);
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE closed_at IS NULL"
	             " AND brin ~ '^[0-9]{2}[A-Z]{2}[0-9]{2}$'",
	             NULL),
	    29);
	/* A school made by hand stays open. */
	assert_int_equal(db_count("SELECT count(*) FROM schools WHERE id = $1::"
	                          "bigint AND closed_at IS NULL",
	                          itest_fmt("%ld", mine->id)),
	                 1);
	/* The same short file again: nothing more to close. */
	expect_import(import_ok(small, strlen(small)), 0, 0, 0, 0);

	/* A closed location: "closed" in its board's list, and its join code
	 * no longer registers anyone. */
	closed_brin = org_db_text("SELECT brin FROM schools WHERE brin ="
	                          " ANY($1::text[]) AND closed_at IS NOT NULL"
	                          " ORDER BY brin LIMIT 1",
	                          1, (const char *[]){d->brins});
	closed_code = org_db_text("SELECT join_code FROM schools WHERE brin"
	                          " = $1",
	                          1, (const char *[]){closed_brin});
	closed_board = org_db_text("SELECT board_id FROM schools WHERE brin"
	                           " = $1",
	                           1, (const char *[]){closed_brin});
	list = itest_expect_json(
	    itest_get(itest_fmt("/api/v1/boards/%s/schools", closed_board),
	              org_admin()),
	    200);
	json_array_foreach (list, i, e) {
		if (strcmp(itest_jstr(e, "brin"), closed_brin) == 0) {
			found = true;
			assert_true(itest_jbool(e, "closed"));
		}
	}
	assert_true(found);
	itest_expect_error(
	    itest_post_json("/api/v1/auth/register", NULL,
	                    itest_register_body(
	                        itest_unique_email(), itest_strong_password(),
	                        "Gesloten School", closed_code)),
	    400, "validation_failed");

	/* The full file reopens them. */
	expect_import(import_ok(d->data, d->len), 0, 0, DUO_SCHOOLS - 29, 0);
	assert_int_equal(
	    db_count("SELECT count(*) FROM schools WHERE brin = ANY($1::text[])"
	             " AND closed_at IS NULL",
	             d->brins),
	    DUO_SCHOOLS);
	expect_import(import_ok(d->data, d->len), 0, 0, 0, 0);
	(void)mine;
}

int
itest_run_register(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_school_register_import_counts),
	    ITEST(test_school_register_same_again),
	    ITEST(test_school_register_bad_lines),
	    ITEST(test_school_register_refusals),
	    /* Last: it closes locations, and restores them. */
	    ITEST(test_school_register_close_reopen),
	};

	return cmocka_run_group_tests_name("register", tests, NULL, NULL);
}
