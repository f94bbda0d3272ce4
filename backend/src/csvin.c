/* CSV input: UTF-8 checks, a line-counting libcsv reader, a duplicate set. */

/*
 * How the reader works.  libcsv hands over fields and record ends but not
 * where they were in the text, so the text is fed one physical line at a
 * time and the reader counts lines itself: a record starts on the first
 * line that is not blank after the previous record ended.  A blank line
 * outside a record is not fed at all: libcsv would make no record of it, and
 * the reader would take its line as the start of the next record.
 *
 * Field values are gathered, NUL-terminated, in one growing buffer with their
 * offsets (the buffer moves when it grows); the field pointers are set just
 * before the record callback runs.
 */
#include "csvin.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csvin_set_slot {
	const char *key; /* in set->keys; NULL marks a free slot */
	uint32_t    hash;
	unsigned    line;
};

/* State of one csvin_read call. */
struct csvin_state {
	const struct csvin_reader *r;
	struct csv_parser          csv;
	bool                       csv_ready; /* csv holds memory to free */
	bool                       stop;
	unsigned                   line; /* physical line being fed */
	size_t                     n_records;
	struct csvin_record        rec;
	bool                       in_record;
	char                      *buf; /* field values, NUL after each */
	size_t                     buf_len, buf_cap;
	size_t                    *off; /* kept fields' offsets in buf */
	size_t                     off_cap;
};

static void   oom(size_t n) __attribute__((noreturn));
static bool   blank(const char *p, size_t n);
static void   reader_restart(struct csvin_state *st);
static void   on_field(void *s, size_t len, void *data);
static void   on_record(int c, void *data);
static void   record_reset(struct csvin_state *st);
static size_t set_slot(const struct csvin_set *set, const char *key,
                       uint32_t hash);

static void
oom(size_t n)
{
	fprintf(stderr, "csvin: out of memory (%zu bytes)\n", n);
	abort();
}

void *
csvin_xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		oom(n);
	return p;
}

void *
csvin_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL)
		oom(n);
	return q;
}

enum csvin_bom
csvin_bom(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;

	if (len >= 2 &&
	    ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return CSVIN_BOM_UTF16;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return CSVIN_BOM_UTF8;
	return CSVIN_BOM_NONE;
}

size_t
csvin_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               i = 0;

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

int
csvin_utf8_check_lines(const char *p, size_t len,
                       void (*bad)(unsigned line, unsigned char byte,
                                   void *data),
                       void *data)
{
	unsigned line = 0;
	int      rc = 0;

	for (size_t pos = 0, n; pos < len; pos += n) {
		size_t at;

		n = csvin_line_len(p + pos, len - pos);
		line++;
		at = csvin_utf8_invalid_at(p + pos, n);
		if (at < n) {
			bad(line, (unsigned char)p[pos + at], data);
			rc = -1;
		}
	}
	return rc;
}

size_t
csvin_line_len(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] != '\n' && p[i] != '\r')
		i++;
	if (i < len && p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
		i++;
	return i < len ? i + 1 : len;
}

