/* Input checks shared by handlers and importers. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>

/* A plausible email address: at most 254 bytes, one '@', a non-empty local
 * part, a domain with a dot, no spaces or control characters. */
bool validate_email(const char *s);

/* DUO's location code: four characters of BRIN (digits or capitals) and
 * two digits, e.g. 32JK00. */
bool validate_brin(const char *s);

/* Text for people: valid UTF-8 (jansson ensures it), no control
 * characters other than none at all; used for names. */
bool validate_plain_text(const char *s);

#endif
