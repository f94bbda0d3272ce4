/* Unit tests for roster.c: format, every check, line numbers, limits. */

/*
 * Small inline rosters in two tables: good_cases (what comes out) and
 * bad_cases (which errors, on which lines, and that no row comes out).  The
 * limits (rows, bytes, error cap) are built in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"

/* A string literal and its length, for inputs with NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

#define HC "email,name,role,brin\r\n"
#define HS "email;name;role;brin\r\n"

/* 200 and 201 characters; "\xc3\xa9" is one character in two bytes. */
#define X50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define E50                                                                    \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"     \
	"\xc3\xa9\xc3\xa9"
#define NAME200 E50 E50 E50 E50
#define NAME201 X50 X50 X50 X50 "x"

struct want_row {
	unsigned    line;
	const char *email, *name, *role, *brin;
};

struct good_case {
	const char     *what;
	const char     *input;
	size_t          len; /* 0: strlen(input) */
	size_t          n_rows;
	size_t          check; /* index of the row compared with `row` */
	struct want_row row;
};

static const struct good_case good_cases[] = {
    {"comma, CRLF",
     HC "jan@school.nl,Jan Jansen,teacher,32JK00\r\n",
     0,
     1,
     0,
     {2, "jan@school.nl", "Jan Jansen", "teacher", "32JK00"}},
    {"semicolon, LF, no final newline",
     "email;name;role;brin\nA@B.nl;Ann;ib;32JK00\nc@d.nl;\"Bo, C\";ib;"
     "18HI00",
     0,
     2,
     1,
     {3, "c@d.nl", "Bo, C", "ib", "18HI00"}},
    {"BOM",
     "\xef\xbb\xbf" HC "jan@school.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     0,
     {2, "jan@school.nl", "Jan", "teacher", "32JK00"}},
    {"trim, lower-case email, upper-case BRIN, role in any case",
     HS "  Jan.Jansen@School.NL ; \" Jan  Jansen \" ; IB ; 32jk00 \r\n",
     0,
     1,
     0,
     {2, "jan.jansen@school.nl", "Jan  Jansen", "ib", "32JK00"}},
    {"header in any case and order, extra columns ignored",
     " BRIN ,Note,Role,NAME,E-mailadres,Email\r\n"
     "32JK00,x,Teacher,Jan,ignored,jan@school.nl\r\n",
     0,
     1,
     0,
     {2, "jan@school.nl", "Jan", "teacher", "32JK00"}},
    {"quoted fields: delimiter, doubled quote, line break in another column",
     "email,name,role,brin,note\r\n"
     "a@b.nl,\"Jansen, \"\"Jan\"\"\",teacher,32JK00,\"two\r\nlines\"\r\n"
     "c@d.nl,Ann,ib,32JK00,\r\n",
     0,
     2,
     0,
     {2, "a@b.nl", "Jansen, \"Jan\"", "teacher", "32JK00"}},
    {"a line break in a quoted field moves the next line number",
     "email,name,role,brin,note\r\n"
     "a@b.nl,Jan,teacher,32JK00,\"two\r\nlines\"\r\n"
     "c@d.nl,Ann,ib,32JK00,\r\n",
     0,
     2,
     1,
     {4, "c@d.nl", "Ann", "ib", "32JK00"}},
    {"blank lines and an all-empty record skipped, lines counted",
     HC "\r\n,,,\r\n  \r\na@b.nl,Jan,teacher,32JK00\r\n\r\n\r\n",
     0,
     1,
     0,
     {5, "a@b.nl", "Jan", "teacher", "32JK00"}},
    {"lone CR line ends (old Mac exports) count as lines",
     "email,name,role,brin,note\ra@b.nl,A,ib,32JK00,\"x\ry\"\r\r"
     "b@b.nl,B,ib,32JK00,\r",
     0,
     2,
     1,
     {5, "b@b.nl", "B", "ib", "32JK00"}},
    {"header after a blank line",
     "\r\n" HC "a@b.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     0,
     {3, "a@b.nl", "Jan", "teacher", "32JK00"}},
    {"names starting with = + - @ are data",
     HC "a@b.nl,\"=HYPERLINK(\"\"x\"\")\",teacher,32JK00\r\n"
        "b@b.nl,+31,teacher,32JK00\r\nc@b.nl,-x,teacher,32JK00\r\n"
        "d@b.nl,@Jan,teacher,32JK00\r\n",
     0,
     4,
     0,
     {2, "a@b.nl", "=HYPERLINK(\"x\")", "teacher", "32JK00"}},
    {"name of 200 characters in 400 bytes",
     HC "a@b.nl," NAME200 ",teacher,32JK00\r\n",
     0,
     1,
     0,
     {2, "a@b.nl", NAME200, "teacher", "32JK00"}},
    {"UTF-8 in names",
     HC "zoe@b.nl,Zo\xc3\xab \xc3\x96zdemir \xe2\x80\x99t,ib,32JK00\r\n",
     0,
     1,
     0,
     {2, "zoe@b.nl", "Zo\xc3\xab \xc3\x96zdemir \xe2\x80\x99t", "ib",
      "32JK00"}},
    {"the same person at two schools is still one email per file: "
     "different emails pass",
     HC "a@b.nl,Jan,teacher,32JK00\r\na2@b.nl,Jan,teacher,18HI00\r\n",
     0,
     2,
     1,
     {3, "a2@b.nl", "Jan", "teacher", "18HI00"}},
};

