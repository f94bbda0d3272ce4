/* A board's staff roster: UTF-8 check, CSV records, per-field checks. */

/*
 * How it works.  The buffer must be UTF-8 (a BOM is skipped); every line
 * with invalid UTF-8 is reported and parsing ends there, since the other
 * messages would be about misread bytes.  The text is then read with
 * csvin_read (csvin.h), which hands over each record with the physical line
 * it starts on, also when a quoted field spans lines, and reports quote
 * errors.  The first record is the header; it maps our four columns to field
 * positions.  Every later record is checked on its own and each bad field
 * gives one error, up to ROSTER_ERRORS_MAX messages.  Duplicate emails are
 * found with a csvin_set of the valid emails seen so far, so that the emails
 * of otherwise bad records count too.  Rows are kept only while no error has
 * been seen, and dropped at the end if one was.
 *
 * Emails are kept in their canonical form (validate.c:email_canonical):
 * ASCII only, lower-cased by our code, the form users.email_canonical holds,
 * so that a roster line meets an account only under exactly the same
 * address.  PostgreSQL's lower() would fold look-alikes (U+0130, the
 * Kelvin sign) into ASCII letters.
 */
#include "roster.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "csvin.h"
#include "validate.h"

#define ROSTER_MAX_FIELDS 100 /* fields kept per record; more are counted */
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

/* What backs the strings of a roster (private in roster.h). */
struct roster_block {
	struct arena strings;
};

/* State of one roster_parse call. */
struct roster_parse {
	struct roster   *ros;
	unsigned         rec_line; /* line the current record starts on */
	bool             header_done;
	bool             stop;
	size_t           n_header;
	int              col[COL_COUNT]; /* field index, -1 when absent */
	size_t           rows_cap;
	size_t           brins_cap;
	size_t           n_data; /* data records seen, good or bad */
	struct csvin_set seen;   /* valid emails */
};

static void add_error(struct roster *ros, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad_utf8(unsigned line, unsigned char byte, void *data);
static void parse_text(struct roster *ros, const char *text, size_t len);
static int  on_record(struct csvin_record *rec, void *data);
static void on_csv_error(unsigned line, const char *message, void *data);
static void header_record(struct roster_parse *st, struct csvin_record *rec);
static void data_record(struct roster_parse *st, struct csvin_record *rec);
static void check_email(struct roster_parse *st, char *email);
static const char *check_role(struct roster_parse *st, const char *role);
static void        check_name(struct roster_parse *st, const char *name);
static void        check_brin(struct roster_parse *st, char *brin);
static char       *field(struct roster_parse *st, struct csvin_record *rec,
                         enum roster_col c);

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
		ros->errors =
		    csvin_xmalloc(ROSTER_ERRORS_MAX * sizeof(*ros->errors));
	ros->errors[ros->n_errors].line = line;
	ros->errors[ros->n_errors].message =
	    arena_strdup(&ros->pool->strings, msg);
	ros->n_errors++;
}

/* The UTF-8 errors of a roster. */
static void
bad_utf8(unsigned line, unsigned char byte, void *data)
{
	add_error(data, line,
	          "ongeldige UTF-8 (byte 0x%02X); sla het bestand op als "
	          "CSV in UTF-8",
	          byte);
}

int
roster_parse(const char *buf, size_t len, struct roster **out)
{
	struct roster *ros = csvin_xmalloc(sizeof(*ros));
	const char    *p = buf;

	memset(ros, 0, sizeof(*ros));
	*out = ros;
	ros->pool = csvin_xmalloc(sizeof(*ros->pool));
	arena_init(&ros->pool->strings, ROSTER_BLOCK_SIZE);
	if (len > ROSTER_MAX_BYTES) {
		add_error(ros, 0, "het bestand is groter dan %d MiB",
		          ROSTER_MAX_BYTES / (1024 * 1024));
		return -1;
	}
	switch (csvin_bom(p, len)) {
	case CSVIN_BOM_UTF16:
		add_error(ros, 1,
		          "het bestand is UTF-16; sla het op als CSV in UTF-8");
		return -1;
	case CSVIN_BOM_UTF8:
		p += CSVIN_UTF8_BOM_LEN;
		len -= CSVIN_UTF8_BOM_LEN;
		break;
	case CSVIN_BOM_NONE:
		break;
	}
	if (csvin_utf8_check_lines(p, len, bad_utf8, ros) != 0)
		return -1;

	parse_text(ros, p, len);

	if (ros->n_errors + ros->dropped > 0) {
		free(ros->rows);
		ros->rows = NULL;
		ros->n_rows = 0;
		return -1;
	}
	return 0;
}

/* Reads the text record by record; see the note at the top. */
static void
parse_text(struct roster *ros, const char *text, size_t len)
{
	struct roster_parse st;
	struct csvin_reader r = {
	    /* ';' when the header line has one, else ','. */
	    .delim = csvin_delim(text, len, ','),
	    .max_fields = ROSTER_MAX_FIELDS,
	    .record = on_record,
	    .error = on_csv_error,
	    .data = &st,
	};

	if (len == 0) {
		add_error(ros, 1,
		          "het bestand is leeg; de eerste regel moet "
		          "email,name,role,brin zijn");
		return;
	}
	memset(&st, 0, sizeof(st));
	st.ros = ros;
	csvin_read(&r, text, len);

	if (!st.header_done && ros->n_errors + ros->dropped == 0)
		add_error(ros, 1,
		          "het bestand is leeg; de eerste regel moet "
		          "email,name,role,brin zijn");

	csvin_set_free(&st.seen);
}

