/* Unit tests for certpdf: PDF structure, printed text, input checks, dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "certpdf.h"

/* Printed text must stay inside the inner frame, which is 31 pt in. */
#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 31.0

struct word {
	double x0, y0, x1, y1;
};

static const struct certpdf sample = {
	.holder_name = "Chlo\xc3\xab van Dijk-S\xc3\xa9n\xc3\xa9"
	               "chal",
	.module_title = "Huiselijk geweld en kindermishandeling: "
	                "co\xc3\xb6rdinatie en na\xc3\xafve "
	                "vragen",
	.issued_at = "2026-11-22T10:00:00Z",
	.expires_at = "2028-11-22T10:00:00Z",
	.code = "HGKM-7Q4X-9K2M",
	.verify_url = "http://127.0.0.1:8080/verificatie/HGKM-7Q4X-9K2M",
};

static unsigned char *
render(const struct certpdf *c, size_t *len)
{
	unsigned char *pdf = NULL;

	assert_int_equal(certpdf_render(c, &pdf, len), 0);
	assert_non_null(pdf);
	return pdf;
}

static const unsigned char *
find(const unsigned char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle));
}

/*
 * Checks what a reader needs to open the file: the header, %%EOF at the
 * end, startxref pointing at a cross-reference table, and every entry in
 * that table pointing at the object it names.
 */
static void
check_structure(const unsigned char *raw, size_t n)
{
	const unsigned char *p, *tail;
	unsigned char       *pdf;
	char                 obj[32];
	unsigned long        xref, first, count, off, i;
	int                  used;

	assert_true(n > 2000 && n < 200000);
	/* A NUL-terminated copy, so that sscanf cannot run off the end. */
	pdf = malloc(n + 1);
	assert_non_null(pdf);
	memcpy(pdf, raw, n);
	pdf[n] = '\0';
	assert_memory_equal(pdf, "%PDF-1.", 7);

	tail = pdf + n;
	while (tail > pdf && (tail[-1] == '\n' || tail[-1] == '\r'))
		tail--;
	assert_true(tail - pdf >= 5);
	assert_memory_equal(tail - 5, "%%EOF", 5);
	assert_true(pdf + n - tail <= 2);

	p = find(pdf + n - 64, 64, "startxref");
	assert_non_null(p);
	assert_int_equal(sscanf((const char *)p + 9, "%lu", &xref), 1);
	assert_true(xref + 4 < n);
	assert_memory_equal(pdf + xref, "xref", 4);
	used = 0;
	assert_int_equal(sscanf((const char *)pdf + xref + 4, " %lu %lu%n",
	                        &first, &count, &used),
	                 2);
	assert_int_equal(first, 0);
	assert_true(count > 5);

	/* Entries are 20 bytes each, after the end of the subsection line. */
	p = pdf + xref + 4 + used;
	while (*p == '\r' || *p == '\n' || *p == ' ')
		p++;
	assert_true((size_t)(p - pdf) + count * 20 <= n);
	for (i = 1; i < count; i++) {
		const unsigned char *e = p + i * 20;

		assert_int_equal(e[17], 'n');
		assert_int_equal(sscanf((const char *)e, "%10lu", &off), 1);
		snprintf(obj, sizeof(obj), "%lu 0 obj", i);
		assert_true(off + strlen(obj) < n);
		assert_memory_equal(pdf + off, obj, strlen(obj));
	}
	assert_non_null(find(pdf, n, "/Count 1"));
	assert_non_null(find(pdf, n, "/MediaBox [ 0 0 841.89"));
	assert_non_null(find(pdf, n, "/Creator (HGKM leerplatform)"));
	free(pdf);
}

/*
 * Runs pdftotext on the PDF and returns its UTF-8 output (free() it).
 * pdftotext is required: a missing tool fails the test rather than letting
 * it pass without looking at the text.
 */
static char *
pdf_text(const unsigned char *pdf, size_t n, const char *opts)
{
	char   path[] = "/tmp/test_certpdf.XXXXXX";
	char   cmd[256], *out = NULL;
	size_t len = 0, cap = 0, got;
	FILE  *p;
	int    fd, status;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, n), (ssize_t)n);
	close(fd);

	snprintf(cmd, sizeof(cmd), "pdftotext -q -enc UTF-8 %s %s - 2>&1",
	         opts, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		got = fread(out + len, 1, cap - len - 1, p);
		if (got == 0)
			break;
		len += got;
	}
	out[len] = '\0';
	status = pclose(p);
	unlink(path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		fail_msg("pdftotext not found: install poppler-utils "
		         "(deploy/dev/packages-certpdf.txt)");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("pdftotext failed: %s", out);
	return out;
}