#define N_GOOD (sizeof(good_cases) / sizeof(good_cases[0]))

struct want_error {
	unsigned    line;
	const char *needle; /* substring of the message */
};

struct bad_case {
	const char       *what;
	const char       *input;
	size_t            len; /* 0: strlen(input) */
	size_t            n_errors;
	struct want_error errors[4];
};

static const struct bad_case bad_cases[] = {
    /* Encoding. */
    {"invalid UTF-8 names its line",
     HC "a@b.nl,Jan,teacher,32JK00\r\nb@b.nl,Jos\xe9,ib,32JK00\r\n",
     0,
     1,
     {{3, "ongeldige UTF-8 (byte 0xE9)"}}},
    {"invalid UTF-8 on two lines",
     HC "a@b.nl,\xff,teacher,32JK00\r\nb@b.nl,ok,ib,32JK00\r\n"
        "c@b.nl,\xc0\xaf,ib,32JK00\r\n",
     0,
     2,
     {{2, "byte 0xFF"}, {4, "byte 0xC0"}}},
    {"invalid UTF-8 with lone CR line ends",
     "email,name,role,brin\ra@b.nl,A,ib,32JK00\r\rb@b.nl,\xff,ib,32JK00\r",
     0,
     1,
     {{4, "byte 0xFF"}}},
    {"surrogate in UTF-8",
     HC "a@b.nl,\xed\xa0\x80,teacher,32JK00\r\n",
     0,
     1,
     {{2, "ongeldige UTF-8"}}},
    {"truncated sequence at the end",
     HC "a@b.nl,Jan,teacher,32JK00\r\n\xe2\x80",
     0,
     1,
     {{3, "ongeldige UTF-8"}}},
    {"UTF-16",
     "\xff\xfe"
     "e\0m\0",
     6,
     1,
     {{1, "UTF-16"}}},
    {"a record of only a NUL byte is not blank",
     BYTES(HC "a@b.nl,A,ib,32JK00\r\n\0\r\n"),
     1,
     {{3, "NUL-byte"}}},
    {"NUL byte",
     BYTES(HC "a@b.nl,Ja\0n,teacher,32JK00\r\n"),
     1,
     {{2, "NUL-byte"}}},
    /* Header. */
    {"empty file", "", 0, 1, {{1, "het bestand is leeg"}}},
    {"blank lines only", "\r\n\r\n", 0, 1, {{1, "het bestand is leeg"}}},
    {"missing column",
     "email,name,role\r\na@b.nl,Jan,teacher\r\n",
     0,
     1,
     {{1, "de kopregel mist de kolom brin"}}},
    {"missing columns, one error",
     "e-mail;naam;rol;brin\r\n",
     0,
     1,
     {{1, "de kopregel mist de kolommen email, name, role"}}},
    {"no header, data in its place",
     "a@b.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{1, "de kopregel mist de kolommen email, name, role, brin"}}},
    {"column twice",
     "email,name,role,brin,EMAIL\r\n",
     0,
     1,
     {{1, "de kolom email staat meer dan eens in de kopregel"}}},
    /* Record shape. */
    {"too few fields",
     HC "a@b.nl,Jan,teacher,32JK00\r\nb@b.nl,Ann,ib\r\n",
     0,
     1,
     {{3, "4 velden verwacht (zoals in de kopregel), 3 gevonden"}}},
    {"too many fields: a comma in an unquoted name",
     HC "a@b.nl,Jansen, Jan,teacher,32JK00\r\n",
     0,
     1,
     {{2, "4 velden verwacht (zoals in de kopregel), 5 gevonden"}}},
    {"semicolon file, comma in a name is fine; a semicolon is not",
     HS "a@b.nl;Jansen, Jan;teacher;32JK00\r\nb@b.nl;A;B;ib;32JK00\r\n",
     0,
     1,
     {{3, "5 gevonden"}}},
    {"quote inside an unquoted field; later lines still checked",
     HC "a@b.nl,Jan \"J\",teacher,32JK00\r\nb@b.nl,Ann,ib,32JK00\r\n"
        "c@b.nl,Bo,leraar,32JK00\r\n",
     0,
     2,
     {{2, "aanhalingsteken op een onverwachte plaats"},
      {4, "onbekende rol \"leraar\""}}},
    {"quote never closed",
     HC "a@b.nl,Jan,teacher,32JK00\r\nb@b.nl,\"Ann,ib,32JK00\r\n"
        "c@b.nl,Bo,ib,32JK00\r\n",
     0,
     1,
     {{3, "aanhalingsteken wordt niet afgesloten"}}},
    /* Email. */
    {"email without @",
     HC "jan.school.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{2, "ongeldig e-mailadres \"jan.school.nl\""}}},
    {"email without a dot in the domain",
     HC "a@b.nl,Ann,ib,32JK00\r\njan@school,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{3, "ongeldig e-mailadres \"jan@school\""}}},
    {"email with a space inside",
     HC "jan jansen@school.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{2, "ongeldig e-mailadres"}}},
    {"email with two @",
     HC "a@b@school.nl,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{2, "ongeldig e-mailadres"}}},
    {"empty email",
     HC " ,Jan,teacher,32JK00\r\n",
     0,
     1,
     {{2, "e-mailadres ontbreekt"}}},
    {"email outside ASCII",
     HC "jos\xc3\xa9@school.nl,Jos\xc3\xa9,teacher,32JK00\r\n",
     0,
     1,
     {{2, "bevat tekens buiten ASCII"}}},
    {"look-alikes that PostgreSQL's lower() folds into ASCII: U+0130 and "
     "the Kelvin sign",
     HC "k\xc4\xb0m@school.nl,Kim,ib,32JK00\r\n"
        "\xe2\x84\xaaim@school.nl,Kim,ib,32JK00\r\n",
     0,
     2,
     {{2, "bevat tekens buiten ASCII"}, {3, "bevat tekens buiten ASCII"}}},
    {"the domain of erased accounts is reserved",
     HC "verwijderd-1-ab@verwijderd.invalid,X,teacher,32JK00\r\n",
     0,
     1,
     {{2, "kan niet worden gebruikt"}}},
    {"a label with an underscore or a leading hyphen is no domain",
     HC "a@scho_ol.nl,A,teacher,32JK00\r\nb@-school.nl,B,teacher,32JK00\r\n",
     0,
     2,
     {{2, "ongeldig e-mailadres"}, {3, "ongeldig e-mailadres"}}},
    {"duplicate email names the first line, case-insensitive",
     HC "Jan@School.nl,Jan,teacher,32JK00\r\nb@b.nl,Ann,ib,32JK00\r\n"
        "jan@school.NL,Jan J,ib,18HI00\r\n",
     0,
     1,
     {{4, "e-mailadres jan@school.nl staat ook op regel 2"}}},
    {"three times the same email: two errors, both name line 2",
     HC "a@b.nl,A,ib,32JK00\r\na@b.nl,A,ib,32JK00\r\na@b.nl,A,ib,32JK00\r\n",
     0,
     2,
     {{3, "staat ook op regel 2"}, {4, "staat ook op regel 2"}}},
    {"a duplicate of a line that is bad otherwise still counts",
     HC "a@b.nl,,ib,32JK00\r\na@b.nl,A,ib,32JK00\r\n",
     0,
     2,
     {{2, "naam ontbreekt"}, {3, "staat ook op regel 2"}}},
    /* Name. */
    {"empty name",
     HC "a@b.nl,  ,teacher,32JK00\r\n",
     0,
     1,
     {{2, "naam ontbreekt"}}},
    {"name of 201 characters",
     HC "a@b.nl,Ann,ib,32JK00\r\nb@b.nl," NAME201 ",teacher,32JK00\r\n",
     0,
     1,
     {{3, "naam is langer dan 200 tekens (201)"}}},
    {"tab inside a name",
     HC "a@b.nl,\"Jan\tJansen\",teacher,32JK00\r\n",
     0,
     1,
     {{2, "naam bevat een stuurteken (U+0009)"}}},
    {"line break inside a quoted name",
     HC "a@b.nl,\"Jan\nJansen\",teacher,32JK00\r\nb@b.nl,B,ib,32JK00\r\n"
        "c@b.nl,,ib,32JK00\r\n",
     0,
     2,
     {{2, "naam bevat een stuurteken (U+000A)"}, {5, "naam ontbreekt"}}},
    {"DEL in a name",
     HC "a@b.nl,Jan\x7f,teacher,32JK00\r\n",
     0,
     1,
     {{2, "stuurteken (U+007F)"}}},
    {"C1 control in a name",
     HC "a@b.nl,Jan\xc2\x85,teacher,32JK00\r\n",
     0,
     1,
     {{2, "stuurteken (U+0085)"}}},
    /* Role. */
    {"unknown role",
     HC "a@b.nl,Jan,leraar,32JK00\r\n",
     0,
     1,
     {{2, "onbekende rol \"leraar\" (gebruik teacher of ib)"}}},
    {"role board_admin is not for rosters",
     HC "a@b.nl,Jan,board_admin,32JK00\r\n",
     0,
     1,
     {{2, "onbekende rol \"board_admin\""}}},
    {"empty role", HC "a@b.nl,Jan,,32JK00\r\n", 0, 1, {{2, "rol ontbreekt"}}},
    /* BRIN. */
    {"BRIN of 4 characters",
     HC "a@b.nl,Jan,teacher,32JK\r\n",
     0,
     1,
     {{2, "ongeldige BRIN-code \"32JK\""}}},
    {"BRIN with a letter in the last two",
     HC "a@b.nl,Jan,teacher,32JK0A\r\n",
     0,
     1,
     {{2, "ongeldige BRIN-code \"32JK0A\""}}},
    {"BRIN of 7 characters",
     HC "a@b.nl,Jan,teacher,32JK000\r\n",
     0,
     1,
     {{2, "ongeldige BRIN-code \"32JK000\""}}},
    {"BRIN with a space inside",
     HC "a@b.nl,Jan,teacher,32JK 00\r\n",
     0,
     1,
     {{2, "ongeldige BRIN-code \"32JK 00\""}}},
    {"empty BRIN",
     HC "a@b.nl,Jan,teacher,\r\n",
     0,
     1,
     {{2, "BRIN-code ontbreekt"}}},
    /* Several. */
    {"every bad field of a line, in column order",
     HC "nope,,chef,XX\r\n",
     0,
     4,
     {{2, "ongeldig e-mailadres \"nope\""},
      {2, "naam ontbreekt"},
      {2, "onbekende rol \"chef\""},
      {2, "ongeldige BRIN-code \"XX\""}}},
    {"every bad line, in order",
     HS "a@b.nl;A;ib;32JK00\r\nb@b.nl;B;ib;32JK0\r\nc@b.nl;C;ib;32JK00\r\n"
        "d@b.nl;D;x;32JK00\r\ne@b.nl;E;ib;32JK00\r\nf@b.nl;;ib;32JK00\r\n",
     0,
     3,
     {{3, "ongeldige BRIN-code"}, {5, "onbekende rol"}, {7, "naam ontbreekt"}}},
    {"a long bad value is cut in the message",
     HC "a@b.nl,Jan,teacher," X50 "\r\n",
     0,
     1,
     {{2, "\"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX...\""}}},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void
expect_str(const char *what, const char *field, const char *want,
           const char *got)
{
	if (strcmp(want, got) != 0) {
		print_error("%s: %s is \"%s\", want \"%s\"\n", what, field, got,
		            want);
		fail();
	}
}

static void
dump_errors(const struct roster *ros)
{
	for (size_t i = 0; i < ros->errors.count; i++)
		print_message("    line %u: %s\n", ros->errors.items[i].line,
		              ros->errors.items[i].message);
}

static void
test_good_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_GOOD; i++) {
		const struct good_case  *c = &good_cases[i];
		const struct want_row   *w = &c->row;
		const struct roster_row *r;
		struct roster           *ros;
		size_t len = c->len != 0 ? c->len : strlen(c->input);
		int    rc = roster_parse(c->input, len, &ros);

		if (rc != 0 || ros->errors.count != 0) {
			print_error("%s: rc %d, %zu errors\n", c->what, rc,
			            ros->errors.count);
			dump_errors(ros);
			fail();
		}
		if (ros->n_rows != c->n_rows) {
			print_error("%s: %zu rows, want %zu\n", c->what,
			            ros->n_rows, c->n_rows);
			fail();
		}
		r = &ros->rows[c->check];
		if (r->line != w->line) {
			print_error("%s: line %u, want %u\n", c->what, r->line,
			            w->line);
			fail();
		}
		expect_str(c->what, "email", w->email, r->email);
		expect_str(c->what, "name", w->name, r->name);
		expect_str(c->what, "role", w->role, r->role);
		expect_str(c->what, "brin", w->brin, r->brin);
		roster_free(ros);
	}
}

