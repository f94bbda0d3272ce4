/* Shared helpers of the libFuzzer targets: property checks and reference
 * implementations written independently of the code under test. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A property of the module under test that must hold for every input.  A
 * failure prints what was expected and aborts, which libFuzzer reports as a
 * crash and saves the input for.
 */
#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "\nPROPERTY FAILED at %s:%d: %s\n  ",  \
			        __FILE__, __LINE__, #cond);                    \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * Well-formed UTF-8 as in Unicode table 3-7 (RFC 3629): the allowed ranges
 * of the second byte depend on the first, which rules out overlong forms,
 * surrogates and code points past U+10FFFF.  NUL counts as valid here.
 */
static inline bool
fuzz_utf8_valid(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t               i = 0;

	while (i < len) {
		unsigned char b = p[i];
		unsigned char lo = 0x80, hi = 0xBF;
		size_t        n;

		if (b <= 0x7F) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			n = 1;
		else if (b == 0xE0)
			n = 2, lo = 0xA0;
		else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF)
			n = 2;
		else if (b == 0xED)
			n = 2, hi = 0x9F;
		else if (b == 0xF0)
			n = 3, lo = 0x90;
		else if (b >= 0xF1 && b <= 0xF3)
			n = 3;
		else if (b == 0xF4)
			n = 3, hi = 0x8F;
		else
			return false;
		if (len - i - 1 < n)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= n; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return false;
		i += n + 1;
	}
	return true;
}

static inline bool
fuzz_str_utf8(const char *s)
{
	return fuzz_utf8_valid(s, strlen(s));
}

/* Code points in a valid UTF-8 string. */
static inline size_t
fuzz_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The input up to its first NUL as a malloc'd C string (free it). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char  *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* The input split at NUL bytes: part k of the input, or NULL when there are
 * fewer parts.  *len gets its length. */
static inline const uint8_t *
fuzz_part(const uint8_t *data, size_t size, int k, size_t *len)
{
	const uint8_t *p = data, *end = data + size;

	for (int i = 0; i < k; i++) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));

		if (nul == NULL)
			return NULL;
		p = nul + 1;
	}
	{
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));

		*len = (size_t)((nul != NULL ? nul : end) - p);
	}
	return p;
}

#endif