static void
assert_has(const char *text, const char *needle)
{
	if (strstr(text, needle) == NULL)
		fail_msg("\"%s\" not in the PDF text:\n%s", needle, text);
}

/* Parses pdftotext -bbox output; returns the number of words stored. */
static size_t
parse_words(const char *html, struct word *w, size_t max)
{
	const char *p = html;
	size_t      n = 0;

	while ((p = strstr(p, "<word ")) != NULL && n < max) {
		assert_int_equal(sscanf(p,
		                        "<word xMin=\"%lf\" yMin=\"%lf\" "
		                        "xMax=\"%lf\" yMax=\"%lf\"",
		                        &w[n].x0, &w[n].y0, &w[n].x1, &w[n].y1),
		                 4);
		n++;
		p += 6;
	}
	return n;
}

/*
 * Every word inside the frame, and no two words on top of each other: that
 * is what "stays on the page" means for long input.
 */
static void
check_layout(const unsigned char *pdf, size_t len)
{
	static struct word w[4096];
	char              *html = pdf_text(pdf, len, "-bbox");
	size_t             n = parse_words(html, w, 4096), i, j;

	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		if (w[i].x0 < MARGIN || w[i].x1 > PAGE_W - MARGIN ||
		    w[i].y0 < MARGIN || w[i].y1 > PAGE_H - MARGIN)
			fail_msg("word %zu outside the frame: %.1f %.1f %.1f "
			         "%.1f",
			         i, w[i].x0, w[i].y0, w[i].x1, w[i].y1);
		for (j = i + 1; j < n; j++) {
			/* pdftotext boxes include ascent and descent; allow a
			 * sliver so that tight leading does not count. */
			double ox = (w[i].x1 < w[j].x1 ? w[i].x1 : w[j].x1) -
			            (w[i].x0 > w[j].x0 ? w[i].x0 : w[j].x0);
			double oy = (w[i].y1 < w[j].y1 ? w[i].y1 : w[j].y1) -
			            (w[i].y0 > w[j].y0 ? w[i].y0 : w[j].y0);

			if (ox > 0.5 && oy > 1.0)
				fail_msg("words %zu and %zu overlap", i, j);
		}
	}
	free(html);
}

