/* Unit tests for csvin.c: BOM, UTF-8 checks, the record reader, the set. */

/*
 * The reader is tested through a transcript: every callback appends one
 * line to a string ("2:a|b" for a record on line 2 with fields a and b,
 * "3! quote" for a quote error on line 3), and each case in read_cases says
 * which transcript a text must give.  CR and LF inside fields are written
 * as \r and \n there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "validate.h"

/* A string literal and its length, for inputs with NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define MSG_QUOTE                                                              \
	"aanhalingsteken op een onverwachte plaats (een veld met \" erin "     \
	"moet tussen aanhalingstekens staan, met \"\" voor elke \")"
#define MSG_UNCLOSED "aanhalingsteken wordt niet afgesloten"

/* BOM */

struct bom_case {
	const char    *input;
	size_t         len;
	enum csvin_bom want;
};

static const struct bom_case bom_cases[] = {
    {BYTES(""), CSVIN_BOM_NONE},
    {BYTES("a;b"), CSVIN_BOM_NONE},
    {BYTES("\xef\xbb\xbf"), CSVIN_BOM_UTF8},
    {BYTES("\xef\xbb\xbf"
           "a;b\r\n"),
     CSVIN_BOM_UTF8},
    {BYTES("\xef\xbb"), CSVIN_BOM_NONE}, /* cut off */
    {BYTES("\xef\xbb\xbe"), CSVIN_BOM_NONE},
    {BYTES("\xff\xfe"), CSVIN_BOM_UTF16},
    {BYTES("\xff\xfe"
           "a\0"),
     CSVIN_BOM_UTF16},
    {BYTES("\xfe\xff\0a"), CSVIN_BOM_UTF16},
    {BYTES("\xff"), CSVIN_BOM_NONE},
    {BYTES("\xfe\xfe"), CSVIN_BOM_NONE},
};

static void
test_bom(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(bom_cases); i++) {
		const struct bom_case *c = &bom_cases[i];

		if (csvin_bom(c->input, c->len) != c->want) {
			print_error("bom case %zu: got %d, want %d\n", i,
			            (int)csvin_bom(c->input, c->len),
			            (int)c->want);
			fail();
		}
	}
}

/* UTF-8 */

struct utf8_case {
	const char *what;
	const char *input;
	size_t      len;
	size_t      want; /* offset of the first bad byte; len when none */
};

static const struct utf8_case utf8_cases[] = {
    {"empty", BYTES(""), 0},
    {"ASCII", BYTES("abc;def\r\n"), 9},
    {"NUL is valid", BYTES("a\0b"), 3},
    {"2 bytes, U+00E9", BYTES("\xc3\xa9"), 2},
    {"2 bytes, U+0080 (lowest)", BYTES("\xc2\x80"), 2},
    {"3 bytes, U+0800 (lowest)", BYTES("\xe0\xa0\x80"), 3},
    {"3 bytes, U+D7FF (below the surrogates)", BYTES("\xed\x9f\xbf"), 3},
    {"3 bytes, U+E000 (above the surrogates)", BYTES("\xee\x80\x80"), 3},
    {"4 bytes, U+10000 (lowest)", BYTES("\xf0\x90\x80\x80"), 4},
    {"4 bytes, U+10FFFF (highest)", BYTES("\xf4\x8f\xbf\xbf"), 4},
    {"overlong 2 bytes (C0)", BYTES("ab\xc0\xaf"), 2},
    {"overlong 2 bytes (C1)", BYTES("\xc1\xbf"), 0},
    {"overlong 3 bytes", BYTES("a\xe0\x80\xaf"), 1},
    {"overlong 4 bytes", BYTES("\xf0\x8f\xbf\xbf"), 0},
    {"surrogate U+D800", BYTES("x\xed\xa0\x80"), 1},
    {"surrogate U+DFFF", BYTES("\xed\xbf\xbf"), 0},
    {"past U+10FFFF", BYTES("\xf4\x90\x80\x80"), 0},
    {"F5 never starts a sequence", BYTES("\xf5\x80\x80\x80"), 0},
    {"FF", BYTES("ok\xff"), 2},
    {"lone continuation byte", BYTES("a\x80"), 1},
    {"Windows-1252 e-acute", BYTES("Jos\xe9;x"), 3},
    {"continuation byte missing", BYTES("\xc3("), 0},
    {"second continuation byte missing", BYTES("\xe2\x82("), 0},
    {"cut off by the end, 2 of 3", BYTES("a\xe2\x82"), 1},
    {"cut off by the end, 1 of 2", BYTES("ab\xc3"), 2},
    {"cut off by the end, 3 of 4", BYTES("\xf0\x9f\x98"), 0},
    {"first bad byte after good ones", BYTES("\xc3\xa9\xe2\x82\xac\xff"), 5},
};

