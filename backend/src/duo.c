/* DUO's register of school locations: encoding, CSV records, checks. */

/*
 * How it works.  The buffer is first checked as a whole for its encoding and,
 * when it is Windows-1252, converted to UTF-8 in a copy.  An encoding error
 * ends the parse there: every later message would be about misread bytes.
 *
 * The UTF-8 text is then read with csvin_read (csvin.h), which hands over
 * each record with the physical line it starts on, also when a quoted field
 * spans lines, and reports quote errors.  The first record is the header; it
 * maps our columns to field positions.  Every later record is checked on its
 * own, and all bad records are reported, up to DUO_ERRORS_MAX messages.
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
 * older names.  Names are compared after header_norm(): upper case, '-' and
 * '_' read as spaces, runs of spaces as one, no leading or trailing space.
 * COL_BRIN and COL_VESTNR are read only when VESTIGINGSCODE is absent.
 */
static const char *const col_names[COL_COUNT][4] = {
    [COL_CODE] = {"VESTIGINGSCODE"},
    [COL_BRIN] = {"BRIN NUMMER", "BRINNUMMER", "INSTELLINGSCODE"},
    [COL_VESTNR] = {"VESTIGINGSNUMMER"},
    [COL_BOARD] = {"BEVOEGD GEZAG NUMMER", "BEVOEGDGEZAGNUMMER"},
    [COL_NAME] = {"VESTIGINGSNAAM", "NAAM VESTIGING"},
    [COL_MUNI] = {"GEMEENTENAAM"},
    [COL_MUNI_CODE] = {"GEMEENTENUMMER"},
    [COL_PLACE] = {"PLAATSNAAM"},
    [COL_RMC_CODE] = {"RMC-REGIO CODE"},
    [COL_RMC_NAME] = {"RMC-REGIO NAAM"},
    [COL_PROVINCE] = {"PROVINCIE"},
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
	bool                 header_done;
	bool                 stop;
	size_t               n_header;
	unsigned             header_line;
	int                  col[COL_COUNT]; /* field index, -1 when absent */
	bool                 compose_code;   /* BRIN + VESTIGINGSNUMMER */
	size_t               rows_cap;
	size_t               n_data; /* data records seen, good or bad */
	struct csvin_set     seen;   /* location codes */
};

static void  add_error(struct duo_register *reg, unsigned line, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));
static void  bad_utf8(unsigned line, unsigned char byte, void *data);
static char *cp1252_to_utf8(struct duo_register *reg, const unsigned char *p,
                            size_t len, size_t *out_len);
static void  parse_text(struct duo_register *reg, const char *text, size_t len);
static int   on_record(struct csvin_record *rec, void *data);
static void  on_csv_error(unsigned line, const char *message, void *data);
static void  header_record(struct duo_parse *st, struct csvin_record *rec);
static void  data_record(struct duo_parse *st, struct csvin_record *rec);
static void  header_norm(const char *in, char *out, size_t outsz);
static char *field(struct duo_parse *st, struct csvin_record *rec,
                   enum duo_col c);
static bool  has_control(const char *s);
static size_t utf8_chars(const char *s);
static bool   all_digits(const char *s);

