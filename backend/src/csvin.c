/* CSV input: UTF-8 checks, a line-counting libcsv reader, a duplicate set,
 * and the import skeleton every CSV upload goes through. */

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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

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
		at = utf8_invalid_at(p + pos, n);
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
			size_t need = c < 0x80   ? 1
			              : c < 0xE0 ? 2
			              : c < 0xF0 ? 3
			                         : 4;

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

void *
csvin_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap == 0 ? 256 : *cap * 2;
	return csvin_xrealloc(arr, *cap * size);
}

/* ---- The import skeleton ---- */

static void import_bad_utf8(unsigned line, unsigned char byte, void *data);
static void import_text(struct csvin_import *imp, const char *text, size_t len);
static int  import_record(struct csvin_record *rec, void *data);
static void import_csv_error(unsigned line, const char *message, void *data);
static void import_header(struct csvin_import *imp, struct csvin_record *rec);
static void header_norm(const char *in, char *out, size_t outsz);

void
csvin_error(struct csvin_import *imp, unsigned line, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	errlist_add(imp->errs, NULL, line, 0, "%s", msg);
}

int
csvin_import(struct csvin_import *imp, const char *buf, size_t len,
             struct errlist *errs)
{
	const char *p = buf;
	char       *converted = NULL;

	imp->errs = errs;
	if (len > imp->max_bytes) {
		csvin_error(imp, 0, "het bestand is groter dan %zu MiB",
		            imp->max_bytes / (1024 * 1024));
		return -1;
	}
	switch (csvin_bom(p, len)) {
	case CSVIN_BOM_UTF16:
		csvin_error(imp, 1,
		            "het bestand is UTF-16; sla het op als CSV in %s",
		            imp->encodings);
		return -1;
	case CSVIN_BOM_UTF8:
		imp->bom = true;
		p += CSVIN_UTF8_BOM_LEN;
		len -= CSVIN_UTF8_BOM_LEN;
		break;
	case CSVIN_BOM_NONE:
		break;
	}
	if (!imp->bom && imp->decode != NULL &&
	    utf8_invalid_at(p, len) != len) {
		/* Taken for the other encoding, also when it fails. */
		imp->decoded = true;
		converted = imp->decode(imp, p, len, &len);
		if (converted == NULL)
			return -1;
		p = converted;
	} else if (csvin_utf8_check_lines(p, len, import_bad_utf8, imp) != 0) {
		return -1;
	}
	import_text(imp, p, len);
	free(converted);
	return errlist_total(errs) > 0 ? -1 : 0;
}

static void
import_bad_utf8(unsigned line, unsigned char byte, void *data)
{
	struct csvin_import *imp = data;

	csvin_error(imp, line, "ongeldige UTF-8 (byte 0x%02X)%s", byte,
	            imp->bad_utf8_hint);
}

/* Reads the UTF-8 text record by record. */
static void
import_text(struct csvin_import *imp, const char *text, size_t len)
{
	struct csvin_reader r = {
	    .delim = csvin_delim(text, len, imp->delim),
	    .max_fields = imp->max_fields,
	    .record = import_record,
	    .error = import_csv_error,
	    .data = imp,
	};

	if (len == 0) {
		csvin_error(imp, 1, "%s", imp->empty_message);
		return;
	}
	csvin_read(&r, text, len);
	if (errlist_total(imp->errs) > 0)
		return;
	if (!imp->header_done)
		csvin_error(imp, 1, "%s", imp->empty_message);
	else if (!imp->stop && imp->n_data == 0 && imp->no_rows != NULL)
		csvin_error(imp, imp->header_line, "%s", imp->no_rows);
}

static int
import_record(struct csvin_record *rec, void *data)
{
	struct csvin_import *imp = data;

	if (!imp->header_done) {
		import_header(imp, rec);
		return imp->stop ? -1 : 0;
	}
	if (csvin_record_empty(rec))
		return 0; /* a blank record such as ";;;" */
	if (++imp->n_data > imp->max_rows && imp->max_rows > 0) {
		csvin_error(imp, rec->line, "%s", imp->too_many_rows);
		imp->stop = true;
	} else if (rec->has_nul) {
		csvin_error(imp, rec->line, "NUL-byte in de regel");
	} else if (rec->n_fields != imp->n_header) {
		csvin_error(imp, rec->line,
		            "%zu velden verwacht (zoals in de kopregel), %zu "
		            "gevonden",
		            imp->n_header, rec->n_fields);
	} else {
		imp->row(imp, rec);
	}
	return imp->stop ? -1 : 0;
}

static void
import_csv_error(unsigned line, const char *message, void *data)
{
	csvin_error(data, line, "%s", message);
}

static void
import_header(struct csvin_import *imp, struct csvin_record *rec)
{
	char   missing_list[256] = "";
	size_t n_missing = 0;
	bool   missing[CSVIN_COLUMNS_MAX] = {false};
	bool   dup[CSVIN_COLUMNS_MAX] = {false};

	imp->header_done = true;
	imp->header_line = rec->line;
	imp->n_header = rec->n_fields;
	for (size_t c = 0; c < imp->n_cols; c++)
		imp->col[c] = -1;
	for (size_t i = 0; i < rec->n_kept; i++) {
		char have[128], want[128];

		header_norm(rec->field[i], have, sizeof(have));
		for (size_t c = 0; c < imp->n_cols; c++) {
			const char *const *names = imp->cols[c].names;

			for (int a = 0; a < 4 && names[a] != NULL; a++) {
				header_norm(names[a], want, sizeof(want));
				if (strcmp(have, want) != 0)
					continue;
				if (imp->col[c] >= 0)
					dup[c] = true;
				else
					imp->col[c] = (int)i;
			}
		}
	}
	for (size_t c = 0; c < imp->n_cols; c++)
		missing[c] = imp->col[c] < 0 && !imp->cols[c].optional;
	if (imp->header != NULL)
		imp->header(imp, missing, dup);

	for (size_t c = 0; c < imp->n_cols; c++) {
		const struct csvin_column *col = &imp->cols[c];

		if (!missing[c])
			continue;
		snprintf(missing_list + strlen(missing_list),
		         sizeof(missing_list) - strlen(missing_list), "%s%s",
		         n_missing > 0 ? ", " : "",
		         col->missing_as != NULL ? col->missing_as
		                                 : col->names[0]);
		n_missing++;
	}
	if (n_missing > 0)
		csvin_error(imp, rec->line, "de kopregel mist de kolom%s %s%s",
		            n_missing > 1 ? "men" : "", missing_list,
		            imp->columns_hint);
	for (size_t c = 0; c < imp->n_cols; c++)
		if (dup[c])
			csvin_error(imp, rec->line,
			            "de kolom %s staat meer dan eens in de "
			            "kopregel",
			            imp->cols[c].names[0]);
	if (errlist_total(imp->errs) > 0)
		imp->stop = true;
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

char *
csvin_field(const struct csvin_import *imp, struct csvin_record *rec, size_t c)
{
	static char none[1];

	if (imp->col[c] < 0)
		return none;
	return csvin_trim(rec->field[imp->col[c]]);
}
