/* Input checks shared by handlers and importers. */
#include "validate.h"

#include <string.h>

static bool
domain_label_ok(const char *p, size_t n)
{
	if (n == 0 || n > 63 || p[0] == '-' || p[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           c == '-';

		if (!ldh)
			return false;
	}
	return true;
}

enum email_check
email_canonical(const char *s, char out[EMAIL_MAX + 1])
{
	const char *at = NULL, *label;
	size_t      n, labels = 0, rlen = strlen(EMAIL_ERASED_DOMAIN);

	out[0] = '\0';
	if (s == NULL)
		return EMAIL_INVALID;
	for (n = 0; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];

		/* Non-ASCII first: it gets its own message, whatever else is
		 * wrong, and no locale ever folds it into an ASCII address. */
		if (c >= 0x80)
			return EMAIL_NOT_ASCII;
	}
	if (n < 3 || n > EMAIL_MAX)
		return EMAIL_INVALID;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' ||
		    c == '"' || c == ',' || c == ';' || c == '\\')
			goto invalid;
		if (c == '@') {
			if (at != NULL)
				goto invalid;
			at = s + i;
		}
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[n] = '\0';
	if (at == NULL || at == s || (size_t)(at - s) > EMAIL_LOCAL_MAX)
		goto invalid;
	label = out + (at - s) + 1;
	for (;;) {
		const char *dot = strchr(label, '.');
		size_t      len = dot ? (size_t)(dot - label) : strlen(label);

		if (!domain_label_ok(label, len))
			goto invalid;
		labels++;
		if (dot == NULL)
			break;
		label = dot + 1;
	}
	if (labels < 2)
		goto invalid;
	label = out + (at - s) + 1; /* the domain */
	n = strlen(label);
	if (n >= rlen && strcmp(label + n - rlen, EMAIL_ERASED_DOMAIN) == 0 &&
	    (n == rlen || label[n - rlen - 1] == '.')) {
		out[0] = '\0';
		return EMAIL_RESERVED;
	}
	return EMAIL_OK;
invalid:
	out[0] = '\0';
	return EMAIL_INVALID;
}

const char *
email_problem(enum email_check c)
{
	switch (c) {
	case EMAIL_OK:
		return NULL;
	case EMAIL_NOT_ASCII:
		return "Dit e-mailadres bevat tekens buiten ASCII (zoals İ of "
		       "é). Gebruik alleen gewone letters, cijfers en "
		       "leestekens; een domein met bijzondere tekens in de "
		       "xn--vorm.";
	case EMAIL_RESERVED:
		return "Dit e-mailadres kan niet worden gebruikt.";
	case EMAIL_INVALID:
	default:
		return "Vul een geldig e-mailadres in.";
	}
}

bool
validate_email(const char *s)
{
	char canon[EMAIL_MAX + 1];

	return email_canonical(s, canon) == EMAIL_OK;
}

bool
validate_plain_text(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

bool
validate_brin(const char *s)
{
	if (s == NULL || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		char c = s[i];
		bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';

		if (i < 4 ? !(digit || upper) : !digit)
			return false;
	}
	return true;
}

size_t
utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned c = p[0], cp, n;

	if (left == 0)
		return 0;
	if (c < 0x80)
		return 1;
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
		return 0;
	}
	if (left <= n)
		return 0;
	for (unsigned k = 1; k <= n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n + 1;
}

size_t
utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               i = 0, n;

	while (i < len) {
		if ((n = utf8_seq_len(p + i, len - i)) == 0)
			return i;
		i += n;
	}
	return len;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

long
text_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return *p;
		/* Bytes from 0x80 on are parts of characters from U+0080 on,
		 * and only C2 80 to C2 9F (U+0080-U+009F) are controls. */
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return p[1];
	}
	return -1;
}

bool
validate_id(const char *s, size_t max)
{
	size_t n;

	if (s == NULL ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (n = 0; s[n] != '\0'; n++) {
		char c = s[n];

		if (n >= max || !((c >= 'a' && c <= 'z') ||
		                  (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

bool
validate_slug(const char *s)
{
	return validate_id(s, VALIDATE_SLUG_MAX);
}
