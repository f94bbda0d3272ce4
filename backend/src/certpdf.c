/* Certificate PDF: one A4 landscape page with a QR code for verification. */

/*
 * Text is set in the standard Helvetica fonts with WinAnsiEncoding, so no
 * font has to be embedded and the PDF stays small; the price is that the
 * UTF-8 input is converted to Windows-1252 here.  Decomposed accents
 * (e + U+0308) are composed first, because some phones send names that way
 * and "Zoe?" on a certificate would be wrong.
 *
 * The fields that vary in length are laid out in fixed boxes: a field first
 * shrinks on one line, then wraps, and at the smallest size it is cut with
 * an ellipsis.  Nothing can therefore run off the page or into the next
 * block, whatever the input length.
 *
 * libhpdf reports errors through a handler that only records the first one;
 * the drawing code checks that record after each stage, so a failure in the
 * library becomes a -1 for the caller instead of an abort.
 */
#include "certpdf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#include "log.h"

/* A4 landscape, in points. */
#define PAGE_W 841.89f
#define PAGE_H 595.28f

#define QR_QUIET        4     /* white modules around the symbol (ISO 18004) */
#define BLOCK_LINES_MAX 32    /* more than any box on the page can hold */
#define LEADING         1.2f  /* line distance as a multiple of the size */
#define CAP_HEIGHT      0.72f /* Helvetica cap height, in em */
#define DATE_MAX        32    /* "30 september 2026" and then some */

enum align {
	ALIGN_LEFT,
	ALIGN_CENTER,
	ALIGN_RIGHT,
};

struct rgb {
	float r, g, b;
};

struct box {
	float x, y, w, h; /* y is the bottom edge */
};

/* A font and the advance of each byte, in 1/1000 em, for fast measuring. */
struct face {
	HPDF_Font    font;
	unsigned int width[256];
};

struct line {
	size_t off, len;
};

/* The result of fitting one field into a box. */
struct block {
	float       size;
	size_t      nlines;
	struct line lines[BLOCK_LINES_MAX];
	bool        cut;                        /* last line is in tail */
	char        tail[CERTPDF_FIELD_MAX + 2]; /* room for the ellipsis */
};

struct stamp {
	int  year, month, day, hour, min, sec;
	char ind; /* 'Z', '+' or '-' */
	int  off_hour, off_min;
};

/* The input, checked and converted to Windows-1252. */
struct fields {
	char         name[CERTPDF_FIELD_MAX + 1];
	char         title[CERTPDF_FIELD_MAX + 1];
	char         code[CERTPDF_FIELD_MAX + 1];
	char         url[CERTPDF_FIELD_MAX + 1];
	char         issued[DATE_MAX];
	char         expires[DATE_MAX];
	struct stamp issued_at;
};

struct doc {
	HPDF_Doc    pdf;
	HPDF_Page   page;
	struct face regular;
	struct face bold;
	HPDF_STATUS error; /* first error libhpdf reported, HPDF_OK if none */
	HPDF_STATUS detail;
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                     void *user_data);
static int  utf8_next(const unsigned char **pp, uint32_t *cp);
static int  to_cp1252(const char *in, char *out, size_t outlen);
static int  digits(const char *s, int n, int *v);
static int  parse_stamp(const char *s, struct stamp *t);
static int  load_text(const char *in, char *out, size_t outlen);
static int  load_fields(const struct certpdf *c, struct fields *f);
static int  face_load(struct doc *d, struct face *f, const char *name);
static float text_width(const struct face *f, float size, const char *s,
                        size_t n);
static size_t wrap(const struct face *f, const char *s, size_t n, float size,
                   float maxw, struct line *lines, size_t max);
static void fit(const struct face *f, const char *s, const struct box *bx,
                float max_size, float single_min, float min_size,
                struct block *b);
static void draw_line(struct doc *d, const struct face *f, float size,
                      float x, float y, enum align al, const char *s,
                      size_t n);
static void draw_text(struct doc *d, const struct face *f, float size,
                      float x, float y, enum align al, const char *s);
static void draw_block(struct doc *d, const struct face *f, const char *s,
                       const struct block *b, const struct box *bx,
                       enum align al, bool top);
static void draw_field(struct doc *d, const struct face *f, const char *s,
                       const struct box *bx, enum align al, bool top,
                       float max_size, float single_min, float min_size);
