/* DUO's register of school locations: encoding, CSV records, checks. */

/*
 * How it works.  The buffer is first checked as a whole for its encoding and,
 * when it is Windows-1252, converted to UTF-8 in a copy.  An encoding error
 * ends the parse there: every later message would be about misread bytes.
 *
 * The UTF-8 text is then fed to libcsv (strict mode) one physical line at a
 * time, so that each record knows the line it starts on even when a quoted
 * field spans lines.  The first record is the header; it maps our columns to
 * field positions.  Every later record is checked on its own, and all bad
 * records are reported, up to DUO_ERRORS_MAX messages.  Duplicate location
 * codes are found with an open-addressing hash of the codes seen so far, so
 * codes of bad records count too.  Rows are kept in the register only while
 * no error has been seen, and dropped at the end if one was.
 *
 * Caveat: after a quote error libcsv's state is unknown, so the parser is
 * restarted on the next line; a broken multi-line record can then give a
 * second error on one of its later lines.
 */
#include "duo.h"

#include <csv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUO_MAX_FIELDS 1000 /* fields kept per record; more are counted */
#define DUO_NAME_MAX 200    /* characters, as schools.name allows */
#define DUO_BOARD_MAX 10    /* digits of a board number */
#define DUO_ECHO_MAX 40     /* characters of a bad value quoted back */
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

/* String storage of a register: a list of bump-allocated blocks. */
struct duo_block {
	struct duo_block *next;
	size_t            used;
	size_t            size;
	char              data[];
};

struct duo_field {
	size_t off; /* into parse.rec */
	size_t len;
};

/* A code seen so far, for duplicates; code[0] == '\0' marks a free slot. */
struct duo_seen {
	char     code[7];
	unsigned line;
};

/* State of one duo_parse call. */
struct duo_parse {
	struct duo_register *reg;
	struct csv_parser    csv;
	unsigned char        delim;
	unsigned             line;     /* physical line being fed */
	unsigned             rec_line; /* line the current record starts on */
	bool                 in_record;
	bool                 rec_nul;   /* a field of the record holds NUL */
	bool                 csv_ready; /* csv holds memory to free */
	bool                 header_done;
	bool                 stop;
	char                *rec; /* fields of the record, NUL after each */
	size_t               rec_len, rec_cap;
	struct duo_field    *fields;
	size_t               n_fields; /* counted, may exceed DUO_MAX_FIELDS */
	size_t               fields_cap;
	size_t               n_header;
	unsigned             header_line;
	int                  col[COL_COUNT]; /* field index, -1 when absent */
	bool                 compose_code;   /* BRIN + VESTIGINGSNUMMER */
	size_t               rows_cap;
	size_t               n_data; /* data records seen, good or bad */
	struct duo_seen     *seen;
	size_t               seen_cap, n_seen;
};

static void       *xmalloc(size_t n);
static void       *xrealloc(void *p, size_t n);
static void       *xcalloc(size_t n, size_t size);
static char       *pool_alloc(struct duo_register *reg, size_t n);
static const char *pool_strdup(struct duo_register *reg, const char *s);
static void add_error(struct duo_register *reg, unsigned line, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));
static size_t utf8_invalid_at(const unsigned char *p, size_t len);
static int    check_utf8_lines(struct duo_register *reg, const unsigned char *p,
                               size_t len);
static char  *cp1252_to_utf8(struct duo_register *reg, const unsigned char *p,
                             size_t len, size_t *out_len);
static void  parse_text(struct duo_register *reg, const char *text, size_t len);
static void  on_field(void *s, size_t len, void *data);
static void  on_record(int c, void *data);
static void  parser_restart(struct duo_parse *st);
static void  header_record(struct duo_parse *st);
static void  data_record(struct duo_parse *st);
static void  header_norm(const char *in, char *out, size_t outsz);
static char *field(struct duo_parse *st, enum duo_col c);
static char *trim(char *s);
static bool  blank(const char *p, size_t n);
static size_t line_len(const char *p, size_t len);
static size_t first_line(const char *text, size_t len, size_t *n);
static bool   has_control(const char *s);
static size_t utf8_chars(const char *s);
static bool   all_digits(const char *s);
static bool   valid_code(const char *s);
static void   echo(char *dst, size_t dstsz, const char *s);
static bool   seen_add(struct duo_parse *st, const char *code, unsigned line,
                       unsigned *first);

