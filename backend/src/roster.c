/* A board's staff roster: UTF-8 check, CSV records, per-field checks. */

/*
 * How it works.  The buffer must be UTF-8 (a BOM is skipped); every line
 * with invalid UTF-8 is reported and parsing ends there, since the other
 * messages would be about misread bytes.  The text is then fed to libcsv
 * (strict mode) one physical line at a time, so that each record knows the
 * line it starts on even when a quoted field spans lines.  The first record
 * is the header; it maps our four columns to field positions.  Every later
 * record is checked on its own and each bad field gives one error, up to
 * ROSTER_ERRORS_MAX messages.  Duplicate emails are found with an
 * open-addressing hash of the valid emails seen so far, so that the emails
 * of otherwise bad records count too.  Rows are kept only while no error has
 * been seen, and dropped at the end if one was.
 *
 * Emails must be ASCII.  validate_email lets other bytes through, but we
 * lower-case ASCII only, while staff.email has CHECK (email = lower(email)),
 * which PostgreSQL evaluates with full Unicode case mapping: an address
 * with a capital accented letter would pass here and fail there.
 *
 * Caveat: after a quote error libcsv's state is unknown, so the parser is
 * restarted on the next line; a broken multi-line record can then give a
 * second error on one of its later lines.
 */
#include "roster.h"

#include <csv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate.h"

#define ROSTER_MAX_FIELDS 100 /* fields kept per record; more are counted */
#define ROSTER_ECHO_MAX 40    /* characters of a bad value quoted back */
#define ROSTER_BLOCK_SIZE (64 * 1024)

/* Our columns; the names are the header names (any case). */
enum roster_col {
	COL_EMAIL,
	COL_NAME,
	COL_ROLE,
	COL_BRIN,
	COL_COUNT,
};

static const char *const col_names[COL_COUNT] = {
    [COL_EMAIL] = "email",
    [COL_NAME] = "name",
    [COL_ROLE] = "role",
    [COL_BRIN] = "brin",
};

/* String storage of a roster: a list of bump-allocated blocks. */
struct roster_block {
	struct roster_block *next;
	size_t               used;
	size_t               size;
	char                 data[];
};

struct roster_field {
	size_t off; /* into parse.rec */
	size_t len;
};

/* An email seen so far; email NULL marks a free slot. */
struct roster_seen {
	const char *email; /* pool string */
	uint32_t    hash;
	unsigned    line;
};

/* State of one roster_parse call. */
struct roster_parse {
	struct roster       *ros;
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
	struct roster_field *fields;
	size_t               n_fields; /* counted, may exceed the maximum */
	size_t               fields_cap;
	size_t               n_header;
	int                  col[COL_COUNT]; /* field index, -1 when absent */
	size_t               rows_cap;
	size_t               n_data; /* data records seen, good or bad */
	struct roster_seen  *seen;
	size_t               seen_cap, n_seen;
};

static void       *xmalloc(size_t n);
static void       *xrealloc(void *p, size_t n);
static void       *xcalloc(size_t n, size_t size);
static char       *pool_alloc(struct roster *ros, size_t n);
static const char *pool_strdup(struct roster *ros, const char *s);
static void add_error(struct roster *ros, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static size_t      utf8_invalid_at(const unsigned char *p, size_t len);
static int         check_utf8_lines(struct roster *ros, const unsigned char *p,
                                    size_t len);
static void        parse_text(struct roster *ros, const char *text, size_t len);
static void        parser_restart(struct roster_parse *st);
static void        on_field(void *s, size_t len, void *data);
static void        on_record(int c, void *data);
static void        header_record(struct roster_parse *st);
static void        data_record(struct roster_parse *st);
static void        check_email(struct roster_parse *st, char *email);
static const char *check_role(struct roster_parse *st, const char *role);
static void        check_name(struct roster_parse *st, const char *name);
static void        check_brin(struct roster_parse *st, char *brin);
static char       *field(struct roster_parse *st, enum roster_col c);
static char       *trim(char *s);
static bool        blank(const char *p, size_t n);
static size_t      line_len(const char *p, size_t len);
static size_t      first_line(const char *text, size_t len, size_t *n);
static bool        valid_brin(const char *s);
static void        echo(char *dst, size_t dstsz, const char *s);
static bool seen_add(struct roster_parse *st, const char *email, unsigned line,
                     unsigned *first);

static void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fprintf(stderr, "roster: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL) {
		fprintf(stderr, "roster: out of memory (%zu bytes)\n", n);
		abort();
	}
	return q;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr, "roster: out of memory (%zu x %zu bytes)\n", n,
		        size);
		abort();
	}
	return p;
}