static void draw_qr(struct doc *d, const QRcode *qr, float x, float y,
                    float size);
static int  draw_page(struct doc *d, const struct fields *f,
                      const QRcode *qr);
static int  set_info(struct doc *d, const struct fields *f);
static int  save(struct doc *d, unsigned char **out, size_t *out_len);

static const char *const month_names[12] = {
	"januari", "februari", "maart",     "april",   "mei",      "juni",
	"juli",    "augustus", "september", "oktober", "november", "december",
};

/* The code points Windows-1252 puts in 0x80-0x9F, where Latin-1 has none. */
static const struct {
	uint16_t      cp;
	unsigned char byte;
} cp1252_extra[] = {
	{ 0x20AC, 0x80 }, { 0x201A, 0x82 }, { 0x0192, 0x83 }, { 0x201E, 0x84 },
	{ 0x2026, 0x85 }, { 0x2020, 0x86 }, { 0x2021, 0x87 }, { 0x02C6, 0x88 },
	{ 0x2030, 0x89 }, { 0x0160, 0x8A }, { 0x2039, 0x8B }, { 0x0152, 0x8C },
	{ 0x017D, 0x8E }, { 0x2018, 0x91 }, { 0x2019, 0x92 }, { 0x201C, 0x93 },
	{ 0x201D, 0x94 }, { 0x2022, 0x95 }, { 0x2013, 0x96 }, { 0x2014, 0x97 },
	{ 0x02DC, 0x98 }, { 0x2122, 0x99 }, { 0x0161, 0x9A }, { 0x203A, 0x9B },
	{ 0x0153, 0x9C }, { 0x017E, 0x9E }, { 0x0178, 0x9F },
};

/*
 * Combining mark after an ASCII letter -> the precomposed Windows-1252
 * letter.  base[i] composes to composed[i]; both strings have equal length.
 */
static const struct {
	uint16_t    mark;
	const char *base;
	const char *composed;
} cp1252_compose[] = {
	{ 0x0300, "AEIOUaeiou", "\xC0\xC8\xCC\xD2\xD9\xE0\xE8\xEC\xF2\xF9" },
	{ 0x0301, "AEIOUYaeiouy",
	  "\xC1\xC9\xCD\xD3\xDA\xDD\xE1\xE9\xED\xF3\xFA\xFD" },
	{ 0x0302, "AEIOUaeiou", "\xC2\xCA\xCE\xD4\xDB\xE2\xEA\xEE\xF4\xFB" },
	{ 0x0303, "ANOano", "\xC3\xD1\xD5\xE3\xF1\xF5" },
	{ 0x0308, "AEIOUYaeiouy",
	  "\xC4\xCB\xCF\xD6\xDC\x9F\xE4\xEB\xEF\xF6\xFC\xFF" },
	{ 0x030A, "Aa", "\xC5\xE5" },
	{ 0x030C, "SZsz", "\x8A\x8E\x9A\x9E" },
	{ 0x0327, "Cc", "\xC7\xE7" },
};

/* Dark teal for frame and heading, near black for the name and dates, grey
 * for the running text, a muted gold for the rules. */
static const struct rgb col_ink = { 0.09f, 0.27f, 0.36f };
static const struct rgb col_text = { 0.12f, 0.12f, 0.12f };
static const struct rgb col_muted = { 0.36f, 0.36f, 0.36f };
static const struct rgb col_accent = { 0.78f, 0.60f, 0.24f };

static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct doc *d = user_data;

	if (d->error == HPDF_OK) {
		d->error = error_no;
		d->detail = detail_no;
	}
}

/*
 * Decodes one code point and advances *pp.  Rejects overlong forms,
 * surrogates and values above U+10FFFF.  Never reads past a NUL, because a
 * NUL is not a continuation byte.
 */