static int
on_record(struct csvin_record *rec, void *data)
{
	struct roster_parse *st = data;

	st->rec_line = rec->line;
	if (!st->header_done)
		header_record(st, rec);
	else
		data_record(st, rec);
	return st->stop ? -1 : 0;
}

static void
on_csv_error(unsigned line, const char *message, void *data)
{
	struct roster_parse *st = data;

	add_error(st->ros, line, "%s", message);
}

static void
header_record(struct roster_parse *st, struct csvin_record *rec)
{
	char   missing[64] = "";
	size_t n_missing = 0;
	bool   dup[COL_COUNT] = {false};

	st->header_done = true;
	st->n_header = rec->n_fields;
	for (int c = 0; c < COL_COUNT; c++)
		st->col[c] = -1;
	for (size_t i = 0; i < rec->n_kept; i++) {
		const char *have = csvin_trim(rec->field[i]);

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
data_record(struct roster_parse *st, struct csvin_record *rec)
{
	struct roster     *ros = st->ros;
	unsigned           line = rec->line;
	char              *email, *name, *brin;
	const char        *role;
	struct roster_row *r;

	if (csvin_record_empty(rec))
		return; /* a blank record such as ",,," */
	if (++st->n_data > ROSTER_MAX_ROWS) {
		add_error(ros, line,
		          "het rooster heeft meer dan %d regels; splits het "
		          "bestand",
		          ROSTER_MAX_ROWS);
		st->stop = true;
		return;
	}
	if (rec->has_nul) {
		add_error(ros, line, "NUL-byte in de regel");
		return;
	}
	if (rec->n_fields != st->n_header) {
		add_error(ros, line,
		          "%zu velden verwacht (zoals in de kopregel), %zu "
		          "gevonden",
		          st->n_header, rec->n_fields);
		return;
	}
	email = field(st, rec, COL_EMAIL);
	name = field(st, rec, COL_NAME);
	brin = field(st, rec, COL_BRIN);
	check_email(st, email);
	check_name(st, name);
	role = check_role(st, field(st, rec, COL_ROLE));
	check_brin(st, brin);

	if (ros->n_errors + ros->dropped > 0)
		return; /* the roster is refused: keep no more rows */
	if (ros->n_rows == st->rows_cap) {
		st->rows_cap = st->rows_cap == 0 ? 256 : st->rows_cap * 2;
		ros->rows = csvin_xrealloc(ros->rows,
		                           st->rows_cap * sizeof(*ros->rows));
	}
	r = &ros->rows[ros->n_rows++];
	r->line = line;
	r->email = arena_strdup(&ros->pool->strings, email);
	r->name = arena_strdup(&ros->pool->strings, name);
	r->role = role;
	memcpy(r->brin, brin, 7);
}

/* Puts `email` in its canonical form in place and checks it, duplicates
 * included. */
static void
check_email(struct roster_parse *st, char *email)
{
	char             shown[256], canonical[EMAIL_MAX + 1];
	unsigned         first;
	enum email_check ec = email_canonical(email, canonical);

	if (ec == EMAIL_OK)
		memcpy(email, canonical, strlen(canonical) + 1); /* same size */
	else /* shown lower-cased, as the valid ones are kept */
		for (char *s = email; *s != '\0'; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s - 'A' + 'a');
	csvin_echo(shown, sizeof(shown), email);
	if (*email == '\0')
		add_error(st->ros, st->rec_line, "e-mailadres ontbreekt");
	else if (ec == EMAIL_NOT_ASCII)
		add_error(st->ros, st->rec_line,
		          "e-mailadres \"%s\" bevat tekens buiten ASCII; die "
		          "worden niet ondersteund",
		          shown);
	else if (ec == EMAIL_RESERVED)
		add_error(st->ros, st->rec_line,
		          "e-mailadres \"%s\" kan niet worden gebruikt", shown);
	else if (ec != EMAIL_OK)
		add_error(st->ros, st->rec_line, "ongeldig e-mailadres \"%s\"",
		          shown);
	else if (!csvin_set_add(&st->seen, email, st->rec_line, &first))
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
	csvin_echo(shown, sizeof(shown), role);
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
	if (validate_brin(brin)) {
		struct roster *ros = st->ros;

		if (ros->n_brins == st->brins_cap) {
			st->brins_cap =
			    st->brins_cap == 0 ? 256 : st->brins_cap * 2;
			ros->brins = csvin_xrealloc(
			    ros->brins, st->brins_cap * sizeof(*ros->brins));
		}
		ros->brins[ros->n_brins].line = st->rec_line;
		memcpy(ros->brins[ros->n_brins].brin, brin, 7);
		ros->n_brins++;
		return;
	}
	csvin_echo(shown, sizeof(shown), brin);
	add_error(st->ros, st->rec_line,
	          "ongeldige BRIN-code \"%s\" (verwacht 4 cijfers of "
	          "hoofdletters en 2 cijfers, zoals 32JK00)",
	          shown);
}

/* The trimmed value of column c in the record. */
static char *
field(struct roster_parse *st, struct csvin_record *rec, enum roster_col c)
{
	return csvin_trim(rec->field[st->col[c]]);
}

void
roster_free(struct roster *r)
{
	if (r == NULL)
		return;
	if (r->pool != NULL) {
		arena_destroy(&r->pool->strings);
		free(r->pool);
	}
	free(r->rows);
	free(r->brins);
	free(r->errors);
	free(r);
}
