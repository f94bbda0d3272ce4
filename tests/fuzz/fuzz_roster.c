/* Fuzz target: roster_parse, the board's staff roster upload (CSV). */

/*
 * Properties, from roster.h: the result is rows or errors, never both, and
 * the return value says which; at most ROSTER_ERRORS_MAX errors are kept,
 * in line order, and each message is valid UTF-8 (the handler puts them in
 * a JSON body, where jansson would drop an invalid string).  Every row
 * comes from a later line than the one before it and holds: an email in
 * lower-case ASCII that validate_email accepts and that no other row has; a
 * name of 1-200 characters of valid UTF-8 without control characters or
 * surrounding blanks; the role "teacher" or "ib"; a BRIN code matching
 * ^[0-9A-Z]{4}[0-9]{2}$.  `brins` holds well-formed codes in line order,
 * and on a good roster exactly the rows' codes on the rows' lines.
 */
#include "fuzz_common.h"
#include "roster.h"
#include "validate.h"

/* C0, DEL and C1 controls, on valid UTF-8. */
static bool
has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7F ||
		    (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return true;
	return false;
}

static bool
blank_edge(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	                 s[n - 1] == '\t');
}

static bool
brin_ok(const char *s)
{
	if (strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';
		bool upper = s[i] >= 'A' && s[i] <= 'Z';

		if (!(digit || (i < 4 && upper)))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster *ro = NULL;
	unsigned       lines = 1;
	int            rc;

	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n' ||
		    (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			lines++;

	rc = roster_parse((const char *)data, size, &ro);
	FUZZ_CHECK(ro != NULL, "no roster");
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	FUZZ_CHECK((rc == 0) ==
	               (ro->errors.count == 0 && ro->errors.dropped == 0),
	           "rc %d with %zu errors, %zu dropped", rc, ro->errors.count,
	           ro->errors.dropped);
	FUZZ_CHECK(ro->errors.count <= ROSTER_ERRORS_MAX, "%zu errors",
	           ro->errors.count);
	FUZZ_CHECK(ro->errors.dropped == 0 ||
	               ro->errors.count == ROSTER_ERRORS_MAX,
	           "dropped %zu with only %zu kept", ro->errors.dropped,
	           ro->errors.count);

	if (rc != 0) {
		FUZZ_CHECK(ro->rows == NULL && ro->n_rows == 0,
		           "errors and %zu rows", ro->n_rows);
		for (size_t i = 0; i < ro->errors.count; i++) {
			const struct errlist_item *e = &ro->errors.items[i];

			FUZZ_CHECK(
			    e->message != NULL && *e->message != '\0' &&
			        fuzz_str_utf8(e->message),
			    "error %zu on line %u: empty or invalid UTF-8 "
			    "message \"%s\"",
			    i, e->line, e->message ? e->message : "(null)");
			FUZZ_CHECK(e->line >= 1 && e->line <= lines,
			           "error %zu on line %u of %u: %s", i, e->line,
			           lines, e->message);
			FUZZ_CHECK(
			    i == 0 || e->line >= ro->errors.items[i - 1].line,
			    "errors out of line order: %u after %u (%s)",
			    e->line, ro->errors.items[i - 1].line, e->message);
		}
	}

	for (size_t i = 0; i < ro->n_rows; i++) {
		const struct roster_row *r = &ro->rows[i];

		FUZZ_CHECK(r->line >= 2 && r->line <= lines &&
		               (i == 0 || r->line > ro->rows[i - 1].line),
		           "row %zu on line %u", i, r->line);
		FUZZ_CHECK(validate_email(r->email), "row %zu: email \"%s\"", i,
		           r->email);
		for (const char *s = r->email; *s != '\0'; s++)
			FUZZ_CHECK((unsigned char)*s < 0x80 &&
			               !(*s >= 'A' && *s <= 'Z'),
			           "row %zu: email \"%s\" not lower-case ASCII",
			           i, r->email);
		FUZZ_CHECK(*r->name != '\0' && fuzz_str_utf8(r->name) &&
		               fuzz_utf8_count(r->name) <= ROSTER_NAME_MAX &&
		               !has_control(r->name) && !blank_edge(r->name) &&
		               !blank_edge(r->email),
		           "row %zu: name \"%s\"", i, r->name);
		FUZZ_CHECK(r->role != NULL &&
		               (strcmp(r->role, "teacher") == 0 ||
		                strcmp(r->role, "ib") == 0),
		           "row %zu: role", i);
		FUZZ_CHECK(brin_ok(r->brin), "row %zu: brin \"%.7s\"", i,
		           r->brin);
		/* Quadratic, but inputs are a few KiB. */
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(ro->rows[j].email, r->email) != 0,
			           "email %s on lines %u and %u", r->email,
			           ro->rows[j].line, r->line);
	}

	/* Every well-formed BRIN, in line order; on a good roster exactly the
	 * rows' codes. */
	for (size_t i = 0; i < ro->n_brins; i++) {
		const struct roster_brin *b = &ro->brins[i];

		FUZZ_CHECK(
		    brin_ok(b->brin) && b->line >= 2 && b->line <= lines &&
		        (i == 0 || b->line >= ro->brins[i - 1].line),
		    "brins[%zu] \"%.7s\" on line %u", i, b->brin, b->line);
	}
	if (rc == 0) {
		FUZZ_CHECK(ro->n_brins == ro->n_rows, "%zu brins for %zu rows",
		           ro->n_brins, ro->n_rows);
		for (size_t i = 0; i < ro->n_rows; i++)
			FUZZ_CHECK(ro->brins[i].line == ro->rows[i].line &&
			               memcmp(ro->brins[i].brin,
			                      ro->rows[i].brin, 7) == 0,
			           "brins[%zu] is not row %zu's code", i, i);
	}
	roster_free(ro);
	return 0;
}