/* Appends a message; past DUO_ERRORS_MAX the error is only counted. */
static void
add_error(struct duo_register *reg, unsigned line, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	if (reg->n_errors == DUO_ERRORS_MAX) {
		reg->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (reg->errors == NULL)
		reg->errors =
		    csvin_xmalloc(DUO_ERRORS_MAX * sizeof(*reg->errors));
	reg->errors[reg->n_errors].line = line;
	reg->errors[reg->n_errors].message =
	    arena_strdup(&reg->pool->strings, msg);
	reg->n_errors++;
}

/* The UTF-8 errors of a file that starts with a UTF-8 BOM. */
static void
bad_utf8(unsigned line, unsigned char byte, void *data)
{
	add_error(data, line,
	          "ongeldige UTF-8 (byte 0x%02X), terwijl het bestand met een "
	          "UTF-8-BOM begint",
	          byte);
}

/*
 * Converts Windows-1252 to UTF-8 in a malloc'ed, NUL-terminated copy that
 * the caller frees.  Returns NULL, after one error per affected line, when a
 * byte is undefined in the code page.
 */
static char *
cp1252_to_utf8(struct duo_register *reg, const unsigned char *p, size_t len,
               size_t *out_len)
{
	size_t   need = 0;
	unsigned line = 1, last_bad = 0;
	char    *out, *o;

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
				add_error(reg, line,
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
	const char          *p = buf;
	char                *converted = NULL;
	size_t               text_len = len;

	memset(reg, 0, sizeof(*reg));
	*out = reg;
	reg->pool = csvin_xmalloc(sizeof(*reg->pool));
	arena_init(&reg->pool->strings, DUO_BLOCK_SIZE);
	reg->encoding = DUO_ENCODING_UTF8;
	if (len > DUO_MAX_BYTES) {
		add_error(reg, 0, "het bestand is groter dan %d MiB",
		          DUO_MAX_BYTES / (1024 * 1024));
		return -1;
	}
	switch (csvin_bom(p, len)) {
	case CSVIN_BOM_UTF16:
		add_error(
		    reg, 1,
		    "het bestand is UTF-16; sla het op als CSV in UTF-8 of "
		    "Windows-1252");
		return -1;
	case CSVIN_BOM_UTF8:
		reg->encoding = DUO_ENCODING_UTF8_BOM;
		p += CSVIN_UTF8_BOM_LEN;
		text_len -= CSVIN_UTF8_BOM_LEN;
		if (csvin_utf8_check_lines(p, text_len, bad_utf8, reg) != 0)
			return -1;
		break;
	case CSVIN_BOM_NONE:
		if (csvin_utf8_invalid_at(p, len) == len)
			break;
		reg->encoding = DUO_ENCODING_CP1252;
		converted = cp1252_to_utf8(reg, (const unsigned char *)p, len,
		                           &text_len);
		if (converted == NULL)
			return -1;
		p = converted;
		break;
	}

	parse_text(reg, p, text_len);
	free(converted);

	if (reg->n_errors + reg->dropped > 0) {
		free(reg->rows);
		reg->rows = NULL;
		reg->n_rows = 0;
		return -1;
	}
	return 0;
}

/* Reads the UTF-8 text record by record; see the note at the top. */
static void
parse_text(struct duo_register *reg, const char *text, size_t len)
{
	struct duo_parse    st;
	struct csvin_reader r = {
	    /* ';', or ',' when the header line has no ';'. */
	    .delim = csvin_delim(text, len, ';'),
	    .max_fields = DUO_MAX_FIELDS,
	    .record = on_record,
	    .error = on_csv_error,
	    .data = &st,
	};

	if (len == 0) {
		add_error(reg, 1, "het bestand is leeg");
		return;
	}
	memset(&st, 0, sizeof(st));
	st.reg = reg;
	csvin_read(&r, text, len);

	/* An empty register would close every school: refuse it. */
	if (!st.header_done && reg->n_errors + reg->dropped == 0)
		add_error(reg, 1, "het bestand is leeg");
	else if (!st.stop && st.header_done && st.n_data == 0 &&
	         reg->n_errors + reg->dropped == 0)
		add_error(reg, st.header_line,
		          "het bestand bevat geen vestigingen");

	csvin_set_free(&st.seen);
}

static int
on_record(struct csvin_record *rec, void *data)
{
	struct duo_parse *st = data;

	if (!st->header_done)
		header_record(st, rec);
	else
		data_record(st, rec);
	return st->stop ? -1 : 0;
}

static void
on_csv_error(unsigned line, const char *message, void *data)
{
	struct duo_parse *st = data;

	add_error(st->reg, line, "%s", message);
}

static void
header_record(struct duo_parse *st, struct csvin_record *rec)
{
	char   missing[256] = "";
	size_t n_missing = 0;
	bool   dup[COL_COUNT] = {false};

	st->header_done = true;
	st->header_line = rec->line;
	st->n_header = rec->n_fields;
	for (int c = 0; c < COL_COUNT; c++)
		st->col[c] = -1;
	for (size_t i = 0; i < rec->n_kept; i++) {
		char have[128], want[128];

		header_norm(rec->field[i], have, sizeof(have));
		for (int c = 0; c < COL_COUNT; c++) {
			for (int a = 0; a < 4 && col_names[c][a] != NULL; a++) {
				header_norm(col_names[c][a], want,
				            sizeof(want));
				if (strcmp(have, want) != 0)
					continue;
				if (st->col[c] >= 0)
					dup[c] = true;
				else
					st->col[c] = (int)i;
			}
		}
	}
	st->compose_code = st->col[COL_CODE] < 0 && st->col[COL_BRIN] >= 0 &&
	                   st->col[COL_VESTNR] >= 0;
	if (!st->compose_code)
		dup[COL_BRIN] = dup[COL_VESTNR] = false;

	for (int c = 0; c < COL_COUNT; c++) {
		const char *name = c == COL_CODE
		                       ? "VESTIGINGSCODE (of BRIN NUMMER en "
		                         "VESTIGINGSNUMMER)"
		                       : col_names[c][0];

		if (c == COL_BRIN || c == COL_VESTNR || c == COL_PLACE ||
		    c == COL_RMC_CODE || c == COL_RMC_NAME || c == COL_PROVINCE)
			continue;
		if (c == COL_CODE ? st->col[COL_CODE] >= 0 || st->compose_code
		                  : st->col[c] >= 0)
			continue;
		snprintf(missing + strlen(missing),
		         sizeof(missing) - strlen(missing), "%s%s",
		         n_missing > 0 ? ", " : "", name);
		n_missing++;
	}
	if (n_missing > 0)
		add_error(st->reg, rec->line, "de kopregel mist de kolom%s %s",
		          n_missing > 1 ? "men" : "", missing);
	for (int c = 0; c < COL_COUNT; c++)
		if (dup[c])
			add_error(st->reg, rec->line,
			          "de kolom %s staat meer dan eens in de "
			          "kopregel",
			          col_names[c][0]);
	if (st->reg->n_errors > 0)
		st->stop = true;
}

static void
data_record(struct duo_parse *st, struct csvin_record *rec)
{
	struct duo_register *reg = st->reg;
	unsigned             line = rec->line;
	char                 code[16], shown[256];
	char                *v[COL_COUNT];
	unsigned             first;

	if (csvin_record_empty(rec))
		return; /* a blank record such as ";;;" */
	st->n_data++;
	if (rec->has_nul) {
		add_error(reg, line, "NUL-byte in de regel");
		return;
	}
	if (rec->n_fields != st->n_header) {
		add_error(reg, line,
		          "%zu velden verwacht (zoals in de kopregel), %zu "
		          "gevonden",
		          st->n_header, rec->n_fields);
		return;
	}
	for (int c = 0; c < COL_COUNT; c++) {
		v[c] = field(st, rec, c);
		if (has_control(v[c]))
			add_error(reg, line, "stuurteken in kolom %s",
			          col_names[c][0]);
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
		add_error(reg, line, "vestigingscode ontbreekt");
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
		add_error(reg, line,
		          "ongeldige vestigingscode \"%s\" (verwacht 4 cijfers "
		          "of hoofdletters en 2 cijfers, zoals 32JK00)",
		          shown);
		code[0] = '\0';
	}
	if (v[COL_BOARD][0] == '\0') {
		add_error(reg, line, "bevoegd-gezagnummer ontbreekt");
	} else if (!all_digits(v[COL_BOARD]) ||
	           strlen(v[COL_BOARD]) > DUO_BOARD_MAX) {
		csvin_echo(shown, sizeof(shown), v[COL_BOARD]);
		add_error(reg, line,
		          "ongeldig bevoegd-gezagnummer \"%s\" (verwacht 1 tot "
		          "%d cijfers)",
		          shown, DUO_BOARD_MAX);
	}
	if (v[COL_NAME][0] == '\0')
		add_error(reg, line, "vestigingsnaam ontbreekt");
	else if (utf8_chars(v[COL_NAME]) > DUO_NAME_MAX)
		add_error(reg, line, "vestigingsnaam is langer dan %d tekens",
		          DUO_NAME_MAX);
	if (!all_digits(v[COL_MUNI_CODE]) || strlen(v[COL_MUNI_CODE]) > 8) {
		csvin_echo(shown, sizeof(shown), v[COL_MUNI_CODE]);
		add_error(reg, line,
		          "ongeldig gemeentenummer \"%s\" (verwacht cijfers)",
		          shown);
	}
	if (code[0] != '\0' && !csvin_set_add(&st->seen, code, line, &first))
		add_error(reg, line, "vestigingscode %s staat ook op regel %u",
		          code, first);

	if (reg->n_errors + reg->dropped > 0)
		return; /* the file is refused: keep no more rows */
	if (reg->n_rows == st->rows_cap) {
		st->rows_cap = st->rows_cap == 0 ? 1024 : st->rows_cap * 2;
		reg->rows = csvin_xrealloc(reg->rows,
		                           st->rows_cap * sizeof(*reg->rows));
	}
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

/* Upper case, '-' and '_' as spaces, single spaces, trimmed. */
static void
header_norm(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	bool   space = false;

	for (; *in != '\0' && o + 1 < outsz; in++) {
		char c = *in;

		if (c == '-' || c == '_' || c == ' ' || c == '\t') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < outsz)
			out[o++] = ' ';
		space = false;
		out[o++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[o] = '\0';
}

/* The trimmed value of column c in the current record, "" when absent. */
static char *
field(struct duo_parse *st, struct csvin_record *rec, enum duo_col c)
{
	static char none[1];

	if (st->col[c] < 0)
		return none;
	return csvin_trim(rec->field[st->col[c]]);
}

/*
 * C0 controls, DEL and C1 controls (U+0080-U+009F).  A NUL inside a field
 * would end the C string early; csvin_read flags it in has_nul instead.
 */
static bool
has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return true;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return true;
	}
	return false;
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
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
	free(reg->errors);
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
