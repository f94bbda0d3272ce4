/* DUO's register of school locations: encoding, CSV records, checks. */

/*
 * How it works.  The buffer is first checked as a whole for its encoding and,
 * when it is Windows-1252, converted to UTF-8 in a copy.  An encoding error
 * ends the parse there: every later message would be about misread bytes.
 *
 * The UTF-8 text then goes through csvin_import (csvin.h), the skeleton of
 * every CSV upload: it maps the header to our columns and hands over each
 * record with the physical line it starts on.  Every record is checked on
 * its own, and all bad records are reported, up to DUO_ERRORS_MAX messages.
 * Duplicate location codes are found with a csvin_set of the codes seen so
 * far, so codes of bad records count too.  Rows are kept in the register only
 * while no error has been seen, and dropped at the end if one was.
 */
#include "duo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csvin.h"
#include "validate.h"

#define DUO_MAX_FIELDS 1000 /* fields kept per record; more are counted */
#define DUO_NAME_MAX 200    /* characters, as schools.name allows */
#define DUO_BOARD_MAX 10    /* digits of a board number */
#define DUO_BLOCK_SIZE (64 * 1024)

/* The columns we read. */
enum duo_col {
	COL_CODE,
	COL_BRIN,
	COL_VESTNR,
	COL_BOARD,
	COL_NAME,
	COL_MUNI,
	COL_MUNI_CODE,
	COL_PLACE,
	COL_RMC_CODE,
	COL_RMC_NAME,
	COL_PROVINCE,
	COL_COUNT,
};

/*
 * Header names per column, current DUO name first (messages use it), then
 * older names.  COL_BRIN and COL_VESTNR are read only when VESTIGINGSCODE
 * is absent.
 */
static const struct csvin_column columns[COL_COUNT] = {
    [COL_CODE] = {{"VESTIGINGSCODE"},
                  "VESTIGINGSCODE (of BRIN NUMMER en VESTIGINGSNUMMER)",
                  false},
    [COL_BRIN] = {{"BRIN NUMMER", "BRINNUMMER", "INSTELLINGSCODE"}, NULL, true},
    [COL_VESTNR] = {{"VESTIGINGSNUMMER"}, NULL, true},
    [COL_BOARD] = {{"BEVOEGD GEZAG NUMMER", "BEVOEGDGEZAGNUMMER"}, NULL, false},
    [COL_NAME] = {{"VESTIGINGSNAAM", "NAAM VESTIGING"}, NULL, false},
    [COL_MUNI] = {{"GEMEENTENAAM"}, NULL, false},
    [COL_MUNI_CODE] = {{"GEMEENTENUMMER"}, NULL, false},
    [COL_PLACE] = {{"PLAATSNAAM"}, NULL, true},
    [COL_RMC_CODE] = {{"RMC-REGIO CODE"}, NULL, true},
    [COL_RMC_NAME] = {{"RMC-REGIO NAAM"}, NULL, true},
    [COL_PROVINCE] = {{"PROVINCIE"}, NULL, true},
};

/*
 * Windows-1252 bytes 0x80-0x9F as code points; 0 marks the five bytes the
 * code page leaves undefined.  0xA0-0xFF equal U+00A0-U+00FF.
 */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* What backs the strings of a register (private in duo.h). */
struct duo_block {
	struct arena strings;
};

/* State of one duo_parse call. */
struct duo_parse {
	struct duo_register *reg;
	bool                 compose_code; /* BRIN + VESTIGINGSNUMMER */
	size_t               rows_cap;
	struct csvin_set     seen; /* location codes */
};

static char *cp1252_to_utf8(struct csvin_import *imp, const char *text,
                            size_t len, size_t *out_len);
static void  header_check(struct csvin_import *imp, bool *missing, bool *dup);
static void  data_record(struct csvin_import *imp, struct csvin_record *rec);
static bool  all_digits(const char *s);

/*
 * Converts Windows-1252 to UTF-8 in a malloc'ed, NUL-terminated copy that
 * the caller frees.  Returns NULL, after one error per affected line, when a
 * byte is undefined in the code page.
 */
