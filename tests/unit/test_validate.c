/* Unit tests of validate.c: the canonical email form, the slug rule, the
 * shared UTF-8 and control-character checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

struct email_case {
	const char      *in;
	enum email_check want;
	const char      *canonical; /* when EMAIL_OK */
};

static void
check_cases(const struct email_case *cases, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		char             out[EMAIL_MAX + 1];
		enum email_check got = email_canonical(cases[i].in, out);
		bool             ok = got == cases[i].want;

		if (ok && got == EMAIL_OK)
			ok = strcmp(out, cases[i].canonical) == 0;
		if (ok && got != EMAIL_OK)
			ok = out[0] == '\0';
		if (ok && validate_email(cases[i].in) != (got == EMAIL_OK))
			ok = false;
		if (!ok) {
			print_error(
			    "case %zu \"%s\": got %d \"%s\", want %d \"%s\"\n",
			    i, cases[i].in, (int)got, out, (int)cases[i].want,
			    cases[i].canonical ? cases[i].canonical : "");
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%zu email cases failed", bad);
}

/* ASCII case folds; the address is otherwise kept as it is. */
static void
test_email_case_folding(void **state)
{
	static const struct email_case cases[] = {
	    {"kim@gmail.com", EMAIL_OK, "kim@gmail.com"},
	    {"Kim.Jansen@School.NL", EMAIL_OK, "kim.jansen@school.nl"},
	    {"KIM+TAG@EXAMPLE.NL", EMAIL_OK, "kim+tag@example.nl"},
	    {"a_b-c.d'e@sub-1.example.nl", EMAIL_OK,
	     "a_b-c.d'e@sub-1.example.nl"},
	    /* IDN domains in their ASCII (xn--) form. */
	    {"info@xn--bcher-kva.nl", EMAIL_OK, "info@xn--bcher-kva.nl"},
	    {"info@XN--BCHER-KVA.NL", EMAIL_OK, "info@xn--bcher-kva.nl"},
	};

	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Look-alikes that PostgreSQL's lower() (UTF-8 locale) folds into ASCII,
 * and any other byte outside ASCII, are refused as such. */
static void
test_email_not_ascii(void **state)
{
	static const struct email_case cases[] = {
	    {"kim@gma\xc4\xb0l.com", EMAIL_NOT_ASCII, NULL},     /* U+0130 */
	    {"\xc4\xb0nge@school.nl", EMAIL_NOT_ASCII, NULL},    /* U+0130 */
	    {"\xe2\x84\xaaim@school.nl", EMAIL_NOT_ASCII, NULL}, /* Kelvin */
	    {"kim@\xef\xbd\x87mail.com", EMAIL_NOT_ASCII,
	     NULL}, /* fullwidth g */
	    {"kim@b\xc3\xbc"
	     "cher.nl",
	     EMAIL_NOT_ASCII, NULL}, /* IDN, not xn-- */
	    {"jos\xc3\xa9@school.nl", EMAIL_NOT_ASCII, NULL},
	    {"kim@school.nl\xc2\xa0", EMAIL_NOT_ASCII,
	     NULL}, /* no-break space */
	    {"\xff@school.nl", EMAIL_NOT_ASCII, NULL},
	    /* Outside ASCII wins over any other problem. */
	    {"\xc4\xb0", EMAIL_NOT_ASCII, NULL},
	};

	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_email_shape(void **state)
{
	static const struct email_case cases[] = {
	    {"", EMAIL_INVALID, NULL},
	    {"a@", EMAIL_INVALID, NULL},
	    {"kim.school.nl", EMAIL_INVALID, NULL},
	    {"@school.nl", EMAIL_INVALID, NULL},
	    {"kim@school", EMAIL_INVALID, NULL},
	    {"kim@@school.nl", EMAIL_INVALID, NULL},
	    {"kim@a@school.nl", EMAIL_INVALID, NULL},
	    {"kim@school..nl", EMAIL_INVALID, NULL},
	    {"kim@.school.nl", EMAIL_INVALID, NULL},
	    {"kim@school.nl.", EMAIL_INVALID, NULL},
	    {"kim@-school.nl", EMAIL_INVALID, NULL},
	    {"kim@school-.nl", EMAIL_INVALID, NULL},
	    {"kim@scho_ol.nl", EMAIL_INVALID, NULL},
	    {"kim jansen@school.nl", EMAIL_INVALID, NULL},
	    {"kim@school.nl\r\nBcc: x@y.nl", EMAIL_INVALID, NULL},
	    {"\"kim\"@school.nl", EMAIL_INVALID, NULL},
	    {"<kim@school.nl>", EMAIL_INVALID, NULL},
	    {"kim,jan@school.nl", EMAIL_INVALID, NULL},
	    {"kim\x7f@school.nl", EMAIL_INVALID, NULL},
	};

	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(email_canonical(NULL, (char[EMAIL_MAX + 1]){0}),
	                 EMAIL_INVALID);
}

/* 254 bytes in all, 64 in the local part, 63 per domain label. */
static void
test_email_length(void **state)
{
	char in[400], out[EMAIL_MAX + 1], label[64], local[65];

	(void)state;
	memset(label, 'a', 63);
	label[63] = '\0';
	memset(local, 'K', 64);
	local[64] = '\0';
	/* 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 */
	snprintf(in, sizeof(in), "%.64s@%s.%s.%.61s", local, label, label,
	         label);
	assert_int_equal(strlen(in), 254);
	assert_int_equal(email_canonical(in, out), EMAIL_OK);
	assert_int_equal(strncmp(out, "kkk", 3), 0);
	assert_string_equal(out + 64, in + 64);
	/* 255 bytes. */
	snprintf(in, sizeof(in), "%.64s@%s.%s.%.62s", local, label, label,
	         label);
	assert_int_equal(strlen(in), 255);
	assert_int_equal(email_canonical(in, out), EMAIL_INVALID);
	/* A local part of 65 bytes. */
	snprintf(in, sizeof(in), "%s%s@school.nl", label, "kk");
	assert_int_equal(strlen(in), 65 + strlen("@school.nl"));
	assert_int_equal(email_canonical(in, out), EMAIL_INVALID);
	/* A domain label of 64 bytes. */
	snprintf(in, sizeof(in), "kim@%sa.nl", label);
	assert_int_equal(email_canonical(in, out), EMAIL_INVALID);
	snprintf(in, sizeof(in), "kim@%s.nl", label);
	assert_int_equal(email_canonical(in, out), EMAIL_OK);
	assert_int_equal(email_canonical("a@b", out), EMAIL_INVALID);
	assert_int_equal(email_canonical("a@b.c", out), EMAIL_OK);
}

/* The domain that erase writes placeholders under, and its subdomains. */
static void
test_email_reserved(void **state)
{
	static const struct email_case cases[] = {
	    {"verwijderd-12-ab@verwijderd.invalid", EMAIL_RESERVED, NULL},
	    {"X@VERWIJDERD.INVALID", EMAIL_RESERVED, NULL},
	    {"x@sub.verwijderd.invalid", EMAIL_RESERVED, NULL},
	    /* Only that domain: others under .invalid are not ours. */
	    {"x@nietverwijderd.invalid", EMAIL_OK, "x@nietverwijderd.invalid"},
	    {"x@voorbeeld.invalid", EMAIL_OK, "x@voorbeeld.invalid"},
	};

	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
	assert_non_null(email_problem(EMAIL_NOT_ASCII));
	assert_non_null(strstr(email_problem(EMAIL_NOT_ASCII), "ASCII"));
	assert_null(email_problem(EMAIL_OK));
}

/* The one slug rule, as modules.slug checks it in SQL. */
static void
test_slug(void **state)
{
	char long_ok[65], too_long[66];

	(void)state;
	memset(long_ok, 'a', 64);
	long_ok[64] = '\0';
	memset(too_long, 'a', 65);
	too_long[65] = '\0';
	assert_true(validate_slug("meldcode-kort"));
	assert_true(validate_slug("0-a"));
	assert_true(validate_slug(long_ok));
	assert_false(validate_slug(too_long));
	assert_false(validate_slug(""));
	assert_false(validate_slug(NULL));
	assert_false(validate_slug("-a"));
	assert_false(validate_slug("Meldcode"));
	assert_false(validate_slug("a_b"));
	assert_false(validate_slug("a/b"));
	assert_true(validate_id("q1", 32));
	assert_false(validate_id("abc", 2));
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len((const unsigned char *)"a", 1), 1);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 1),
	                 0); /* cut off */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xe2\x82\xac", 3),
	                 3);
	assert_int_equal(
	    utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	/* Overlong, surrogate, past U+10FFFF, a lone continuation byte. */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc0\xaf", 2), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xed\xa0\x80", 3),
	                 0);
	assert_int_equal(
	    utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\x80", 1), 0);
	assert_int_equal(utf8_invalid_at("ab\xc3\xa9\xff", 5), 4);
	assert_int_equal(utf8_chars("\xe2\x82\xac 1"), 3);
	assert_int_equal(text_control("Jan de Vries"), -1);
	assert_int_equal(text_control("Jan\tde"), 0x09);
	assert_int_equal(text_control("a\x7f"), 0x7F);
	assert_int_equal(text_control("a\xc2\x85"), 0x85); /* C1 NEL */
	assert_int_equal(text_control("\xc2\xa0"), -1);    /* NBSP */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_email_case_folding),
	    cmocka_unit_test(test_email_not_ascii),
	    cmocka_unit_test(test_email_shape),
	    cmocka_unit_test(test_email_length),
	    cmocka_unit_test(test_email_reserved),
	    cmocka_unit_test(test_slug),
	    cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