static void
test_bad_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_BAD; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct roster         *ros;
		size_t len = c->len != 0 ? c->len : strlen(c->input);
		int    rc = roster_parse(c->input, len, &ros);

		if (rc != -1 || ros->rows != NULL || ros->n_rows != 0 ||
		    ros->errors.count != c->n_errors ||
		    ros->errors.dropped != 0) {
			print_error("%s: rc %d, %zu rows, %zu errors (want "
			            "%zu), %zu dropped\n",
			            c->what, rc, ros->n_rows, ros->errors.count,
			            c->n_errors, ros->errors.dropped);
			dump_errors(ros);
			fail();
		}
		for (size_t k = 0; k < c->n_errors; k++) {
			const struct errlist_item *e = &ros->errors.items[k];

			if (e->line != c->errors[k].line ||
			    strstr(e->message, c->errors[k].needle) == NULL) {
				print_error("%s: error %zu is line %u \"%s\", "
				            "want line %u \"%s\"\n",
				            c->what, k, e->line, e->message,
				            c->errors[k].line,
				            c->errors[k].needle);
				dump_errors(ros);
				fail();
			}
		}
		roster_free(ros);
	}
}

/* A header-only roster is valid and empty: the caller decides what that
 * means (everyone leaves). */
static void
test_header_only(void **state)
{
	struct roster *ros;

	(void)state;
	assert_int_equal(roster_parse(HC, strlen(HC), &ros), 0);
	assert_int_equal(ros->n_rows, 0);
	assert_int_equal(ros->errors.count, 0);
	roster_free(ros);
	assert_int_equal(roster_parse(BYTES("email;name;role;brin"), &ros), 0);
	assert_int_equal(ros->n_rows, 0);
	roster_free(ros);
}