static void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fprintf(stderr, "duo: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL) {
		fprintf(stderr, "duo: out of memory (%zu bytes)\n", n);
		abort();
	}
	return q;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr, "duo: out of memory (%zu x %zu bytes)\n", n,
		        size);
		abort();
	}
	return p;
}

static char *
pool_alloc(struct duo_register *reg, size_t n)
{
	struct duo_block *b = reg->pool;

	if (b == NULL || b->size - b->used < n) {
		size_t size = n > DUO_BLOCK_SIZE ? n : DUO_BLOCK_SIZE;

		b = xmalloc(sizeof(*b) + size);
		b->next = reg->pool;
		b->used = 0;
		b->size = size;
		reg->pool = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static const char *
pool_strdup(struct duo_register *reg, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pool_alloc(reg, n), s, n);
}

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
		reg->errors = xmalloc(DUO_ERRORS_MAX * sizeof(*reg->errors));
	reg->errors[reg->n_errors].line = line;
	reg->errors[reg->n_errors].message = pool_strdup(reg, msg);
	reg->n_errors++;
}

/*
 * Offset of the first byte that does not start a well-formed UTF-8
 * sequence (overlong forms, surrogates and values past U+10FFFF included),
 * or `len` when all of p[0..len) is valid.  NUL is valid here; the field
 * checks refuse it as a control character.
 */
static size_t
utf8_invalid_at(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i], cp, n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (unsigned k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

/*
 * One error per line that holds invalid UTF-8.  Returns -1 if any.  No
 * multi-byte sequence holds CR or LF, so lines can be checked apart.
 */
static int
check_utf8_lines(struct duo_register *reg, const unsigned char *p, size_t len)
{
	unsigned line = 0;
	int      rc = 0;

	for (size_t pos = 0, n; pos < len; pos += n) {
		const unsigned char *q = p + pos;
		size_t               bad;

		n = line_len((const char *)q, len - pos);
		line++;
		bad = utf8_invalid_at(q, n);
		if (bad < n) {
			add_error(reg, line,
			          "ongeldige UTF-8 (byte 0x%02X), terwijl het "
			          "bestand "
			          "met een UTF-8-BOM begint",
			          q[bad]);
			rc = -1;
		}
	}
	return rc;
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
			line++; /* as line_len counts */
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

	out = o = xmalloc(need + 1);
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
	struct duo_register *reg = xmalloc(sizeof(*reg));
	const unsigned char *p = (const unsigned char *)buf;
	char                *converted = NULL;
	size_t               text_len = len;

	memset(reg, 0, sizeof(*reg));
	*out = reg;
	reg->encoding = DUO_ENCODING_UTF8;
	if (len > DUO_MAX_BYTES) {
		add_error(reg, 0, "het bestand is groter dan %d MiB",
		          DUO_MAX_BYTES / (1024 * 1024));
		return -1;
	}
	if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	                 (p[0] == 0xFE && p[1] == 0xFF))) {
		add_error(
		    reg, 1,
		    "het bestand is UTF-16; sla het op als CSV in UTF-8 of "
		    "Windows-1252");
		return -1;
	}
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		reg->encoding = DUO_ENCODING_UTF8_BOM;
		p += 3;
		text_len -= 3;
		if (check_utf8_lines(reg, p, text_len) != 0)
			return -1;
	} else if (utf8_invalid_at(p, len) != len) {
		reg->encoding = DUO_ENCODING_CP1252;
		converted = cp1252_to_utf8(reg, p, len, &text_len);
		if (converted == NULL)
			return -1;
		p = (const unsigned char *)converted;
	}

	parse_text(reg, (const char *)p, text_len);
	free(converted);

	if (reg->n_errors + reg->dropped > 0) {
		free(reg->rows);
		reg->rows = NULL;
		reg->n_rows = 0;
		return -1;
	}
	return 0;
}

