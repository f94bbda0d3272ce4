/* Input checks shared by handlers and importers. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define EMAIL_MAX 254
#define EMAIL_LOCAL_MAX 64
/* Erase writes placeholder addresses under this domain (RFC 2606 reserves
 * .invalid); no input may use it, so no one can take a placeholder. */
#define EMAIL_ERASED_DOMAIN "verwijderd.invalid"

enum email_check {
	EMAIL_OK,
	EMAIL_INVALID,   /* not the shape of an address, or too long */
	EMAIL_NOT_ASCII, /* a byte outside ASCII: IDN domains only as xn-- */
	EMAIL_RESERVED,  /* the domain of erased accounts */
};

/*
 * The one canonical form of an email address, used for every comparison:
 * ASCII only, lower-cased by this code (never by a locale), at most 254
 * bytes with a local part of at most 64, one '@', no spaces, control
 * characters or <>",;\ and a domain of at least two dot-separated labels of
 * letters, digits and inner hyphens (1 to 63 bytes each).  On EMAIL_OK
 * writes the canonical form to out; otherwise out is the empty string.
 */
enum email_check email_canonical(const char *s, char out[EMAIL_MAX + 1]);

/* Dutch text for people about a refused address. */
const char *email_problem(enum email_check c);

/* email_canonical(s) == EMAIL_OK. */
bool validate_email(const char *s);

/* DUO's location code: four characters of BRIN (digits or capitals) and
 * two digits, e.g. 32JK00. */
bool validate_brin(const char *s);

/* Text for people: valid UTF-8 (jansson ensures it), no control
 * characters other than none at all; used for names. */
bool validate_plain_text(const char *s);

/* The slug rule of modules (and of section ids): what the database's
 * modules.slug and every URL with a slug in it accept. */
#define VALIDATE_SLUG_MAX 64
#define VALIDATE_SLUG_PATTERN "^[a-z0-9][a-z0-9-]{0,63}$"

/* ^[a-z0-9][a-z0-9-]{0,max-1}$: a slug (max VALIDATE_SLUG_MAX) or a
 * shorter id of the same shape. */
bool validate_id(const char *s, size_t max);

/* validate_id(s, VALIDATE_SLUG_MAX). */
bool validate_slug(const char *s);

/*
 * UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing past
 * U+10FFFF.  Every input checker uses these.
 */

/* Length (1 to 4) of the well-formed sequence at p, of at most `left`
 * bytes, or 0 when there is none. */
size_t utf8_seq_len(const unsigned char *p, size_t left);

/*
 * Offset of the first byte that does not start a well-formed sequence (one
 * cut off by the end included), or `len` when all of p[0..len) is valid.
 * NUL is valid here.
 */
size_t utf8_invalid_at(const char *p, size_t len);

/* Code points in the valid UTF-8 string s. */
size_t utf8_chars(const char *s);

/*
 * The first control character in the valid UTF-8 string s: C0 (U+0000 to
 * U+001F), DEL or C1 (U+0080 to U+009F), as its code point; -1 when there
 * is none.
 */
long text_control(const char *s);

#endif
