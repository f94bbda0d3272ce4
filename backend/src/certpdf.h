/* Certificate PDF: one A4 landscape page with a QR code for verification. */
#ifndef CERTPDF_H
#define CERTPDF_H

#include <stddef.h>

/* Longest accepted field, in bytes of UTF-8, without the terminating NUL. */
#define CERTPDF_FIELD_MAX 1000

/*
 * Everything printed on a certificate.  All fields are required, non-empty,
 * valid UTF-8 and at most CERTPDF_FIELD_MAX bytes.  The caller keeps
 * ownership; certpdf_render() only reads them.
 */
struct certpdf {
	const char *holder_name;  /* UTF-8 */
	const char *module_title; /* UTF-8 */
	const char *issued_at;    /* RFC 3339, e.g. 2026-11-22T10:00:00Z */
	const char *expires_at;   /* RFC 3339 */
	const char *code;         /* certificate code */
	const char *verify_url;   /* encoded in the QR code and printed */
};

/*
 * Renders the certificate.  On success returns 0, *out points to a malloc'd
 * buffer that the caller releases with free(), and *out_len is its size.
 * Returns -1 on bad input (a NULL or empty field, invalid UTF-8, a field
 * over CERTPDF_FIELD_MAX bytes, a date that is not RFC 3339) or when
 * libhpdf or libqrencode fail; *out is then NULL and there is nothing to
 * free.  Text outside Windows-1252 is printed as '?'.  The dates are
 * printed as the calendar date written in the timestamp, with no time zone
 * conversion.
 */
int certpdf_render(const struct certpdf *c, unsigned char **out,
                   size_t *out_len);

/*
 * Writes the date part of an RFC 3339 timestamp in Dutch, "22 november
 * 2026", to buf.  Returns 0, or -1 when the timestamp is malformed or buf
 * is too small; buf then holds "" if len > 0.
 */
int certpdf_format_date(const char *rfc3339, char *buf, size_t len);

#endif