static void
test_render_valid(void **state)
{
	unsigned char *pdf, *again;
	size_t         len, len2;
	char          *text;

	(void)state;
	pdf = render(&sample, &len);
	check_structure(pdf, len);

	text = pdf_text(pdf, len, "");
	assert_has(text, "Certificaat");
	assert_has(text, "Hierbij verklaren wij dat");
	assert_has(text, "Chlo\xc3\xab van Dijk-S\xc3\xa9n\xc3\xa9"
	                 "chal");
	assert_has(text, "met goed gevolg de module");
	assert_has(text, "co\xc3\xb6rdinatie en na\xc3\xafve vragen");
	assert_has(text, "heeft afgerond.");
	assert_has(text, "Behaald op 22 november 2026");
	assert_has(text, "Geldig tot 22 november 2028");
	assert_has(text, "Certificaatcode: HGKM-7Q4X-9K2M");
	assert_has(text, "Controleer de echtheid van dit certificaat:");
	assert_has(text, "http://127.0.0.1:8080/verificatie/HGKM-7Q4X-9K2M");
	free(text);
	check_layout(pdf, len);

	/* Same input, same bytes: nothing in the file depends on the clock. */
	again = render(&sample, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(pdf, again, len);
	free(again);
	free(pdf);
}

static void
test_render_charset(void **state)
{
	struct certpdf c = sample;
	unsigned char *pdf;
	size_t         len;
	char          *text;

	(void)state;
	/* Decomposed e + U+0308 and i + U+0308, as some phones send them. */
	c.holder_name = "Zoe\xcc\x88 Ble\xcc\x81ri\xcc\x88ot";
	/* Euro and curly quotes are in Windows-1252; L-stroke, CJK are not. */
	c.module_title = "\xe2\x82\xac 5 \xe2\x80\x98toets\xe2\x80\x99 "
	                 "\xc5\x81" "odz \xe4\xb8\xad";
	pdf = render(&c, &len);
	check_structure(pdf, len);
	text = pdf_text(pdf, len, "");
	assert_has(text, "Zo\xc3\xab Bl\xc3\xa9r\xc3\xafot");
	assert_has(text, "\xe2\x82\xac 5 \xe2\x80\x98toets\xe2\x80\x99 ?odz ?");
	free(text);
	free(pdf);
}

static char *
repeat(const char *unit, size_t bytes)
{
	size_t ulen = strlen(unit), n = 0;
	char  *s = malloc(bytes + 1);

	assert_non_null(s);
	while (n + ulen <= bytes) {
		memcpy(s + n, unit, ulen);
		n += ulen;
	}
	memset(s + n, 'x', bytes - n);
	s[bytes] = '\0';
	return s;
}

static void
test_render_long(void **state)
{
	struct certpdf c = sample;
	unsigned char *pdf;
	size_t         len;
	char          *name, *title, *code, *url, *text;

	(void)state;
	/* 200 characters in 320 bytes: 40 times E-acute e-acute n e-umlaut. */
	name = repeat("\xc3\x89\xc3\xa9n\xc3\xab ", 320);
	assert_int_equal(strlen(name), 320);
	c.holder_name = name;
	pdf = render(&c, &len);
	check_structure(pdf, len);
	text = pdf_text(pdf, len, "");
	assert_has(text, "\xc3\x89\xc3\xa9n\xc3\xab \xc3\x89\xc3\xa9n\xc3\xab");
	free(text);
	check_layout(pdf, len);
	free(pdf);

	/* Every field at the limit, one word without spaces among them. */
	title = repeat("Signalen herkennen en bespreken ", CERTPDF_FIELD_MAX);
	code = repeat("HGKM-", CERTPDF_FIELD_MAX);
	url = repeat("http://127.0.0.1:8080/verificatie/", CERTPDF_FIELD_MAX);
	c.module_title = title;
	c.code = code;
	c.verify_url = url;
	pdf = render(&c, &len);
	check_structure(pdf, len);
	check_layout(pdf, len);
	free(pdf);

	free(name);
	free(title);
	free(code);
	free(url);
}

enum field {
	F_NAME,
	F_TITLE,
	F_ISSUED,
	F_EXPIRES,
	F_CODE,
	F_URL,
};

static void
set_field(struct certpdf *c, enum field f, const char *v)
{
	switch (f) {
	case F_NAME:
		c->holder_name = v;
		break;
	case F_TITLE:
		c->module_title = v;
		break;
	case F_ISSUED:
		c->issued_at = v;
		break;
	case F_EXPIRES:
		c->expires_at = v;
		break;
	case F_CODE:
		c->code = v;
		break;
	case F_URL:
		c->verify_url = v;
		break;
	}
}

static void
test_render_rejects(void **state)
{
	static const struct {
		enum field  field;
		const char *value;
	} bad[] = {
		{ F_NAME, NULL },
		{ F_TITLE, NULL },
		{ F_ISSUED, NULL },
		{ F_EXPIRES, NULL },
		{ F_CODE, NULL },
		{ F_URL, NULL },
		{ F_NAME, "" },
		{ F_TITLE, "" },
		{ F_CODE, "" },
		{ F_URL, "" },
		{ F_NAME, "   " },
		{ F_NAME, "\t\n" },
		{ F_NAME, "\xc2\xad\xe2\x80\x8b" }, /* soft hyphen, ZWSP */
		{ F_NAME, "Jo\xc3\x28" "st" },         /* bad continuation */
		{ F_NAME, "Joost \xc0\xaf" },           /* overlong '/' */
		{ F_NAME, "Joost \xed\xa0\x80" },       /* surrogate */
		{ F_NAME, "Joost \xf4\x90\x80\x80" },   /* above U+10FFFF */
		{ F_NAME, "Joost \xe2\x82" },           /* truncated */
		{ F_NAME, "Joost \x80" },               /* lone continuation */
		{ F_NAME, "Joost \xff" },
		{ F_TITLE, "Module \xc3" },
		{ F_CODE, "HGKM-\xfe" },
		{ F_URL, "http://x/\xe0\x80\x80" },
		{ F_ISSUED, "22-11-2026" },
		{ F_ISSUED, "2026-02-30T10:00:00Z" },
		{ F_EXPIRES, "2028-11-22" },
		{ F_EXPIRES, "2028-11-22T10:00:00" },
	};
	const enum field textual[] = { F_NAME, F_TITLE, F_CODE, F_URL };
	struct certpdf   c;
	unsigned char   *pdf;
	size_t           len, i;
	char            *big;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = sample;
		set_field(&c, bad[i].field, bad[i].value);
		pdf = (unsigned char *)"untouched";
		len = 99;
		if (certpdf_render(&c, &pdf, &len) != -1)
			fail_msg("case %zu was accepted", i);
		assert_null(pdf);
		assert_int_equal(len, 0);
	}

	big = repeat("a", CERTPDF_FIELD_MAX + 1);
	for (i = 0; i < sizeof(textual) / sizeof(textual[0]); i++) {
		c = sample;
		set_field(&c, textual[i], big);
		assert_int_equal(certpdf_render(&c, &pdf, &len), -1);
		assert_null(pdf);
	}
	free(big);

	assert_int_equal(certpdf_render(NULL, &pdf, &len), -1);
	assert_null(pdf);
	assert_int_equal(certpdf_render(&sample, NULL, &len), -1);
	assert_int_equal(certpdf_render(&sample, &pdf, NULL), -1);
	assert_null(pdf);
}