static void
test_utf8_invalid_at(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		size_t                  got = utf8_invalid_at(c->input, c->len);

		if (got != c->want) {
			print_error("%s: got %zu, want %zu\n", c->what, got,
			            c->want);
			fail();
		}
	}
	/* The length bounds the check: a sequence cut by it is bad. */
	assert_int_equal(utf8_invalid_at("\xc3\xa9", 1), 0);
	assert_int_equal(utf8_invalid_at("ab\xff", 2), 2);
}

/* What csvin_utf8_check_lines reported, one "line:byte" per call. */
struct bad_log {
	char text[256];
};

static void
log_bad(unsigned line, unsigned char byte, void *data)
{
	struct bad_log *log = data;
	size_t          n = strlen(log->text);

	snprintf(log->text + n, sizeof(log->text) - n, "%u:%02X ", line, byte);
}

struct lines_case {
	const char *what;
	const char *input;
	size_t      len;
	const char *want; /* "" when the text is valid */
};

static const struct lines_case lines_cases[] = {
    {"valid", BYTES("a\r\n\xc3\xa9\nb\r"), ""},
    {"empty", BYTES(""), ""},
    {"one bad line, LF", BYTES("a\nb\xff\nc\n"), "2:FF "},
    {"first bad byte of a line only", BYTES("\xff\xfe\n"), "1:FF "},
    {"every bad line, CRLF", BYTES("\xe9\r\nok\r\nx\xc0\xaf\r\n"),
     "1:E9 3:C0 "},
    {"lone CR ends a line", BYTES("a\rb\xe9\rc\r\xe9"), "2:E9 4:E9 "},
    {"CRLF is one line end, LF CR two", BYTES("a\r\n\n\rb\xe9"), "4:E9 "},
    {"a sequence cut by a line end", BYTES("a\xc3\nb"), "1:C3 "},
    {"blank lines count", BYTES("\n\n\r\n\xff"), "4:FF "},
    {"NUL is not an error here", BYTES("a\0b\n"), ""},
};

static void
test_utf8_check_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(lines_cases); i++) {
		const struct lines_case *c = &lines_cases[i];
		struct bad_log           log = {""};
		int                      rc =
		    csvin_utf8_check_lines(c->input, c->len, log_bad, &log);

		if (strcmp(log.text, c->want) != 0 ||
		    rc != (c->want[0] == '\0' ? 0 : -1)) {
			print_error("%s: rc %d, reported \"%s\", want \"%s\"\n",
			            c->what, rc, log.text, c->want);
			fail();
		}
	}
}

/* Lines and the delimiter */

static void
test_line_len(void **state)
{
	(void)state;
	assert_int_equal(csvin_line_len("", 0), 0);
	assert_int_equal(csvin_line_len(BYTES("abc")), 3);
	assert_int_equal(csvin_line_len(BYTES("abc\ndef")), 4);
	assert_int_equal(csvin_line_len(BYTES("abc\r\ndef")), 5);
	assert_int_equal(csvin_line_len(BYTES("abc\rdef")), 4);
	assert_int_equal(csvin_line_len(BYTES("abc\n\rdef")), 4);
	assert_int_equal(csvin_line_len(BYTES("\r\n\r\n")), 2);
	assert_int_equal(csvin_line_len(BYTES("\n")), 1);
	/* A CR at the end of the buffer is a line end of its own. */
	assert_int_equal(csvin_line_len("ab\r\n", 3), 3);
	assert_int_equal(csvin_line_len(BYTES("a\0b\nc")), 4);
}

struct delim_case {
	const char   *input;
	unsigned char fallback, want;
};

static const struct delim_case delim_cases[] = {
    {"a;b;c\r\n1,2;3\r\n", ',', ';'},
    {"a,b,c\r\n1;2;3\r\n", ';', ','},
    {"a,b;c\n", ',', ';'}, /* ';' wins on the first line */
    {"abc\n1;2\n", ';', ';'},
    {"abc\n1;2\n", ',', ','},
    {"\r\n  \r\n\t\na,b\n", ';', ','}, /* blank lines are passed over */
    {"  \n", ',', ','},
    {"", ';', ';'},
    {"a,b\rc;d", ';', ','}, /* a lone CR ends the first line */
};