static int
utf8_next(const unsigned char **pp, uint32_t *cp)
{
	const unsigned char *p = *pp;
	uint32_t             c = p[0], min;
	int                  n, i;

	if (c < 0x80) {
		*cp = c;
		*pp = p + 1;
		return 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		c &= 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	*pp = p + n + 1;
	return 0;
}

/*
 * Converts NUL-terminated UTF-8 to Windows-1252.  The output is never longer
 * than the input, so outlen > strlen(in) is enough.  Returns -1 on invalid
 * UTF-8 or when out is too small.
 */
static int
to_cp1252(const char *in, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t               n = 0, i, k;
	bool                 composable = false; /* out[n - 1]: bare letter */
	uint32_t             cp;
	int                  byte;

	if (strlen(in) >= outlen)
		return -1;
	while (*p != '\0') {
		if (utf8_next(&p, &cp) == -1)
			return -1;
		if (cp >= 0x0300 && cp <= 0x036F && composable) {
			for (i = 0; i < sizeof(cp1252_compose) /
			                    sizeof(cp1252_compose[0]);
			     i++) {
				const char *b = cp1252_compose[i].base;
				const char *hit;

				if (cp1252_compose[i].mark != cp)
					continue;
				hit = strchr(b, out[n - 1]);
				if (hit != NULL) {
					k = (size_t)(hit - b);
					out[n - 1] =
					        cp1252_compose[i].composed[k];
					composable = false;
				}
				break;
			}
			if (!composable)
				continue;
		}
		composable = false;
		if (cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) ||
		    cp == 0x2060 || cp == 0xFEFF)
			continue; /* invisible: printing '?' would add noise */
		if (cp < 0x20 || cp == 0x7F) {
			byte = ' ';
		} else if (cp < 0x80) {
			byte = (int)cp;
			composable = (cp >= 'A' && cp <= 'Z') ||
			             (cp >= 'a' && cp <= 'z');
		} else if (cp >= 0xA0 && cp <= 0xFF) {
			byte = (int)cp;
		} else {
			byte = '?';
			for (i = 0; i < sizeof(cp1252_extra) /
			                    sizeof(cp1252_extra[0]);
			     i++) {
				if (cp1252_extra[i].cp == cp) {
					byte = cp1252_extra[i].byte;
					break;
				}
			}
		}
		out[n++] = (char)byte;
	}
	out[n] = '\0';
	return 0;
}

/* Reads exactly n decimal digits; stops at the first non-digit, even NUL. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * Parses an RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
 * A space instead of the T is accepted, as RFC 3339 section 5.6 allows.
 */