/* Feeds the UTF-8 text to libcsv line by line; see the note at the top. */
static void
parse_text(struct duo_register *reg, const char *text, size_t len)
{
	struct duo_parse st;
	const char      *p = text, *end = text + len;
	size_t           hlen, hoff = first_line(text, len, &hlen);

	if (len == 0) {
		add_error(reg, 1, "het bestand is leeg");
		return;
	}
	memset(&st, 0, sizeof(st));
	st.reg = reg;
	/* The delimiter is ';', or ',' when the header line has no ';'. */
	st.delim = ';';
	if (memchr(text + hoff, ';', hlen) == NULL &&
	    memchr(text + hoff, ',', hlen) != NULL)
		st.delim = ',';
	parser_restart(&st);

	while (p < end && !st.stop) {
		size_t n;

		n = line_len(p, (size_t)(end - p));
		st.line++;
		if (!st.in_record) {
			if (blank(p, n)) {
				p += n; /* libcsv would skip it too */
				continue;
			}
			st.in_record = true;
			st.rec_line = st.line;
		}
		if (csv_parse(&st.csv, p, n, on_field, on_record, &st) != n) {
			if (csv_error(&st.csv) != CSV_EPARSE) {
				fprintf(stderr, "duo: libcsv: %s\n",
				        csv_strerror(csv_error(&st.csv)));
				abort();
			}
			add_error(
			    reg, st.line,
			    "aanhalingsteken op een onverwachte plaats (een "
			    "veld met \" erin moet tussen aanhalingstekens "
			    "staan, met \"\" voor elke \")");
			if (!st.header_done)
				st.stop = true;
			parser_restart(&st);
		}
		p += n;
	}
	if (!st.stop && csv_fini(&st.csv, on_field, on_record, &st) != 0)
		add_error(reg, st.rec_line,
		          "aanhalingsteken wordt niet afgesloten");
	csv_free(&st.csv);

	/* An empty register would close every school: refuse it. */
	if (!st.header_done && reg->n_errors + reg->dropped == 0)
		add_error(reg, 1, "het bestand is leeg");
	else if (!st.stop && st.header_done && st.n_data == 0)
		add_error(reg, st.header_line,
		          "het bestand bevat geen vestigingen");

	free(st.rec);
	free(st.fields);
	free(st.seen);
}

/* Starts libcsv afresh and forgets the record being read. */
static void
parser_restart(struct duo_parse *st)
{
	if (st->csv_ready)
		csv_free(&st->csv);
	if (csv_init(&st->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "duo: csv_init failed\n");
		abort();
	}
	st->csv_ready = true;
	csv_set_delim(&st->csv, st->delim);
	st->rec_len = 0;
	st->n_fields = 0;
	st->in_record = false;
	st->rec_nul = false;
}

static void
on_field(void *s, size_t len, void *data)
{
	struct duo_parse *st = data;

	if (st->stop)
		return;
	if (!st->in_record) {
		/* A record that began after a lone CR in the same line. */
		st->in_record = true;
		st->rec_line = st->line;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL)
		st->rec_nul = true;
	if (st->n_fields++ >= DUO_MAX_FIELDS)
		return;
	if (st->n_fields > st->fields_cap) {
		st->fields_cap = st->fields_cap == 0 ? 64 : st->fields_cap * 2;
		st->fields =
		    xrealloc(st->fields, st->fields_cap * sizeof(*st->fields));
	}
	if (st->rec_len + len + 1 > st->rec_cap) {
		st->rec_cap = (st->rec_len + len + 1) * 2;
		st->rec = xrealloc(st->rec, st->rec_cap);
	}
	if (len > 0)
		memcpy(st->rec + st->rec_len, s, len);
	st->rec[st->rec_len + len] = '\0';
	st->fields[st->n_fields - 1].off = st->rec_len;
	st->fields[st->n_fields - 1].len = len;
	st->rec_len += len + 1;
}