static void
test_delim(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(delim_cases); i++) {
		const struct delim_case *c = &delim_cases[i];
		unsigned char            got =
		    csvin_delim(c->input, strlen(c->input), c->fallback);

		if (got != c->want) {
			print_error("delim case %zu: got '%c', want '%c'\n", i,
			            got, c->want);
			fail();
		}
	}
}

/* The reader */

struct transcript {
	char     text[1024];
	size_t   stop_after; /* records before record() returns -1; 0: never */
	size_t   n_records;
	unsigned last_line; /* of the last record */
};

static void append(struct transcript *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
append(struct transcript *t, const char *fmt, ...)
{
	size_t  n = strlen(t->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->text + n, sizeof(t->text) - n, fmt, ap);
	va_end(ap);
}

static int
log_record(struct csvin_record *rec, void *data)
{
	struct transcript *t = data;

	t->last_line = rec->line;
	append(t, "%u:", rec->line);
	for (size_t i = 0; i < rec->n_kept; i++) {
		append(t, "%s", i > 0 ? "|" : "");
		for (const char *s = rec->field[i]; *s != '\0'; s++) {
			if (*s == '\r')
				append(t, "\\r");
			else if (*s == '\n')
				append(t, "\\n");
			else
				append(t, "%c", *s);
		}
	}
	if (rec->n_fields != rec->n_kept)
		append(t, " [%zu]", rec->n_fields);
	if (rec->has_nul)
		append(t, " NUL");
	append(t, "\n");
	return ++t->n_records == t->stop_after ? -1 : 0;
}

static void
log_error(unsigned line, const char *message, void *data)
{
	struct transcript *t = data;

	if (strcmp(message, MSG_QUOTE) == 0)
		append(t, "%u! quote\n", line);
	else if (strcmp(message, MSG_UNCLOSED) == 0)
		append(t, "%u! unclosed\n", line);
	else
		append(t, "%u! other: %s\n", line, message);
}

struct read_case {
	const char   *what;
	const char   *input;
	size_t        len; /* 0: strlen(input) */
	unsigned char delim;
	size_t        max_fields; /* 0: 100 */
	size_t        stop_after;
	int           rc;
	const char   *want;
};

static const struct read_case read_cases[] = {
    /* Line ends. */
    {"LF", "a,b\nc,d\n", 0, ',', 0, 0, 0, "1:a|b\n2:c|d\n"},
    {"CRLF", "a,b\r\nc,d\r\n", 0, ',', 0, 0, 0, "1:a|b\n2:c|d\n"},
    {"lone CR (old Mac exports)", "a,b\rc,d\r", 0, ',', 0, 0, 0,
     "1:a|b\n2:c|d\n"},
    {"mixed line ends, no final line end", "a\r\nb\nc\rd", 0, ',', 0, 0, 0,
     "1:a\n2:b\n3:c\n4:d\n"},
    {"LF CR is two line ends", "a\n\rb\n", 0, ',', 0, 0, 0, "1:a\n3:b\n"},
    /* Line numbers across quoted line breaks. */
    {"a quoted CRLF moves the next record's line",
     "h1,h2\r\n\"x\r\ny\",z\r\nnext,1\r\n", 0, ',', 0, 0, 0,
     "1:h1|h2\n2:x\\r\\ny|z\n4:next|1\n"},
    {"quoted LF and lone CR in one field", "\"a\rb\nc\",d\ne,f\n", 0, ',', 0, 0,
     0, "1:a\\rb\\nc|d\n4:e|f\n"},
    {"a record spanning lines starts on its first line",
     "h\n\n\"one\n\ntwo\"\nlast\n", 0, ',', 0, 0, 0,
     "1:h\n3:one\\n\\ntwo\n6:last\n"},
    {"a blank-looking line inside quotes is data", "\"a\n  \nb\";c\nd;e\n", 0,
     ';', 0, 0, 0, "1:a\\n  \\nb|c\n4:d|e\n"},
    /* Blank lines and records. */
    {"blank lines are skipped but counted", "\r\n  \r\n\t\na;b\r\n\r\nc;d", 0,
     ';', 0, 0, 0, "4:a|b\n6:c|d\n"},
    {"only blank lines", "\n\r\n \t\r", 0, ',', 0, 0, 0, ""},
    {"empty text", "", 0, ',', 0, 0, 0, ""},
    {"a record of empty fields does come through", ";;\n", 0, ';', 0, 0, 0,
     "1:||\n"},
    /* Fields. */
    {"quotes: delimiter, doubled quote", "\"x;\"\"y\"\"\";z\n", 0, ';', 0, 0, 0,
     "1:x;\"y\"|z\n"},
    {"the other separator is data", "a,b;c\n", 0, ';', 0, 0, 0, "1:a,b|c\n"},
    {"spaces: dropped around unquoted fields, kept inside quotes",
     " a , b \n\" q \" ,x\n", 0, ',', 0, 0, 0, "1:a|b\n2: q |x\n"},
    {"fields past max_fields are counted, not kept", "a,b,c,d\ne\n", 0, ',', 2,
     0, 0, "1:a|b [4]\n2:e\n"},
    {"NUL in a field", "a,b\0c\nd\n", 8, ',', 0, 0, 0, "1:a|b NUL\n2:d\n"},
    /* Quote errors. */
    {"a quote error in the header ends the reading", "a\"b,c\nd,e\n", 0, ',', 0,
     0, -1, "1! quote\n"},
    {"a later quote error restarts on the next line", "h\n\"a\"b,c\nd,e\n", 0,
     ',', 0, 0, 0, "1:h\n2! quote\n3:d|e\n"},
    {"a broken multi-line record can give a second error",
     "h\na\"b,\"c\nd\",e\nf\n", 0, ',', 0, 0, 0,
     "1:h\n2! quote\n3! quote\n4:f\n"},
    {"a quote left open is an error on its record's first line",
     "h\n\"abc\ndef\n", 0, ',', 0, 0, 0, "1:h\n2! unclosed\n"},
    {"the same without a final line end", "h\nx,\"abc\ndef", 0, ',', 0, 0, 0,
     "1:h\n2! unclosed\n"},
    /* Stopping. */
    {"record() returning -1 stops the reading", "a\nb\nc\n", 0, ',', 0, 2, -1,
     "1:a\n2:b\n"},
    {"stopping at the last record", "a\nb", 0, ',', 0, 2, -1, "1:a\n2:b\n"},
    {"stopping at the header", "a\n\"b\nc", 0, ',', 0, 1, -1, "1:a\n"},
};

static void
read_into(struct transcript *t, const char *text, size_t len,
          unsigned char delim, size_t max_fields, int *rc)
{
	struct csvin_reader r = {
	    .delim = delim,
	    .max_fields = max_fields != 0 ? max_fields : 100,
	    .record = log_record,
	    .error = log_error,
	    .data = t,
	};

	*rc = csvin_read(&r, text, len);
}

static void
test_read_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(read_cases); i++) {
		const struct read_case *c = &read_cases[i];
		struct transcript       t = {.stop_after = c->stop_after};
		size_t len = c->len != 0 ? c->len : strlen(c->input);
		int    rc;

		read_into(&t, c->input, len, c->delim, c->max_fields, &rc);
		if (rc != c->rc || strcmp(t.text, c->want) != 0) {
			print_error("%s: rc %d (want %d), got\n%swant\n%s",
			            c->what, rc, c->rc, t.text, c->want);
			fail();
		}
	}
}

