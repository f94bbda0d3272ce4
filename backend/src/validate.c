/* Input checks shared by handlers and importers. */
#include "validate.h"

#include <string.h>

bool
validate_email(const char *s)
{
	const char *at, *dot;
	size_t      n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < 3 || n > 254)
		return false;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' ||
		    c == '"' || c == ',' || c == ';' || c == '\\')
			return false;
	}
	at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0' &&
	       strstr(at + 1, "..") == NULL;
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