/* n data rows with distinct emails; the caller frees the text. */
static char *
many_rows(size_t n, size_t *len)
{
	size_t cap = 64 + n * 48, o = 0;
	char  *buf = malloc(cap);

	assert_non_null(buf);
	o += (size_t)snprintf(buf, cap, "%s", HC);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(
		    buf + o, cap - o,
		    "p%zu@school.nl,Person %zu,teacher,32JK00\n", i, i);
	*len = o;
	return buf;
}

static void
test_row_limit(void **state)
{
	struct roster *ros;
	size_t         len;
	char          *buf = many_rows(ROSTER_MAX_ROWS, &len);

	(void)state;
	assert_true(len <= ROSTER_MAX_BYTES);
	assert_int_equal(roster_parse(buf, len, &ros), 0);
	assert_int_equal(ros->n_rows, ROSTER_MAX_ROWS);
	assert_int_equal(ros->rows[ROSTER_MAX_ROWS - 1].line,
	                 ROSTER_MAX_ROWS + 1);
	assert_string_equal(ros->rows[ROSTER_MAX_ROWS - 1].email,
	                    "p49999@school.nl");
	roster_free(ros);
	free(buf);

	/* Two past the limit: one error, then parsing stops. */
	buf = many_rows(ROSTER_MAX_ROWS + 2, &len);
	assert_int_equal(roster_parse(buf, len, &ros), -1);
	assert_null(ros->rows);
	assert_int_equal(ros->n_rows, 0);
	assert_int_equal(ros->errors.count, 1);
	assert_int_equal(ros->errors.items[0].line, ROSTER_MAX_ROWS + 2);
	assert_non_null(strstr(ros->errors.items[0].message, "meer dan 50000"));
	roster_free(ros);
	free(buf);
}