/* The importers skip a BOM with csvin_bom before they read. */
static void
test_read_after_bom(void **state)
{
	const char        text[] = "\xef\xbb\xbf"
	                           "a;b\r\n\"c\r\n\";d";
	struct transcript t = {.stop_after = 0};
	int               rc;

	(void)state;
	assert_int_equal(csvin_bom(text, sizeof(text) - 1), CSVIN_BOM_UTF8);
	read_into(&t, text + CSVIN_UTF8_BOM_LEN,
	          sizeof(text) - 1 - CSVIN_UTF8_BOM_LEN, ';', 0, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t.text, "1:a|b\n2:c\\r\\n|d\n");
}

/* Many records and a long field: the reader's buffers grow. */
static void
test_read_large(void **state)
{
	size_t             n = 5000, cap = n * 40 + 20000, o = 0;
	char              *buf = malloc(cap);
	struct transcript *t = calloc(1, sizeof(*t));
	int                rc;

	(void)state;
	assert_non_null(buf);
	assert_non_null(t);
	for (size_t i = 0; i < n; i++)
		o +=
		    (size_t)snprintf(buf + o, cap - o, "%zu,\"x\ny\",z\r\n", i);
	memset(buf + o, 'w', 10000); /* one long unquoted field */
	o += 10000;
	t->stop_after = n + 1;
	read_into(t, buf, o, ',', 0, &rc);
	assert_int_equal(rc, -1); /* stopped at the last record */
	assert_int_equal(t->n_records, n + 1);
	assert_int_equal(t->last_line, 2 * n + 1); /* two lines a record */
	free(buf);
	free(t);
}

/* Record helpers */