static int
parse_stamp(const char *s, struct stamp *t)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
		                       31, 31, 30, 31, 30, 31 };
	const char      *p;
	int              dim;
	bool             leap;

	if (s == NULL)
		return -1;
	if (digits(s, 4, &t->year) == -1 || s[4] != '-' ||
	    digits(s + 5, 2, &t->month) == -1 || s[7] != '-' ||
	    digits(s + 8, 2, &t->day) == -1 ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &t->hour) == -1 || s[13] != ':' ||
	    digits(s + 14, 2, &t->min) == -1 || s[16] != ':' ||
	    digits(s + 17, 2, &t->sec) == -1)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	t->off_hour = 0;
	t->off_min = 0;
	if (*p == 'Z' || *p == 'z') {
		t->ind = 'Z';
		p++;
	} else if (*p == '+' || *p == '-') {
		t->ind = *p;
		if (digits(p + 1, 2, &t->off_hour) == -1 || p[3] != ':' ||
		    digits(p + 4, 2, &t->off_min) == -1 || t->off_hour > 23 ||
		    t->off_min > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (t->month < 1 || t->month > 12 || t->hour > 23 || t->min > 59 ||
	    t->sec > 60)
		return -1;
	leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
	dim = mdays[t->month - 1] + (t->month == 2 && leap);
	if (t->day < 1 || t->day > dim)
		return -1;
	return 0;
}

int
certpdf_format_date(const char *rfc3339, char *buf, size_t len)
{
	struct stamp t;
	int          n;

	if (buf == NULL || len == 0)
		return -1;
	buf[0] = '\0';
	if (parse_stamp(rfc3339, &t) == -1)
		return -1;
	n = snprintf(buf, len, "%d %s %d", t.day, month_names[t.month - 1],
	             t.year);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * Checks one text field and converts it.  A field that prints as nothing
 * but blanks is refused like an empty one: the layout needs a line.
 */
static int
load_text(const char *in, char *out, size_t outlen)
{
	if (in == NULL ||
	    strnlen(in, CERTPDF_FIELD_MAX + 1) > CERTPDF_FIELD_MAX)
		return -1;
	if (to_cp1252(in, out, outlen) == -1)
		return -1;
	if (out[strspn(out, " ")] == '\0')
		return -1;
	return 0;
}

static int
load_fields(const struct certpdf *c, struct fields *f)
{
	struct stamp expires;

	if (load_text(c->holder_name, f->name, sizeof(f->name)) == -1 ||
	    load_text(c->module_title, f->title, sizeof(f->title)) == -1 ||
	    load_text(c->code, f->code, sizeof(f->code)) == -1 ||
	    load_text(c->verify_url, f->url, sizeof(f->url)) == -1)
		return -1;
	if (parse_stamp(c->issued_at, &f->issued_at) == -1 ||
	    parse_stamp(c->expires_at, &expires) == -1)
		return -1;
	if (certpdf_format_date(c->issued_at, f->issued, sizeof(f->issued)) ==
	        -1 ||
	    certpdf_format_date(c->expires_at, f->expires,
	                        sizeof(f->expires)) == -1)
		return -1;
	return 0;
}

static int
face_load(struct doc *d, struct face *f, const char *name)
{
	HPDF_BYTE      ch;
	HPDF_TextWidth tw;
	int            i;

	f->font = HPDF_GetFont(d->pdf, name, "WinAnsiEncoding");
	if (f->font == NULL)
		return -1;
	f->width[0] = 0;
	for (i = 1; i < 256; i++) {
		ch = (HPDF_BYTE)i;
		tw = HPDF_Font_TextWidth(f->font, &ch, 1);
		f->width[i] = tw.width;
	}
	return d->error == HPDF_OK ? 0 : -1;
}

static float
text_width(const struct face *f, float size, const char *s, size_t n)
{
	unsigned long w = 0;
	size_t        i;

	for (i = 0; i < n; i++)
		w += f->width[(unsigned char)s[i]];
	return (float)w * size / 1000.0f;
}

/*
 * Greedy line breaking at spaces and after '-' and '/', so that double
 * surnames and URLs break where a reader expects.  A word wider than the
 * box is broken between characters.  Stores at most max lines but returns
 * how many the text needs.
 */
static size_t
wrap(const struct face *f, const char *s, size_t n, float size, float maxw,
     struct line *lines, size_t max)
{
	float  limit = maxw * 1000.0f / size; /* in the units of f->width */
	size_t i = 0, count = 0, start, end, brk, e;
	float  w;

	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		start = end = brk = i;
		w = 0;
		while (end < n) {
			float cw = (float)f->width[(unsigned char)s[end]];

			if (w + cw > limit)
				break;
			w += cw;
			end++;
			if (end < n && (s[end] == ' ' || s[end - 1] == '-' ||
			                s[end - 1] == '/'))
				brk = end;
		}
		if (end < n) {
			if (brk > start)
				end = brk;
			else if (end == start)
				end = start + 1; /* glyph wider than box */
		}
		e = end;
		while (e > start && s[e - 1] == ' ')
			e--;
		if (count < max) {
			lines[count].off = start;
			lines[count].len = e - start;
		}
		count++;
		i = end;
	}
	return count;
}

/*
 * Chooses a size and line breaks for s in bx: one line at the largest size
 * down to single_min, else wrapped at the largest size down to min_size
 * that fits the height, else min_size cut with an ellipsis.
 */
static void
fit(const struct face *f, const char *s, const struct box *bx,
    float max_size, float single_min, float min_size, struct block *b)
{
	size_t n = strlen(s), need, room, k;
	float  size, limit;
	int    pass;

	b->cut = false;
	for (pass = 0; pass < 2; pass++) {
		float floor_size = pass == 0 ? single_min : min_size;

		for (size = max_size; size >= floor_size; size -= 0.5f) {
			need = wrap(f, s, n, size, bx->w, b->lines,
			            BLOCK_LINES_MAX);
			room = 1 + (size_t)((bx->h - size) / (size * LEADING));
			if (room > BLOCK_LINES_MAX)
				room = BLOCK_LINES_MAX;
			if (pass == 0 ? need <= 1 : need <= room) {
				b->size = size;
				b->nlines = need;
				return;
			}
		}
	}

	/* Too long even at min_size: keep what fits and mark the cut. */
	b->size = min_size;
	need = wrap(f, s, n, min_size, bx->w, b->lines, BLOCK_LINES_MAX);
	room = 1 + (size_t)((bx->h - min_size) / (min_size * LEADING));
	if (room > BLOCK_LINES_MAX)
		room = BLOCK_LINES_MAX;
	b->nlines = need < room ? need : room;
	if (need <= room)
		return;
	limit = bx->w - text_width(f, min_size, "\x85", 1);
	k = b->lines[b->nlines - 1].off;
	n = 0;
	while (s[k + n] != '\0' && n + 2 < sizeof(b->tail) &&
	       text_width(f, min_size, s + k, n + 1) <= limit)
		n++;
	while (n > 0 && s[k + n - 1] == ' ')
		n--;
	memcpy(b->tail, s + k, n);
	b->tail[n] = '\x85'; /* ellipsis in Windows-1252 */
	b->tail[n + 1] = '\0';
	b->cut = true;
}

static void
draw_line(struct doc *d, const struct face *f, float size, float x, float y,
          enum align al, const char *s, size_t n)
{
	char  buf[CERTPDF_FIELD_MAX + 32];
	float w;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	w = text_width(f, size, buf, n);
	if (al == ALIGN_CENTER)
		x -= w / 2;
	else if (al == ALIGN_RIGHT)
		x -= w;
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, f->font, size);
	HPDF_Page_TextOut(d->page, x, y, buf);
	HPDF_Page_EndText(d->page);
}