/* 250 bad lines: 200 messages kept, 50 counted. */
static void
test_error_cap(void **state)
{
	size_t         cap = 1 << 16, o = 0;
	char          *buf = malloc(cap);
	struct roster *ros;

	(void)state;
	assert_non_null(buf);
	o += (size_t)snprintf(buf, cap, "%s", HC);
	for (int i = 0; i < 250; i++)
		o += (size_t)snprintf(buf + o, cap - o,
		                      "p%d@school.nl,P,chef,32JK00\r\n", i);
	assert_int_equal(roster_parse(buf, o, &ros), -1);
	assert_int_equal(ros->errors.count, ROSTER_ERRORS_MAX);
	assert_int_equal(ros->errors.dropped, 50);
	assert_null(ros->rows);
	assert_int_equal(ros->errors.items[0].line, 2);
	assert_int_equal(ros->errors.items[ROSTER_ERRORS_MAX - 1].line, 201);
	roster_free(ros);
	free(buf);
}

/* Over the limit is refused unread, on line 0. */
static void
test_too_large(void **state)
{
	char          *buf = calloc(ROSTER_MAX_BYTES + 1, 1);
	struct roster *ros;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(roster_parse(buf, ROSTER_MAX_BYTES + 1, &ros), -1);
	assert_int_equal(ros->errors.count, 1);
	assert_int_equal(ros->errors.items[0].line, 0);
	assert_non_null(
	    strstr(ros->errors.items[0].message, "groter dan 5 MiB"));
	roster_free(ros);
	free(buf);
	roster_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_cases),
	    cmocka_unit_test(test_bad_cases),
	    cmocka_unit_test(test_header_only),
	    cmocka_unit_test(test_row_limit),
	    cmocka_unit_test(test_error_cap),
	    cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