unsigned char
csvin_delim(const char *text, size_t len, unsigned char fallback)
{
	for (size_t off = 0, n; off < len; off += n) {
		n = csvin_line_len(text + off, len - off);
		if (blank(text + off, n))
			continue;
		if (memchr(text + off, ';', n) != NULL)
			return ';';
		if (memchr(text + off, ',', n) != NULL)
			return ',';
		break;
	}
	return fallback;
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

int
csvin_read(const struct csvin_reader *r, const char *text, size_t len)
{
	struct csvin_state st;
	const char        *p = text, *end = text + len;

	memset(&st, 0, sizeof(st));
	st.r = r;
	reader_restart(&st);

	while (p < end && !st.stop) {
		size_t n = csvin_line_len(p, (size_t)(end - p));

		st.line++;
		if (!st.in_record) {
			if (blank(p, n)) {
				p += n; /* libcsv would skip it too */
				continue;
			}
			st.in_record = true;
			st.rec.line = st.line;
		}
		if (csv_parse(&st.csv, p, n, on_field, on_record, &st) != n) {
			if (csv_error(&st.csv) != CSV_EPARSE) {
				fprintf(stderr, "csvin: libcsv: %s\n",
				        csv_strerror(csv_error(&st.csv)));
				abort();
			}
			r->error(
			    st.line,
			    "aanhalingsteken op een onverwachte plaats (een "
			    "veld met \" erin moet tussen aanhalingstekens "
			    "staan, met \"\" voor elke \")",
			    r->data);
			if (st.n_records == 0)
				st.stop = true;
			reader_restart(&st);
		}
		p += n;
	}
	if (!st.stop && csv_fini(&st.csv, on_field, on_record, &st) != 0)
		r->error(st.rec.line, "aanhalingsteken wordt niet afgesloten",
		         r->data);
	csv_free(&st.csv);
	free(st.buf);
	free(st.off);
	free(st.rec.field);
	return st.stop ? -1 : 0;
}

/* Starts libcsv afresh and forgets the record being read. */
static void
reader_restart(struct csvin_state *st)
{
	if (st->csv_ready)
		csv_free(&st->csv);
	if (csv_init(&st->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "csvin: csv_init failed\n");
		abort();
	}
	st->csv_ready = true;
	csv_set_delim(&st->csv, st->r->delim);
	record_reset(st);
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csvin_state *st = data;

	if (st->stop)
		return;
	if (!st->in_record) {
		/* A record that began after a lone CR in the same line. */
		st->in_record = true;
		st->rec.line = st->line;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL)
		st->rec.has_nul = true;
	if (st->rec.n_fields++ >= st->r->max_fields)
		return;
	if (st->rec.n_fields > st->off_cap) {
		st->off_cap = st->off_cap == 0 ? 16 : st->off_cap * 2;
		st->off =
		    csvin_xrealloc(st->off, st->off_cap * sizeof(*st->off));
		st->rec.field = csvin_xrealloc(
		    st->rec.field, st->off_cap * sizeof(*st->rec.field));
	}
	if (st->buf_len + len + 1 > st->buf_cap) {
		st->buf_cap = (st->buf_len + len + 1) * 2;
		st->buf = csvin_xrealloc(st->buf, st->buf_cap);
	}
	if (len > 0)
		memcpy(st->buf + st->buf_len, s, len);
	st->buf[st->buf_len + len] = '\0';
	st->off[st->rec.n_fields - 1] = st->buf_len;
	st->buf_len += len + 1;
}

static void
on_record(int c, void *data)
{
	struct csvin_state *st = data;

	(void)c;
	if (st->stop)
		return;
	st->rec.n_kept = st->rec.n_fields < st->r->max_fields
	                     ? st->rec.n_fields
	                     : st->r->max_fields;
	for (size_t i = 0; i < st->rec.n_kept; i++)
		st->rec.field[i] = st->buf + st->off[i];
	st->n_records++;
	if (st->r->record(&st->rec, st->r->data) != 0)
		st->stop = true;
	record_reset(st);
}

static void
record_reset(struct csvin_state *st)
{
	st->buf_len = 0;
	st->rec.n_fields = 0;
	st->rec.n_kept = 0;
	st->rec.has_nul = false;
	st->in_record = false;
}

bool
csvin_record_empty(const struct csvin_record *rec)
{
	if (rec->has_nul)
		return false;
	for (size_t i = 0; i < rec->n_kept; i++)
		if (rec->field[i][strspn(rec->field[i], " \t")] != '\0')
			return false;
	return true;
}

char *
csvin_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

void
csvin_echo(char *dst, size_t dstsz, const char *s)
{
	size_t o = 0, chars = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80 && chars++ == CSVIN_ECHO_MAX) {
			if (o + 4 < dstsz) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		/* Stop before a character that would not fit whole: a cut one
		 * would make the message invalid UTF-8. */
		if ((c & 0xC0) != 0x80) {
			size_t need = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

			if (o + need + 4 >= dstsz)
				break;
		}
		dst[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	dst[o] = '\0';
}

bool
csvin_set_add(struct csvin_set *set, const char *key, unsigned line,
              unsigned *first)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t   i;

	for (const char *s = key; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	if (set->cap == 0)
		arena_init(&set->keys, 64 * 1024);
	if ((set->n + 1) * 2 > set->cap) {
		struct csvin_set_slot *old = set->slots;
		size_t                 old_cap = set->cap;

		set->cap = old_cap == 0 ? 1024 : old_cap * 2;
		set->slots = csvin_xmalloc(set->cap * sizeof(*set->slots));
		memset(set->slots, 0, set->cap * sizeof(*set->slots));
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].key != NULL)
				set->slots[set_slot(set, old[k].key,
				                    old[k].hash)] = old[k];
		free(old);
	}
	i = set_slot(set, key, h);
	if (set->slots[i].key != NULL) {
		*first = set->slots[i].line;
		return false;
	}
	set->slots[i].key = arena_strdup(&set->keys, key);
	set->slots[i].hash = h;
	set->slots[i].line = line;
	set->n++;
	return true;
}

/* The slot that holds `key`, or the free slot where it belongs. */
static size_t
set_slot(const struct csvin_set *set, const char *key, uint32_t hash)
{
	size_t i = hash & (set->cap - 1);

	while (
	    set->slots[i].key != NULL &&
	    (set->slots[i].hash != hash || strcmp(set->slots[i].key, key) != 0))
		i = (i + 1) & (set->cap - 1);
	return i;
}

void
csvin_set_free(struct csvin_set *set)
{
	if (set->cap != 0)
		arena_destroy(&set->keys);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
