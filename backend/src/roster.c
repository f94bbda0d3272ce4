/* A board's staff roster: UTF-8 check, CSV records, per-field checks. */

/*
 * How it works.  The buffer must be UTF-8 (a BOM is skipped); every line
 * with invalid UTF-8 is reported and parsing ends there, since the other
 * messages would be about misread bytes.  The text goes through
 * csvin_import (csvin.h), the skeleton of every CSV upload: it maps the
 * header to our four columns and hands over each record with the physical
 * line it starts on.  Every record is checked on its own and each bad field
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
#include "domain.h"
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

static const struct csvin_column columns[COL_COUNT] = {
    [COL_EMAIL] = {{"email"}, NULL, false},
    [COL_NAME] = {{"name"}, NULL, false},
    [COL_ROLE] = {{"role"}, NULL, false},
    [COL_BRIN] = {{"brin"}, NULL, false},
};

/* What backs the strings of a roster (private in roster.h). */
struct roster_block {
	struct arena strings;
};

/* State of one roster_parse call. */
struct roster_parse {
	struct csvin_import *imp;
	struct roster       *ros;
	unsigned             rec_line; /* line the current record starts on */
	size_t               rows_cap;
	size_t               brins_cap;
	struct csvin_set     seen; /* valid emails */
};

static void data_record(struct csvin_import *imp, struct csvin_record *rec);
static void check_email(struct roster_parse *st, char *email);
static const char *check_role(struct roster_parse *st, const char *role);
static void        check_name(struct roster_parse *st, const char *name);
static void        check_brin(struct roster_parse *st, char *brin);

int
roster_parse(const char *buf, size_t len, struct roster **out)
{
	struct roster      *ros = csvin_xmalloc(sizeof(*ros));
	struct roster_parse st = {.ros = ros};
	struct csvin_import imp = {
	    .cols = columns,
	    .n_cols = COL_COUNT,
	    .max_bytes = ROSTER_MAX_BYTES,
	    .max_fields = ROSTER_MAX_FIELDS,
	    .max_rows = ROSTER_MAX_ROWS,
	    .delim = ',',
	    .encodings = "UTF-8",
	    .bad_utf8_hint = "; sla het bestand op als CSV in UTF-8",
	    .empty_message = "het bestand is leeg; de eerste regel moet "
	                     "email,name,role,brin zijn",
	    .columns_hint = " (verwacht: email,name,role,brin)",
	    .too_many_rows = "het rooster heeft meer dan " CSVIN_STR(
	        ROSTER_MAX_ROWS) " regels; splits het bestand",
	    .row = data_record,
	    .data = &st,
	};
	int rc;

	memset(ros, 0, sizeof(*ros));
	*out = ros;
	ros->pool = csvin_xmalloc(sizeof(*ros->pool));
	arena_init(&ros->pool->strings, ROSTER_BLOCK_SIZE);
	st.imp = &imp;
	rc = csvin_import(&imp, buf, len, &ros->errors);
	csvin_set_free(&st.seen);
	if (rc != 0) {
		free(ros->rows);
		ros->rows = NULL;
		ros->n_rows = 0;
		return -1;
	}
	return 0;
}

static void
data_record(struct csvin_import *imp, struct csvin_record *rec)
{
	struct roster_parse *st = imp->data;
	struct roster       *ros = st->ros;
	char                *email, *name, *brin;
	const char          *role;
	struct roster_row   *r;

	st->rec_line = rec->line;
	email = csvin_field(imp, rec, COL_EMAIL);
	name = csvin_field(imp, rec, COL_NAME);
	brin = csvin_field(imp, rec, COL_BRIN);
	check_email(st, email);
	check_name(st, name);
	role = check_role(st, csvin_field(imp, rec, COL_ROLE));
	check_brin(st, brin);

	if (errlist_total(&ros->errors) > 0)
		return; /* the roster is refused: keep no more rows */
	ros->rows = csvin_grow(ros->rows, ros->n_rows, &st->rows_cap,
	                       sizeof(*ros->rows));
	r = &ros->rows[ros->n_rows++];
	r->line = rec->line;
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
		csvin_error(st->imp, st->rec_line, "e-mailadres ontbreekt");
	else if (ec == EMAIL_NOT_ASCII)
		csvin_error(st->imp, st->rec_line,
		            "e-mailadres \"%s\" bevat tekens buiten ASCII; die "
		            "worden niet ondersteund",
		            shown);
	else if (ec == EMAIL_RESERVED)
		csvin_error(st->imp, st->rec_line,
		            "e-mailadres \"%s\" kan niet worden gebruikt",
		            shown);
	else if (ec != EMAIL_OK)
		csvin_error(st->imp, st->rec_line,
		            "ongeldig e-mailadres \"%s\"", shown);
	else if (!csvin_set_add(&st->seen, email, st->rec_line, &first))
		csvin_error(st->imp, st->rec_line,
		            "e-mailadres %s staat ook op regel %u", shown,
		            first);
}

/*
 * Not empty, at most ROSTER_NAME_MAX characters, no C0 or C1 control
 * characters and no DEL.  The text is valid UTF-8.
 */
static void
check_name(struct roster_parse *st, const char *name)
{
	long   control = text_control(name);
	size_t chars;

	if (*name == '\0') {
		csvin_error(st->imp, st->rec_line, "naam ontbreekt");
		return;
	}
	if (control >= 0) {
		csvin_error(st->imp, st->rec_line,
		            "naam bevat een stuurteken (U+%04lX)", control);
		return;
	}
	chars = utf8_chars(name);
	if (chars > ROSTER_NAME_MAX)
		csvin_error(st->imp, st->rec_line,
		            "naam is langer dan %d tekens (%zu)",
		            ROSTER_NAME_MAX, chars);
}

/* "teacher" or "ib" in any case; NULL after an error. */
static const char *
check_role(struct roster_parse *st, const char *role)
{
	char shown[256];

	for (size_t i = 0; i < domain_learner_roles.n; i++)
		if (strcasecmp(role, domain_learner_roles.items[i].code) == 0)
			return domain_learner_roles.items[i].code;
	if (*role == '\0') {
		csvin_error(st->imp, st->rec_line,
		            "rol ontbreekt (teacher of ib)");
		return NULL;
	}
	csvin_echo(shown, sizeof(shown), role);
	csvin_error(st->imp, st->rec_line,
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
		csvin_error(st->imp, st->rec_line, "BRIN-code ontbreekt");
		return;
	}
	if (validate_brin(brin)) {
		struct roster *ros = st->ros;

		ros->brins = csvin_grow(ros->brins, ros->n_brins,
		                        &st->brins_cap, sizeof(*ros->brins));
		ros->brins[ros->n_brins].line = st->rec_line;
		memcpy(ros->brins[ros->n_brins].brin, brin, 7);
		ros->n_brins++;
		return;
	}
	csvin_echo(shown, sizeof(shown), brin);
	csvin_error(st->imp, st->rec_line,
	            "ongeldige BRIN-code \"%s\" (verwacht 4 cijfers of "
	            "hoofdletters en 2 cijfers, zoals 32JK00)",
	            shown);
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
	errlist_free(&r->errors);
	free(r);
}
