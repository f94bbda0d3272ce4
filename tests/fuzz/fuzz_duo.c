/* Fuzz target: duo_parse, DUO's register of school locations (CSV in UTF-8
 * or Windows-1252). */

/*
 * Properties, from duo.h: rows or errors, never both, as the return value
 * says; at most DUO_ERRORS_MAX errors, in line order, each valid UTF-8
 * (they go into a JSON body); the detected encoding is UTF-8 with a BOM,
 * UTF-8 when the bytes are, else Windows-1252.  Every row comes from a
 * later line than the one before, and all its text is valid UTF-8, never
 * NULL, trimmed and free of control characters; the location code matches
 * ^[0-9A-Z]{4}[0-9]{2}$ and no other row has it; the board number has 1-10
 * digits; the name 1-200 characters; the municipality code only digits.
 */
#include "duo.h"
#include "fuzz_common.h"

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
digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

static void
check_text(size_t row, const char *what, const char *s)
{
	size_t n;

	FUZZ_CHECK(s != NULL, "row %zu: %s is NULL", row, what);
	n = strlen(s);
	FUZZ_CHECK(fuzz_str_utf8(s) && !has_control(s) &&
	               (n == 0 || (s[0] != ' ' && s[0] != '\t' &&
	                           s[n - 1] != ' ' && s[n - 1] != '\t')),
	           "row %zu: %s \"%s\" is not clean UTF-8 text", row, what, s);
}

static bool
code_ok(const char *s)
{
	if (strnlen(s, 7) != 6)
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
	struct duo_register *reg = NULL;
	unsigned             lines = 1;
	bool                 bom, utf16;
	int                  rc;

	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n' ||
		    (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			lines++;
	bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	utf16 = size >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
	                      memcmp(data, "\xFE\xFF", 2) == 0);

	rc = duo_parse((const char *)data, size, &reg);
	FUZZ_CHECK(reg != NULL, "no register");
	FUZZ_CHECK((rc == 0) ==
	               (reg->errors.count == 0 && reg->errors.dropped == 0),
	           "rc %d with %zu errors, %zu dropped", rc, reg->errors.count,
	           reg->errors.dropped);
	FUZZ_CHECK(reg->errors.count <= DUO_ERRORS_MAX &&
	               (reg->errors.dropped == 0 ||
	                reg->errors.count == DUO_ERRORS_MAX),
	           "%zu errors kept, %zu dropped", reg->errors.count,
	           reg->errors.dropped);
	if (!utf16)
		FUZZ_CHECK(reg->encoding == (bom ? DUO_ENCODING_UTF8_BOM
		                             : fuzz_utf8_valid(data, size)
		                                 ? DUO_ENCODING_UTF8
		                                 : DUO_ENCODING_CP1252),
		           "encoding %s", duo_encoding_name(reg->encoding));

	if (rc != 0) {
		FUZZ_CHECK(reg->rows == NULL && reg->n_rows == 0,
		           "errors and %zu rows", reg->n_rows);
		for (size_t i = 0; i < reg->errors.count; i++) {
			const struct errlist_item *e = &reg->errors.items[i];

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
			    i == 0 || e->line >= reg->errors.items[i - 1].line,
			    "errors out of line order: line %u (%s) after "
			    "line %u (%s)",
			    e->line, e->message, reg->errors.items[i - 1].line,
			    reg->errors.items[i - 1].message);
		}
	} else {
		FUZZ_CHECK(reg->n_rows > 0, "a good register without rows");
	}

	for (size_t i = 0; i < reg->n_rows; i++) {
		const struct duo_row *r = &reg->rows[i];

		FUZZ_CHECK(r->line >= 2 && r->line <= lines &&
		               (i == 0 || r->line > reg->rows[i - 1].line),
		           "row %zu on line %u", i, r->line);
		FUZZ_CHECK(code_ok(r->brin), "row %zu: code \"%.7s\"", i,
		           r->brin);
		check_text(i, "board_number", r->board_number);
		check_text(i, "name", r->name);
		check_text(i, "municipality", r->municipality);
		check_text(i, "municipality_code", r->municipality_code);
		check_text(i, "place", r->place);
		check_text(i, "rmc_region_code", r->rmc_region_code);
		check_text(i, "rmc_region_name", r->rmc_region_name);
		check_text(i, "province", r->province);
		FUZZ_CHECK(digits(r->board_number, 1, 10), "row %zu: board %s",
		           i, r->board_number);
		FUZZ_CHECK(*r->name != '\0' && fuzz_utf8_count(r->name) <= 200,
		           "row %zu: name \"%s\"", i, r->name);
		FUZZ_CHECK(digits(r->municipality_code, 0, 8),
		           "row %zu: municipality code \"%s\"", i,
		           r->municipality_code);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(memcmp(reg->rows[j].brin, r->brin, 7) != 0,
			           "code %s on lines %u and %u", r->brin,
			           reg->rows[j].line, r->line);
	}
	duo_register_free(reg);
	return 0;
}