static void
draw_text(struct doc *d, const struct face *f, float size, float x, float y,
          enum align al, const char *s)
{
	draw_line(d, f, size, x, y, al, s, strlen(s));
}

/*
 * Draws a fitted block centred vertically in bx, or with its first line's
 * capitals touching the top of bx when top is set.
 */
static void
draw_block(struct doc *d, const struct face *f, const char *s,
           const struct block *b, const struct box *bx, enum align al,
           bool top)
{
	float  lead = b->size * LEADING;
	float  height = (float)(b->nlines - 1) * lead + b->size * CAP_HEIGHT;
	float  y = top ? bx->y + bx->h - b->size * CAP_HEIGHT
	               : bx->y + bx->h / 2 + height / 2 - b->size * CAP_HEIGHT;
	float  x = al == ALIGN_LEFT     ? bx->x
	           : al == ALIGN_CENTER ? bx->x + bx->w / 2
	                                : bx->x + bx->w;
	size_t i;

	for (i = 0; i < b->nlines; i++, y -= lead) {
		if (b->cut && i == b->nlines - 1)
			draw_line(d, f, b->size, x, y, al, b->tail,
			          strlen(b->tail));
		else
			draw_line(d, f, b->size, x, y, al, s + b->lines[i].off,
			          b->lines[i].len);
	}
}

static void
draw_field(struct doc *d, const struct face *f, const char *s,
           const struct box *bx, enum align al, bool top, float max_size,
           float single_min, float min_size)
{
	struct block b;

	fit(f, s, bx, max_size, single_min, min_size, &b);
	draw_block(d, f, s, &b, bx, al, top);
}

/*
 * Draws the symbol with its quiet zone in a size x size square whose
 * bottom-left corner is (x, y).  Dark runs in a row become one rectangle
 * and all of them one path, so viewers show no seams between modules.
 */
static void
draw_qr(struct doc *d, const QRcode *qr, float x, float y, float size)
{
	int                  w = qr->width, row, col, start;
	float                m = size / (float)(w + 2 * QR_QUIET);
	float                bottom;
	const unsigned char *r;

	HPDF_Page_SetRGBFill(d->page, 1, 1, 1);
	HPDF_Page_Rectangle(d->page, x, y, size, size);
	HPDF_Page_Fill(d->page);

	HPDF_Page_SetRGBFill(d->page, 0, 0, 0);
	for (row = 0; row < w; row++) {
		r = qr->data + (size_t)row * (size_t)w;
		bottom = y + size - (float)(QR_QUIET + row + 1) * m;
		col = 0;
		while (col < w) {
			if (!(r[col] & 1)) {
				col++;
				continue;
			}
			start = col;
			while (col < w && (r[col] & 1))
				col++;
			HPDF_Page_Rectangle(d->page,
			                    x + (float)(QR_QUIET + start) * m,
			                    bottom, (float)(col - start) * m,
			                    m);
		}
	}
	HPDF_Page_Fill(d->page);
}