static void
on_record(int c, void *data)
{
	struct duo_parse *st = data;

	(void)c;
	if (st->stop)
		return;
	if (!st->header_done)
		header_record(st);
	else
		data_record(st);
	st->rec_len = 0;
	st->n_fields = 0;
	st->in_record = false;
	st->rec_nul = false;
}

static void
header_record(struct duo_parse *st)
{
	char   missing[256] = "";
	size_t n_missing = 0;
	bool   dup[COL_COUNT] = {false};
	size_t kept =
	    st->n_fields < DUO_MAX_FIELDS ? st->n_fields : DUO_MAX_FIELDS;

	st->header_done = true;
	st->header_line = st->rec_line;
	st->n_header = st->n_fields;
	for (int c = 0; c < COL_COUNT; c++)
		st->col[c] = -1;
	for (size_t i = 0; i < kept; i++) {
		char have[128], want[128];

		header_norm(st->rec + st->fields[i].off, have, sizeof(have));
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
		add_error(st->reg, st->rec_line,
		          "de kopregel mist de kolom%s %s",
		          n_missing > 1 ? "men" : "", missing);
	for (int c = 0; c < COL_COUNT; c++)
		if (dup[c])
			add_error(st->reg, st->rec_line,
			          "de kolom %s staat meer dan eens in de "
			          "kopregel",
			          col_names[c][0]);
	if (st->reg->n_errors > 0)
		st->stop = true;
}

static void
data_record(struct duo_parse *st)
{
	struct duo_register *reg = st->reg;
	unsigned             line = st->rec_line;
	char                 code[16], shown[256];
	char                *v[COL_COUNT];
	unsigned             first;
	bool                 empty = true;

	for (size_t i = 0; i < st->n_fields && i < DUO_MAX_FIELDS; i++)
		if (*trim(st->rec + st->fields[i].off) != '\0')
			empty = false;
	if (empty && !st->rec_nul)
		return; /* a blank record such as ";;;" */
	st->n_data++;
	if (st->rec_nul) {
		add_error(reg, line, "NUL-byte in de regel");
		return;
	}
	if (st->n_fields != st->n_header) {
		add_error(reg, line,
		          "%zu velden verwacht (zoals in de kopregel), %zu "
		          "gevonden",
		          st->n_header, st->n_fields);
		return;
	}
	for (int c = 0; c < COL_COUNT; c++) {
		v[c] = field(st, c);
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
	} else if (!valid_code(code)) {
		char nr[64];

		echo(shown, sizeof(shown),
		     v[st->compose_code ? COL_BRIN : COL_CODE]);
		if (st->compose_code) {
			echo(nr, sizeof(nr), v[COL_VESTNR]);
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
		echo(shown, sizeof(shown), v[COL_BOARD]);
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
		echo(shown, sizeof(shown), v[COL_MUNI_CODE]);
		add_error(reg, line,
		          "ongeldig gemeentenummer \"%s\" (verwacht cijfers)",
		          shown);
	}
	if (code[0] != '\0' && !seen_add(st, code, line, &first))
		add_error(reg, line, "vestigingscode %s staat ook op regel %u",
		          code, first);

	if (reg->n_errors + reg->dropped > 0)
		return; /* the file is refused: keep no more rows */
	if (reg->n_rows == st->rows_cap) {
		st->rows_cap = st->rows_cap == 0 ? 1024 : st->rows_cap * 2;
		reg->rows =
		    xrealloc(reg->rows, st->rows_cap * sizeof(*reg->rows));
	}
	{
		struct duo_row *r = &reg->rows[reg->n_rows++];

		r->line = line;
		memcpy(r->brin, code, 7);
		r->board_number = pool_strdup(reg, v[COL_BOARD]);
		r->name = pool_strdup(reg, v[COL_NAME]);
		r->municipality = pool_strdup(reg, v[COL_MUNI]);
		r->municipality_code = pool_strdup(reg, v[COL_MUNI_CODE]);
		r->place = pool_strdup(reg, v[COL_PLACE]);
		r->rmc_region_code = pool_strdup(reg, v[COL_RMC_CODE]);
		r->rmc_region_name = pool_strdup(reg, v[COL_RMC_NAME]);
		r->province = pool_strdup(reg, v[COL_PROVINCE]);
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
field(struct duo_parse *st, enum duo_col c)
{
	static char none[1];

	if (st->col[c] < 0)
		return none;
	return trim(st->rec + st->fields[st->col[c]].off);
}

/* Trims spaces and tabs in place. */
static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Only spaces, tabs, CR and LF: libcsv makes no record of such a line. */
static bool
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/*
 * C0 controls, DEL and C1 controls (U+0080-U+009F).  A NUL inside a field
 * would end the C string early; on_field flags it in rec_nul instead.
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

/*
 * Length of the line at p, line break included: LF, CRLF, or a lone CR (as
 * old Mac exports write), which libcsv also takes as the end of a record.
 */
static size_t
line_len(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] != '\n' && p[i] != '\r')
		i++;
	if (i < len && p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
		i++;
	return i < len ? i + 1 : len;
}

/* Offset and length (*n) of the first line that is not blank. */
static size_t
first_line(const char *text, size_t len, size_t *n)
{
	size_t off = 0;

	while (off < len) {
		size_t l = line_len(text + off, len - off);

		if (!blank(text + off, l)) {
			*n = l;
			return off;
		}
		off += l;
	}
	*n = 0;
	return len;
}

/* ^[0-9A-Z]{4}[0-9]{2}$ */
static bool
valid_code(const char *s)
{
	if (strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';

		if (!digit && (i >= 4 || s[i] < 'A' || s[i] > 'Z'))
			return false;
	}
	return true;
}

/*
 * A bad value to quote in a message: at most DUO_ECHO_MAX characters, control
 * characters as '?', a trailing "..." when cut.  The text is valid UTF-8.
 */
static void
echo(char *dst, size_t dstsz, const char *s)
{
	size_t o = 0, chars = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80 && chars++ == DUO_ECHO_MAX) {
			if (o + 4 < dstsz) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (o + 5 >= dstsz)
			break;
		dst[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	dst[o] = '\0';
}

/*
 * Records `code` as seen on `line`.  Returns false, with the earlier line in
 * *first, when it was seen before.
 */
static bool
seen_add(struct duo_parse *st, const char *code, unsigned line, unsigned *first)
{
	uint32_t h = 2166136261u;
	size_t   i;

	if ((st->n_seen + 1) * 2 > st->seen_cap) {
		size_t           old_cap = st->seen_cap;
		struct duo_seen *old = st->seen;

		st->seen_cap = old_cap == 0 ? 8192 : old_cap * 2;
		st->seen = xcalloc(st->seen_cap, sizeof(*st->seen));
		st->n_seen = 0;
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].code[0] != '\0')
				seen_add(st, old[k].code, old[k].line, first);
		free(old);
	}
	for (const char *s = code; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (i = h & (st->seen_cap - 1); st->seen[i].code[0] != '\0';
	     i = (i + 1) & (st->seen_cap - 1)) {
		if (strcmp(st->seen[i].code, code) == 0) {
			*first = st->seen[i].line;
			return false;
		}
	}
	memcpy(st->seen[i].code, code, 7);
	st->seen[i].line = line;
	st->n_seen++;
	return true;
}

void
duo_register_free(struct duo_register *reg)
{
	struct duo_block *b, *next;

	if (reg == NULL)
		return;
	for (b = reg->pool; b != NULL; b = next) {
		next = b->next;
		free(b);
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