static char *
pool_alloc(struct roster *ros, size_t n)
{
	struct roster_block *b = ros->pool;

	if (b == NULL || b->size - b->used < n) {
		size_t size = n > ROSTER_BLOCK_SIZE ? n : ROSTER_BLOCK_SIZE;

		b = xmalloc(sizeof(*b) + size);
		b->next = ros->pool;
		b->used = 0;
		b->size = size;
		ros->pool = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static const char *
pool_strdup(struct roster *ros, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pool_alloc(ros, n), s, n);
}

/* Appends a message; past ROSTER_ERRORS_MAX the error is only counted. */
static void
add_error(struct roster *ros, unsigned line, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	if (ros->n_errors == ROSTER_ERRORS_MAX) {
		ros->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ros->errors == NULL)
		ros->errors = xmalloc(ROSTER_ERRORS_MAX * sizeof(*ros->errors));
	ros->errors[ros->n_errors].line = line;
	ros->errors[ros->n_errors].message = pool_strdup(ros, msg);
	ros->n_errors++;
}

/*
 * Offset of the first byte that does not start a well-formed UTF-8
 * sequence (overlong forms, surrogates and values past U+10FFFF included),
 * or `len` when all of p[0..len) is valid.  NUL is valid here; on_field
 * flags it.
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
check_utf8_lines(struct roster *ros, const unsigned char *p, size_t len)
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
			add_error(
			    ros, line,
			    "ongeldige UTF-8 (byte 0x%02X); sla het bestand "
			    "op als CSV in UTF-8",
			    q[bad]);
			rc = -1;
		}
	}
	return rc;
}

int
roster_parse(const char *buf, size_t len, struct roster **out)
{
	struct roster       *ros = xmalloc(sizeof(*ros));
	const unsigned char *p = (const unsigned char *)buf;

	memset(ros, 0, sizeof(*ros));
	*out = ros;
	if (len > ROSTER_MAX_BYTES) {
		add_error(ros, 0, "het bestand is groter dan %d MiB",
		          ROSTER_MAX_BYTES / (1024 * 1024));
		return -1;
	}
	if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	                 (p[0] == 0xFE && p[1] == 0xFF))) {
		add_error(ros, 1,
		          "het bestand is UTF-16; sla het op als CSV in UTF-8");
		return -1;
	}
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		len -= 3;
	}
	if (check_utf8_lines(ros, p, len) != 0)
		return -1;

	parse_text(ros, (const char *)p, len);

	if (ros->n_errors + ros->dropped > 0) {
		free(ros->rows);
		ros->rows = NULL;
		ros->n_rows = 0;
		return -1;
	}
	return 0;
}

/* Feeds the text to libcsv line by line; see the note at the top. */
static void
parse_text(struct roster *ros, const char *text, size_t len)
{
	struct roster_parse st;
	const char         *p = text, *end = text + len;
	size_t              hlen, hoff = first_line(text, len, &hlen);

	if (len == 0) {
		add_error(ros, 1,
		          "het bestand is leeg; de eerste regel moet "
		          "email,name,role,brin zijn");
		return;
	}
	memset(&st, 0, sizeof(st));
	st.ros = ros;
	st.delim = memchr(text + hoff, ';', hlen) != NULL ? ';' : ',';
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
				fprintf(stderr, "roster: libcsv: %s\n",
				        csv_strerror(csv_error(&st.csv)));
				abort();
			}
			add_error(
			    ros, st.line,
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
		add_error(ros, st.rec_line,
		          "aanhalingsteken wordt niet afgesloten");
	csv_free(&st.csv);

	if (!st.header_done && ros->n_errors + ros->dropped == 0)
		add_error(ros, 1,
		          "het bestand is leeg; de eerste regel moet "
		          "email,name,role,brin zijn");

	free(st.rec);
	free(st.fields);
	free(st.seen);
}

/* Starts libcsv afresh and forgets the record being read. */
static void
parser_restart(struct roster_parse *st)
{
	if (st->csv_ready)
		csv_free(&st->csv);
	if (csv_init(&st->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "roster: csv_init failed\n");
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
	struct roster_parse *st = data;

	if (st->stop)
		return;
	if (!st->in_record) {
		/* A record that began after a lone CR in the same line. */
		st->in_record = true;
		st->rec_line = st->line;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL)
		st->rec_nul = true;
	if (st->n_fields++ >= ROSTER_MAX_FIELDS)
		return;
	if (st->n_fields > st->fields_cap) {
		st->fields_cap = st->fields_cap == 0 ? 16 : st->fields_cap * 2;
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
	struct roster_parse *st = data;

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
header_record(struct roster_parse *st)
{
	char   missing[64] = "";
	size_t n_missing = 0;
	bool   dup[COL_COUNT] = {false};
	size_t kept =
	    st->n_fields < ROSTER_MAX_FIELDS ? st->n_fields : ROSTER_MAX_FIELDS;

	st->header_done = true;
	st->n_header = st->n_fields;
	for (int c = 0; c < COL_COUNT; c++)
		st->col[c] = -1;
	for (size_t i = 0; i < kept; i++) {
		const char *have = trim(st->rec + st->fields[i].off);

		for (int c = 0; c < COL_COUNT; c++) {
			if (strcasecmp(have, col_names[c]) != 0)
				continue;
			if (st->col[c] >= 0)
				dup[c] = true;
			else
				st->col[c] = (int)i;
		}
	}
	for (int c = 0; c < COL_COUNT; c++) {
		if (st->col[c] >= 0)
			continue;
		snprintf(missing + strlen(missing),
		         sizeof(missing) - strlen(missing), "%s%s",
		         n_missing > 0 ? ", " : "", col_names[c]);
		n_missing++;
	}
	if (n_missing > 0)
		add_error(st->ros, st->rec_line,
		          "de kopregel mist de kolom%s %s (verwacht: "
		          "email,name,role,brin)",
		          n_missing > 1 ? "men" : "", missing);
	for (int c = 0; c < COL_COUNT; c++)
		if (dup[c])
			add_error(st->ros, st->rec_line,
			          "de kolom %s staat meer dan eens in de "
			          "kopregel",
			          col_names[c]);
	if (st->ros->n_errors > 0)
		st->stop = true;
}

static void
data_record(struct roster_parse *st)
{
	struct roster     *ros = st->ros;
	unsigned           line = st->rec_line;
	char              *email, *name, *brin;
	const char        *role;
	bool               empty = true;
	struct roster_row *r;

	for (size_t i = 0; i < st->n_fields && i < ROSTER_MAX_FIELDS; i++)
		if (*trim(st->rec + st->fields[i].off) != '\0')
			empty = false;
	if (empty && !st->rec_nul)
		return; /* a blank record such as ",,," */
	if (++st->n_data > ROSTER_MAX_ROWS) {
		add_error(ros, line,
		          "het rooster heeft meer dan %d regels; splits het "
		          "bestand",
		          ROSTER_MAX_ROWS);
		st->stop = true;
		return;
	}
	if (st->rec_nul) {
		add_error(ros, line, "NUL-byte in de regel");
		return;
	}
	if (st->n_fields != st->n_header) {
		add_error(ros, line,
		          "%zu velden verwacht (zoals in de kopregel), %zu "
		          "gevonden",
		          st->n_header, st->n_fields);
		return;
	}
	email = field(st, COL_EMAIL);
	name = field(st, COL_NAME);
	brin = field(st, COL_BRIN);
	check_email(st, email);
	check_name(st, name);
	role = check_role(st, field(st, COL_ROLE));
	check_brin(st, brin);

	if (ros->n_errors + ros->dropped > 0)
		return; /* the roster is refused: keep no more rows */
	if (ros->n_rows == st->rows_cap) {
		st->rows_cap = st->rows_cap == 0 ? 256 : st->rows_cap * 2;
		ros->rows =
		    xrealloc(ros->rows, st->rows_cap * sizeof(*ros->rows));
	}
	r = &ros->rows[ros->n_rows++];
	r->line = line;
	r->email = pool_strdup(ros, email);
	r->name = pool_strdup(ros, name);
	r->role = role;
	memcpy(r->brin, brin, 7);
}

/* Lower-cases `email` in place and checks it, duplicates included. */
static void
check_email(struct roster_parse *st, char *email)
{
	char     shown[256];
	unsigned first;
	bool     ascii = true;

	for (char *s = email; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
		else if ((unsigned char)*s >= 0x80)
			ascii = false;
	}
	echo(shown, sizeof(shown), email);
	if (*email == '\0')
		add_error(st->ros, st->rec_line, "e-mailadres ontbreekt");
	else if (!ascii)
		add_error(st->ros, st->rec_line,
		          "e-mailadres \"%s\" bevat tekens buiten ASCII; die "
		          "worden niet ondersteund",
		          shown);
	else if (!validate_email(email))
		add_error(st->ros, st->rec_line, "ongeldig e-mailadres \"%s\"",
		          shown);
	else if (!seen_add(st, email, st->rec_line, &first))
		add_error(st->ros, st->rec_line,
		          "e-mailadres %s staat ook op regel %u", shown, first);
}

/*
 * Not empty, at most ROSTER_NAME_MAX characters, no C0 or C1 control
 * characters and no DEL.  The text is valid UTF-8.
 */
static void
check_name(struct roster_parse *st, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t               chars = 0;

	if (*name == '\0') {
		add_error(st->ros, st->rec_line, "naam ontbreekt");
		return;
	}
	for (; *p != '\0'; p++) {
		/* Bytes from 0x80 on are parts of characters from U+0080 on,
		 * and only C2 80 to C2 9F (U+0080-U+009F) are controls. */
		unsigned cp = *p < 0x80 ? *p : 0x100;

		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			cp = p[1];
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			add_error(st->ros, st->rec_line,
			          "naam bevat een stuurteken (U+%04X)", cp);
			return;
		}
		chars += (*p & 0xC0) != 0x80;
	}
	if (chars > ROSTER_NAME_MAX)
		add_error(st->ros, st->rec_line,
		          "naam is langer dan %d tekens (%zu)", ROSTER_NAME_MAX,
		          chars);
}

/* "teacher" or "ib" in any case; NULL after an error. */
static const char *
check_role(struct roster_parse *st, const char *role)
{
	char shown[256];

	if (strcasecmp(role, "teacher") == 0)
		return "teacher";
	if (strcasecmp(role, "ib") == 0)
		return "ib";
	if (*role == '\0') {
		add_error(st->ros, st->rec_line,
		          "rol ontbreekt (teacher of ib)");
		return NULL;
	}
	echo(shown, sizeof(shown), role);
	add_error(st->ros, st->rec_line,
	          "onbekende rol \"%s\" (gebruik teacher of ib)", shown);
	return NULL;
}

/* Upper-cases `brin` in place and checks its form. */
static void
check_brin(struct roster_parse *st, char *brin)
{
	char shown[256];

	for (char *s = brin; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
	if (*brin == '\0') {
		add_error(st->ros, st->rec_line, "BRIN-code ontbreekt");
		return;
	}
	if (valid_brin(brin))
		return;
	echo(shown, sizeof(shown), brin);
	add_error(st->ros, st->rec_line,
	          "ongeldige BRIN-code \"%s\" (verwacht 4 cijfers of "
	          "hoofdletters en 2 cijfers, zoals 32JK00)",
	          shown);
}

/* The trimmed value of column c in the current record. */
static char *
field(struct roster_parse *st, enum roster_col c)
{
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
valid_brin(const char *s)
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
 * A bad value to quote in a message: at most ROSTER_ECHO_MAX characters,
 * control characters as '?', a trailing "..." when cut.  The text is valid
 * UTF-8.
 */
static void
echo(char *dst, size_t dstsz, const char *s)
{
	size_t o = 0, chars = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80 && chars++ == ROSTER_ECHO_MAX) {
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
 * Records `email` as seen on `line`.  Returns false, with the earlier line
 * in *first, when it was seen before.
 */
static bool
seen_add(struct roster_parse *st, const char *email, unsigned line,
         unsigned *first)
{
	uint32_t h = 2166136261u;
	size_t   i;

	if ((st->n_seen + 1) * 2 > st->seen_cap) {
		size_t              old_cap = st->seen_cap;
		struct roster_seen *old = st->seen;

		st->seen_cap = old_cap == 0 ? 1024 : old_cap * 2;
		st->seen = xcalloc(st->seen_cap, sizeof(*st->seen));
		for (size_t k = 0; k < old_cap; k++) {
			if (old[k].email == NULL)
				continue;
			for (i = old[k].hash & (st->seen_cap - 1);
			     st->seen[i].email != NULL;
			     i = (i + 1) & (st->seen_cap - 1))
				;
			st->seen[i] = old[k];
		}
		free(old);
	}
	for (const char *s = email; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (i = h & (st->seen_cap - 1); st->seen[i].email != NULL;
	     i = (i + 1) & (st->seen_cap - 1)) {
		if (st->seen[i].hash == h &&
		    strcmp(st->seen[i].email, email) == 0) {
			*first = st->seen[i].line;
			return false;
		}
	}
	st->seen[i].email = pool_strdup(st->ros, email);
	st->seen[i].hash = h;
	st->seen[i].line = line;
	st->n_seen++;
	return true;
}

void
roster_free(struct roster *r)
{
	struct roster_block *b, *next;

	if (r == NULL)
		return;
	for (b = r->pool; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(r->rows);
	free(r->errors);
	free(r);
}