static int
draw_page(struct doc *d, const struct fields *f, const QRcode *qr)
{
	char       line[CERTPDF_FIELD_MAX + 32];
	float      cx = PAGE_W / 2;
	float      qr_size = 116, qr_x = PAGE_W - 52 - qr_size, qr_y = 52;
	struct box name_box = { 90, 352, PAGE_W - 180, 58 };
	struct box title_box = { 90, 262, PAGE_W - 180, 52 };
	struct box code_box = { 80, 70, 320, 34 };
	struct box url_box = { 420, 62, qr_x - 6 - 420, 49 };
	HPDF_Page  p = d->page;

	/* Double frame. */
	HPDF_Page_SetRGBStroke(p, col_ink.r, col_ink.g, col_ink.b);
	HPDF_Page_SetLineWidth(p, 2.5f);
	HPDF_Page_Rectangle(p, 24, 24, PAGE_W - 48, PAGE_H - 48);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetLineWidth(p, 0.75f);
	HPDF_Page_Rectangle(p, 31, 31, PAGE_W - 62, PAGE_H - 62);
	HPDF_Page_Stroke(p);

	HPDF_Page_SetRGBFill(p, col_ink.r, col_ink.g, col_ink.b);
	draw_text(d, &d->bold, 46, cx, 478, ALIGN_CENTER, "Certificaat");
	HPDF_Page_SetRGBStroke(p, col_accent.r, col_accent.g, col_accent.b);
	HPDF_Page_SetLineWidth(p, 1.5f);
	HPDF_Page_MoveTo(p, cx - 60, 458);
	HPDF_Page_LineTo(p, cx + 60, 458);
	HPDF_Page_Stroke(p);

	HPDF_Page_SetRGBFill(p, col_muted.r, col_muted.g, col_muted.b);
	draw_text(d, &d->regular, 15, cx, 424, ALIGN_CENTER,
	          "Hierbij verklaren wij dat");
	HPDF_Page_SetRGBFill(p, col_text.r, col_text.g, col_text.b);
	draw_field(d, &d->bold, f->name, &name_box, ALIGN_CENTER, false, 32,
	           22, 11);
	HPDF_Page_SetRGBFill(p, col_muted.r, col_muted.g, col_muted.b);
	draw_text(d, &d->regular, 15, cx, 328, ALIGN_CENTER,
	          "met goed gevolg de module");
	HPDF_Page_SetRGBFill(p, col_ink.r, col_ink.g, col_ink.b);
	draw_field(d, &d->bold, f->title, &title_box, ALIGN_CENTER, false,
	           22, 16, 9);
	HPDF_Page_SetRGBFill(p, col_muted.r, col_muted.g, col_muted.b);
	draw_text(d, &d->regular, 15, cx, 238, ALIGN_CENTER, "heeft afgerond.");

	/* Footer: dates and code on the left, verification on the right. */
	HPDF_Page_SetRGBStroke(p, col_accent.r, col_accent.g, col_accent.b);
	HPDF_Page_SetLineWidth(p, 0.5f);
	HPDF_Page_MoveTo(p, 80, 196);
	HPDF_Page_LineTo(p, PAGE_W - 80, 196);
	HPDF_Page_Stroke(p);

	HPDF_Page_SetRGBFill(p, col_text.r, col_text.g, col_text.b);
	snprintf(line, sizeof(line), "Behaald op %s", f->issued);
	draw_text(d, &d->regular, 12, 80, 136, ALIGN_LEFT, line);
	snprintf(line, sizeof(line), "Geldig tot %s", f->expires);
	draw_text(d, &d->regular, 12, 80, 116, ALIGN_LEFT, line);
	snprintf(line, sizeof(line), "Certificaatcode: %s", f->code);
	draw_field(d, &d->regular, line, &code_box, ALIGN_LEFT, true, 11,
	           11, 6);

	HPDF_Page_SetRGBFill(p, col_muted.r, col_muted.g, col_muted.b);
	draw_text(d, &d->regular, 10, qr_x - 6, 120, ALIGN_RIGHT,
	          "Controleer de echtheid van dit certificaat:");
	HPDF_Page_SetRGBFill(p, col_ink.r, col_ink.g, col_ink.b);
	draw_field(d, &d->regular, f->url, &url_box, ALIGN_RIGHT, true, 9.5f,
	           8, 5);

	draw_qr(d, qr, qr_x, qr_y, qr_size);
	return d->error == HPDF_OK ? 0 : -1;
}