static void
test_format_date(void **state)
{
	static const struct {
		const char *in;
		const char *want; /* NULL: must be refused */
	} cases[] = {
		{ "2026-11-22T10:00:00Z", "22 november 2026" },
		{ "2026-01-01T00:00:00Z", "1 januari 2026" },
		{ "2026-02-09T12:00:00Z", "9 februari 2026" },
		{ "2026-03-31T23:59:59Z", "31 maart 2026" },
		{ "2026-04-30T08:00:00Z", "30 april 2026" },
		{ "2026-05-05T08:00:00Z", "5 mei 2026" },
		{ "2026-06-15T08:00:00Z", "15 juni 2026" },
		{ "2026-07-15T08:00:00Z", "15 juli 2026" },
		{ "2026-08-15T08:00:00Z", "15 augustus 2026" },
		{ "2026-09-30T08:00:00Z", "30 september 2026" },
		{ "2026-10-31T08:00:00Z", "31 oktober 2026" },
		{ "2026-12-31T23:59:60Z", "31 december 2026" }, /* leap sec. */
		{ "2024-02-29T10:00:00Z", "29 februari 2024" },
		{ "2000-02-29T10:00:00Z", "29 februari 2000" },
		{ "2026-11-22T10:00:00.123456Z", "22 november 2026" },
		{ "2026-11-22t10:00:00z", "22 november 2026" },
		{ "2026-11-22 10:00:00Z", "22 november 2026" },
		{ "2026-11-22T23:30:00+01:00", "22 november 2026" },
		{ "2026-11-22T00:30:00-05:00", "22 november 2026" },
		{ "", NULL },
		{ "2026-11-22", NULL },
		{ "2026-11-22T10:00Z", NULL },
		{ "2026-11-22T10:00:00", NULL },
		{ "2026-11-22T10:00:00Zjunk", NULL },
		{ "2026-11-22T10:00:00.Z", NULL },
		{ "2026-11-22T10:00:00+0100", NULL },
		{ "2026-11-22T10:00:00+1:00", NULL },
		{ "2026-11-22T10:00:00+24:00", NULL },
		{ "2026-11-22X10:00:00Z", NULL },
		{ "2026-13-01T10:00:00Z", NULL },
		{ "2026-00-01T10:00:00Z", NULL },
		{ "2026-11-00T10:00:00Z", NULL },
		{ "2026-11-31T10:00:00Z", NULL },
		{ "2026-02-29T10:00:00Z", NULL },
		{ "1900-02-29T10:00:00Z", NULL },
		{ "2026-11-22T24:00:00Z", NULL },
		{ "2026-11-22T10:60:00Z", NULL },
		{ "2026-11-22T10:00:61Z", NULL },
		{ "26-11-22T10:00:00Z", NULL },
		{ "2026-1-22T10:00:00Z", NULL },
		{ "+2026-11-22T10:00:00Z", NULL },
		{ " 2026-11-22T10:00:00Z", NULL },
		{ "2026-11-22T1a:00:00Z", NULL },
	};
	char   buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		memset(buf, 'x', sizeof(buf));
		rc = certpdf_format_date(cases[i].in, buf, sizeof(buf));
		if (cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("\"%s\" accepted as \"%s\"",
				         cases[i].in, buf);
			assert_string_equal(buf, "");
		} else {
			if (rc != 0)
				fail_msg("\"%s\" refused", cases[i].in);
			assert_string_equal(buf, cases[i].want);
		}
	}

	/* "22 november 2026" is 16 characters and needs 17 bytes. */
	assert_int_equal(certpdf_format_date("2026-11-22T10:00:00Z", buf, 17),
	                 0);
	assert_string_equal(buf, "22 november 2026");
	assert_int_equal(certpdf_format_date("2026-11-22T10:00:00Z", buf, 16),
	                 -1);
	assert_string_equal(buf, "");
	assert_int_equal(certpdf_format_date("2026-11-22T10:00:00Z", buf, 0),
	                 -1);
	assert_int_equal(certpdf_format_date("2026-11-22T10:00:00Z", NULL, 8),
	                 -1);
	assert_int_equal(certpdf_format_date(NULL, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_valid),
		cmocka_unit_test(test_render_charset),
		cmocka_unit_test(test_render_long),
		cmocka_unit_test(test_render_rejects),
		cmocka_unit_test(test_format_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
