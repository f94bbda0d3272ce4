/* Fuzz target: the request-header and query parsers of http.c, each checked
 * against a reference implementation of its contract in http.h. */

/*
 * The input is one header or query string (up to its first NUL, as FastCGI
 * hands over C strings).  Every parser sees it: http_query_get with the
 * names the handlers use and with the input's own first key,
 * http_cookie_get with both session cookie names and the first cookie name,
 * http_bearer_token, http_parse_content_length and http_header_add.  The
 * references below are written from the contracts, not from http.c.
 */
#include <ctype.h>
#include <strings.h>

#include "arena.h"
#include "fuzz_common.h"
#include "http.h"

static struct arena arena;

static int
ref_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The first "&"-separated parameter whose key (up to '=') is `name` decides:
 * its value decoded ('+' is a space, %XX a byte), or NULL when an escape is
 * broken or decodes to NUL.  A key without '=' has the value "".
 */
static char *
ref_query(const char *q, const char *name)
{
	size_t nlen = strlen(name);

	for (const char *p = q;;) {
		const char *end = strchr(p, '&');
		const char *eq;
		size_t      klen;

		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		klen = (size_t)((eq != NULL ? eq : end) - p);
		if (klen == nlen && memcmp(p, name, nlen) == 0) {
			const char *v = eq != NULL ? eq + 1 : end;
			char       *out = malloc((size_t)(end - v) + 1);
			size_t      o = 0;

			for (; v < end; v++) {
				if (*v != '%') {
					out[o++] = *v == '+' ? ' ' : *v;
					continue;
				}
				if (end - v < 3 || ref_hex(v[1]) < 0 ||
				    ref_hex(v[2]) < 0 ||
				    ref_hex(v[1]) * 16 + ref_hex(v[2]) == 0) {
					free(out);
					return NULL;
				}
				out[o++] =
				    (char)(ref_hex(v[1]) * 16 + ref_hex(v[2]));
				v += 2;
			}
			out[o] = '\0';
			return out;
		}
		if (*end == '\0')
			return NULL;
		p = end + 1;
	}
}

/*
 * Cookie pairs are separated by ';' with optional blanks before the name.
 * The first pair named `name` decides: its value without trailing blanks
 * and without one pair of surrounding quotes, NULL when that is empty.
 */
static char *
ref_cookie(const char *h, const char *name)
{
	size_t nlen = strlen(name);

	for (const char *p = h; *p != '\0';) {
		const char *end;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && memcmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t      n = (size_t)(end - v);
			char       *out;

			while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
			if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
				v++, n -= 2;
			if (n == 0)
				return NULL;
			out = malloc(n + 1);
			memcpy(out, v, n);
			out[n] = '\0';
			return out;
		}
		p = end;
	}
	return NULL;
}

/* -1 absent or empty, -2 malformed (not all digits, or above 2^40). */
static long long
ref_content_length(const char *s)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -2;
		if (v > (1ULL << 40))
			continue; /* stays above the limit */
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	return v > (1ULL << 40) ? -2 : (long long)v;
}

static void
same(const char *what, const char *in, const char *name, const char *got,
     const char *want)
{
	FUZZ_CHECK((got == NULL) == (want == NULL) &&
	               (got == NULL || strcmp(got, want) == 0),
	           "%s(\"%s\", \"%s\"): got %s%s%s, want %s%s%s", what, in,
	           name, got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
	           want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

static void
check_query(const char *in, const char *name)
{
	const char *got = http_query_get(&arena, in, name);
	char       *want = ref_query(in, name);

	same("http_query_get", in, name, got, want);
	free(want);
}

static void
check_cookie(const char *in, const char *name)
{
	const char *got = http_cookie_get(&arena, in, name);
	char       *want = ref_cookie(in, name);

	same("http_cookie_get", in, name, got, want);
	if (got != NULL) {
		FUZZ_CHECK(*got != '\0' && strchr(got, ';') == NULL &&
		               strstr(in, got) != NULL,
		           "cookie value \"%s\" is empty, holds ';' or is not "
		           "part of the header",
		           got);
	}
	free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool     ready;
	char           *in = fuzz_cstr(data, size);
	char            key[64];
	size_t          klen;
	const char     *tok;
	long long       cl;
	struct request  r;
	struct response res;

	if (!ready) {
		arena_init(&arena, 4096);
		ready = true;
	}

	/* The query parameters the handlers read, and the input's first. */
	check_query(in, "version");
	check_query(in, "format");
	check_query(in, "before");
	klen = strcspn(in, "=&");
	if (klen > 0 && klen < sizeof(key)) {
		memcpy(key, in, klen);
		key[klen] = '\0';
		check_query(in, key);
	}

	/* The session cookies, and the input's first cookie name. */
	check_cookie(in, "session");
	check_cookie(in, "__Host-session");
	klen = strcspn(in + strspn(in, " \t;"), "=;");
	if (klen > 0 && klen < sizeof(key)) {
		memcpy(key, in + strspn(in, " \t;"), klen);
		key[klen] = '\0';
		check_cookie(in, key);
	}

	/* "Bearer" in any case, then blanks, then a non-empty rest. */
	tok = http_bearer_token(&arena, in);
	if (strncasecmp(in, "Bearer ", 7) != 0 ||
	    in[7 + strspn(in + 7, " ")] == '\0') {
		FUZZ_CHECK(tok == NULL, "bearer token \"%s\" from \"%s\"", tok,
		           in);
	} else {
		FUZZ_CHECK(tok != NULL &&
		               strcmp(tok, in + 7 + strspn(in + 7, " ")) == 0,
		           "bearer token of \"%s\" is %s", in,
		           tok ? tok : "NULL");
	}

	cl = http_parse_content_length(in);
	FUZZ_CHECK(cl == ref_content_length(in),
	           "content length of \"%s\": got %lld, want %lld", in, cl,
	           ref_content_length(in));

	/* No client text can split the response. */
	memset(&r, 0, sizeof(r));
	memset(&res, 0, sizeof(res));
	r.arena = &arena;
	FUZZ_CHECK(http_header_add(&r, &res, "X-Test", in) == 0, "header add");
	FUZZ_CHECK(strlen(res.headers[0].value) == strlen(in) &&
	               strpbrk(res.headers[0].value, "\r\n") == NULL,
	           "header value keeps CR or LF");

	/* application/json with parameters only, in any case. */
	if (http_is_json_type(in)) {
		const char *rest = in + 16;

		FUZZ_CHECK(strncasecmp(in, "application/json", 16) == 0,
		           "\"%s\" taken for JSON", in);
		rest += strspn(rest, " \t");
		FUZZ_CHECK(*rest == '\0' || *rest == ';',
		           "\"%s\" taken for JSON", in);
	}

	arena_reset(&arena);
	free(in);
	return 0;
}