static char *
cp1252_to_utf8(struct csvin_import *imp, const char *text, size_t len,
               size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t               need = 0;
	unsigned             line = 1, last_bad = 0;
	char                *out, *o;

	for (size_t i = 0; i < len; i++) {
		unsigned c = p[i];

		if (c == '\n' ||
		    (c == '\r' && (i + 1 == len || p[i + 1] != '\n')))
			line++; /* as csvin_line_len counts */
		if (c < 0x80) {
			need += 1;
		} else if (c >= 0xA0) {
			need += 2;
		} else if (cp1252_high[c - 0x80] == 0) {
			if (last_bad != line)
				csvin_error(
				    imp, line,
				    "byte 0x%02X bestaat niet in "
				    "Windows-1252, en het bestand is ook "
				    "geen geldige UTF-8",
				    c);
			last_bad = line;
		} else {
			need += cp1252_high[c - 0x80] < 0x800 ? 2 : 3;
		}
	}
	if (last_bad != 0)
		return NULL;

	out = o = csvin_xmalloc(need + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned c = p[i];

		if (c < 0x80) {
			*o++ = (char)c;
			continue;
		}
		if (c < 0xA0)
			c = cp1252_high[c - 0x80];
		if (c < 0x800) {
			*o++ = (char)(0xC0 | (c >> 6));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)(0xE0 | (c >> 12));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*o = '\0';
	*out_len = need;
	return out;
}

int
duo_parse(const char *buf, size_t len, struct duo_register **out)
{
	struct duo_register *reg = csvin_xmalloc(sizeof(*reg));
	struct duo_parse     st = {.reg = reg};
	struct csvin_import  imp = {
	     .cols = columns,
	     .n_cols = COL_COUNT,
	     .max_bytes = DUO_MAX_BYTES,
	     .max_fields = DUO_MAX_FIELDS,
	     .max_rows = DUO_MAX_ROWS,
	     .delim = ';',
	     .encodings = "UTF-8 of Windows-1252",
	     .bad_utf8_hint = ", terwijl het bestand met een UTF-8-BOM begint",
	     .empty_message = "het bestand is leeg",
	     .columns_hint = "",
	     /* An empty register would close every school: refuse it. */
	     .no_rows = "het bestand bevat geen vestigingen",
	     .too_many_rows = "het bestand heeft meer dan " CSVIN_STR(
	         DUO_MAX_ROWS) " vestigingen; is dit wel het register van DUO?",
	     .decode = cp1252_to_utf8,
	     .header = header_check,
	     .row = data_record,
	     .data = &st,
        };
	int rc;

	memset(reg, 0, sizeof(*reg));
	*out = reg;
	reg->pool = csvin_xmalloc(sizeof(*reg->pool));
	arena_init(&reg->pool->strings, DUO_BLOCK_SIZE);
	rc = csvin_import(&imp, buf, len, &reg->errors);
	reg->encoding = imp.bom       ? DUO_ENCODING_UTF8_BOM
	                : imp.decoded ? DUO_ENCODING_CP1252
	                              : DUO_ENCODING_UTF8;
	csvin_set_free(&st.seen);
	if (rc != 0) {
		free(reg->rows);
		reg->rows = NULL;
		reg->n_rows = 0;
		return -1;
	}
	return 0;
}

/* The location code is VESTIGINGSCODE, or else BRIN + VESTIGINGSNUMMER. */
static void
header_check(struct csvin_import *imp, bool *missing, bool *dup)
{
	struct duo_parse *st = imp->data;

	st->compose_code = imp->col[COL_CODE] < 0 && imp->col[COL_BRIN] >= 0 &&
	                   imp->col[COL_VESTNR] >= 0;
	if (st->compose_code)
		missing[COL_CODE] = false;
	else
		dup[COL_BRIN] = dup[COL_VESTNR] = false;
}

static void
data_record(struct csvin_import *imp, struct csvin_record *rec)
{
	struct duo_parse    *st = imp->data;
	struct duo_register *reg = st->reg;
	unsigned             line = rec->line;
	char                 code[16], shown[256];
	char                *v[COL_COUNT];
	unsigned             first;

	for (int c = 0; c < COL_COUNT; c++) {
		v[c] = csvin_field(imp, rec, c);
		/* C0, DEL and C1; csvin flags a NUL in has_nul instead. */
		if (text_control(v[c]) >= 0)
			csvin_error(imp, line, "stuurteken in kolom %s",
			            columns[c].names[0]);
	}

	if (st->compose_code) {
		const char *brin = v[COL_BRIN], *nr = v[COL_VESTNR];
		size_t      nb = strlen(brin), nn = strlen(nr);

		if (nn == 1 && all_digits(nr))
			snprintf(code, sizeof(code), "%.4s0%s", brin, nr);
		else if (nn == nb + 2 && strncmp(nr, brin, nb) == 0)
			snprintf(code, sizeof(code), "%.6s", nr);
		else
			snprintf(code, sizeof(code), "%.8s%.7s", brin, nr);
		if (nb != 4)
			code[0] = '\0';
	} else {
		snprintf(code, sizeof(code), "%.15s", v[COL_CODE]);
	}
	for (char *s = code; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
	if (code[0] == '\0' && !st->compose_code) {
		csvin_error(imp, line, "vestigingscode ontbreekt");
	} else if (!validate_brin(code)) {
		char nr[64];

		csvin_echo(shown, sizeof(shown),
		           v[st->compose_code ? COL_BRIN : COL_CODE]);
		if (st->compose_code) {
			csvin_echo(nr, sizeof(nr), v[COL_VESTNR]);
			snprintf(shown + strlen(shown),
			         sizeof(shown) - strlen(shown), "\" + \"%s",
			         nr);
		}
		csvin_error(
		    imp, line,
		    "ongeldige vestigingscode \"%s\" (verwacht 4 cijfers "
		    "of hoofdletters en 2 cijfers, zoals 32JK00)",
		    shown);
		code[0] = '\0';
	}
	if (v[COL_BOARD][0] == '\0') {
		csvin_error(imp, line, "bevoegd-gezagnummer ontbreekt");
	} else if (!all_digits(v[COL_BOARD]) ||
	           strlen(v[COL_BOARD]) > DUO_BOARD_MAX) {
		csvin_echo(shown, sizeof(shown), v[COL_BOARD]);
		csvin_error(
		    imp, line,
		    "ongeldig bevoegd-gezagnummer \"%s\" (verwacht 1 tot "
		    "%d cijfers)",
		    shown, DUO_BOARD_MAX);
	}
	if (v[COL_NAME][0] == '\0')
		csvin_error(imp, line, "vestigingsnaam ontbreekt");
	else if (utf8_chars(v[COL_NAME]) > DUO_NAME_MAX)
		csvin_error(imp, line, "vestigingsnaam is langer dan %d tekens",
		            DUO_NAME_MAX);
	if (!all_digits(v[COL_MUNI_CODE]) || strlen(v[COL_MUNI_CODE]) > 8) {
		csvin_echo(shown, sizeof(shown), v[COL_MUNI_CODE]);
		csvin_error(imp, line,
		            "ongeldig gemeentenummer \"%s\" (verwacht cijfers)",
		            shown);
	}
	if (code[0] != '\0' && !csvin_set_add(&st->seen, code, line, &first))
		csvin_error(imp, line,
		            "vestigingscode %s staat ook op regel %u", code,
		            first);

	if (errlist_total(&reg->errors) > 0)
		return; /* the file is refused: keep no more rows */
	reg->rows = csvin_grow(reg->rows, reg->n_rows, &st->rows_cap,
	                       sizeof(*reg->rows));
	{
		struct duo_row *r = &reg->rows[reg->n_rows++];
		struct arena   *a = &reg->pool->strings;

		r->line = line;
		memcpy(r->brin, code, 7);
		r->board_number = arena_strdup(a, v[COL_BOARD]);
		r->name = arena_strdup(a, v[COL_NAME]);
		r->municipality = arena_strdup(a, v[COL_MUNI]);
		r->municipality_code = arena_strdup(a, v[COL_MUNI_CODE]);
		r->place = arena_strdup(a, v[COL_PLACE]);
		r->rmc_region_code = arena_strdup(a, v[COL_RMC_CODE]);
		r->rmc_region_name = arena_strdup(a, v[COL_RMC_NAME]);
		r->province = arena_strdup(a, v[COL_PROVINCE]);
	}
}

/* True for "" as well. */
static bool
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void
duo_register_free(struct duo_register *reg)
{
	if (reg == NULL)
		return;
	if (reg->pool != NULL) {
		arena_destroy(&reg->pool->strings);
		free(reg->pool);
	}
	free(reg->rows);
	errlist_free(&reg->errors);
	free(reg);
}

const char *
duo_encoding_name(enum duo_encoding enc)
{
	switch (enc) {
	case DUO_ENCODING_UTF8:
		return "UTF-8";
	case DUO_ENCODING_UTF8_BOM:
		return "UTF-8 met BOM";
	case DUO_ENCODING_CP1252:
		return "Windows-1252";
	}
	return "?";
}