static void
test_record_empty(void **state)
{
	char                f0[] = "", f1[] = " \t ", f2[] = " x ";
	char               *fields[] = {f0, f1, f2};
	struct csvin_record rec = {
	    .line = 1, .n_fields = 2, .n_kept = 2, .field = fields};

	(void)state;
	assert_true(csvin_record_empty(&rec));
	assert_string_equal(f1, " \t "); /* not changed */
	rec.has_nul = true;
	assert_false(csvin_record_empty(&rec));
	rec.has_nul = false;
	rec.n_fields = rec.n_kept = 3;
	assert_false(csvin_record_empty(&rec));
	/* Fields that were not kept are not looked at. */
	rec.n_kept = 2;
	assert_true(csvin_record_empty(&rec));
	rec.n_fields = rec.n_kept = 0;
	assert_true(csvin_record_empty(&rec));
}

static void
test_trim(void **state)
{
	char a[] = "  a b\t ", b[] = "\t\t", c[] = "x", d[] = "", e[] = "\ty";

	(void)state;
	assert_string_equal(csvin_trim(a), "a b");
	assert_string_equal(csvin_trim(b), "");
	assert_string_equal(csvin_trim(c), "x");
	assert_string_equal(csvin_trim(d), "");
	assert_string_equal(csvin_trim(e), "y");
	assert_ptr_equal(csvin_trim(c), c);
}

#define X10 "xxxxxxxxxx"
#define E10                                                                    \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3" \
	"\xa9\xc3\xa9"

static void
test_echo(void **state)
{
	char buf[256], small[8];

	(void)state;
	csvin_echo(buf, sizeof(buf), "32jk0");
	assert_string_equal(buf, "32jk0");
	csvin_echo(buf, sizeof(buf),
	           "a\tb\x7f"
	           "c\x01");
	assert_string_equal(buf, "a?b?c?");
	csvin_echo(buf, sizeof(buf), X10 X10 X10 X10);
	assert_string_equal(buf, X10 X10 X10 X10); /* 40: not cut */
	csvin_echo(buf, sizeof(buf), X10 X10 X10 X10 "y");
	assert_string_equal(buf, X10 X10 X10 X10 "...");
	/* Characters, not bytes, are counted. */
	csvin_echo(buf, sizeof(buf), E10 E10 E10 E10 "\xe2\x82\xac");
	assert_string_equal(buf, E10 E10 E10 E10 "...");
	csvin_echo(buf, sizeof(buf), "");
	assert_string_equal(buf, "");
	/* A small buffer bounds the bytes. */
	csvin_echo(small, sizeof(small), X10);
	assert_string_equal(small, "xxx");
}

/* The set */

static void
test_set(void **state)
{
	struct csvin_set set = {0};
	unsigned         first = 0;
	char             key[32];

	(void)state;
	assert_true(csvin_set_add(&set, "a@b.nl", 2, &first));
	assert_true(csvin_set_add(&set, "A@b.nl", 3, &first));
	assert_true(csvin_set_add(&set, "", 4, &first));
	assert_false(csvin_set_add(&set, "a@b.nl", 9, &first));
	assert_int_equal(first, 2);
	assert_false(csvin_set_add(&set, "", 10, &first));
	assert_int_equal(first, 4);
	/* The set keeps its own copy. */
	snprintf(key, sizeof(key), "%s", "32JK00");
	assert_true(csvin_set_add(&set, key, 11, &first));
	key[0] = '4';
	assert_true(csvin_set_add(&set, key, 12, &first));
	assert_false(csvin_set_add(&set, "32JK00", 13, &first));
	assert_int_equal(first, 11);
	/* Growth keeps every key and its first line. */
	for (unsigned i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		assert_true(csvin_set_add(&set, key, 100 + i, &first));
	}
	for (unsigned i = 0; i < 20000; i += 997) {
		snprintf(key, sizeof(key), "k%u", i);
		assert_false(csvin_set_add(&set, key, 1, &first));
		assert_int_equal(first, 100 + i);
	}
	assert_false(csvin_set_add(&set, "a@b.nl", 1, &first));
	assert_int_equal(first, 2);
	csvin_set_free(&set);
	/* A freed set is empty and can be used again. */
	assert_true(csvin_set_add(&set, "a@b.nl", 5, &first));
	csvin_set_free(&set);
	csvin_set_free(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_utf8_invalid_at),
	    cmocka_unit_test(test_utf8_check_lines),
	    cmocka_unit_test(test_line_len),
	    cmocka_unit_test(test_delim),
	    cmocka_unit_test(test_read_cases),
	    cmocka_unit_test(test_read_after_bom),
	    cmocka_unit_test(test_read_large),
	    cmocka_unit_test(test_record_empty),
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_echo),
	    cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