/*
 * Document info.  libhpdf writes these strings as given, and PDF reads them
 * as PDFDocEncoding, which matches Windows-1252 only from 0xA1 up; dashes
 * become '-' and the other bytes below that '?' rather than a wrong glyph.
 */
static int
set_info(struct doc *d, const struct fields *f)
{
	char                title[CERTPDF_FIELD_MAX + 32];
	HPDF_Date           date;
	size_t              i;
	const struct stamp *t = &f->issued_at;

	snprintf(title, sizeof(title), "Certificaat: %s", f->title);
	for (i = 0; title[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)title[i];

		if (ch == 0x96 || ch == 0x97) /* en and em dash */
			title[i] = '-';
		else if (ch == 0xA0)
			title[i] = ' ';
		else if (ch >= 0x80 && ch < 0xA0)
			title[i] = '?';
	}
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "HGKM leerplatform");

	/* The issue time, not the render time, keeps re-renders identical. */
	memset(&date, 0, sizeof(date));
	date.year = t->year;
	date.month = t->month;
	date.day = t->day;
	date.hour = t->hour;
	date.minutes = t->min;
	date.seconds = t->sec > 59 ? 59 : t->sec; /* no leap second in PDF */
	date.ind = t->ind;
	date.off_hour = t->off_hour;
	date.off_minutes = t->off_min;
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, date);
	return d->error == HPDF_OK ? 0 : -1;
}

static int
save(struct doc *d, unsigned char **out, size_t *out_len)
{
	HPDF_UINT32    size, got;
	HPDF_STATUS    st;
	unsigned char *buf;

	if (HPDF_SaveToStream(d->pdf) != HPDF_OK ||
	    HPDF_ResetStream(d->pdf) != HPDF_OK)
		return -1;
	size = HPDF_GetStreamSize(d->pdf);
	if (size == 0)
		return -1;
	buf = malloc(size);
	if (buf == NULL)
		return -1;
	got = size;
	st = HPDF_ReadFromStream(d->pdf, buf, &got);
	/* Reading up to the very end may report EOF; the count decides. */
	if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = size;
	return 0;
}

int
certpdf_render(const struct certpdf *c, unsigned char **out, size_t *out_len)
{
	struct fields *f = NULL;
	struct doc     d;
	QRcode        *qr = NULL;
	int            rc = -1;

	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (c == NULL || out == NULL || out_len == NULL)
		return -1;
	memset(&d, 0, sizeof(d));

	/* Four converted fields of 1 KB each: too much for a worker stack. */
	f = malloc(sizeof(*f));
	if (f == NULL)
		goto fail;
	if (load_fields(c, f) == -1)
		goto fail;

	/* Encode the URL as given, UTF-8, not the converted text. */
	qr = QRcode_encodeString(c->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		log_error("certpdf: no QR code for a %zu-byte URL",
		        strlen(c->verify_url));
		goto fail;
	}

	d.error = HPDF_OK;
	d.pdf = HPDF_New(on_error, &d);
	if (d.pdf == NULL)
		goto fail;
	d.page = HPDF_AddPage(d.pdf);
	if (d.page == NULL ||
	    HPDF_Page_SetSize(d.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE) !=
	        HPDF_OK ||
	    face_load(&d, &d.regular, "Helvetica") == -1 ||
	    face_load(&d, &d.bold, "Helvetica-Bold") == -1 ||
	    set_info(&d, f) == -1 || draw_page(&d, f, qr) == -1 ||
	    save(&d, out, out_len) == -1)
		goto fail;
	rc = 0;

fail:
	if (rc == -1 && d.error != HPDF_OK)
		log_error("certpdf: libhpdf error 0x%04lX detail %lu",
		        (unsigned long)d.error, (unsigned long)d.detail);
	if (d.pdf != NULL)
		HPDF_Free(d.pdf);
	if (qr != NULL)
		QRcode_free(qr);
	free(f);
	return rc;
}
