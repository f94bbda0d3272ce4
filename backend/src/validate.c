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
