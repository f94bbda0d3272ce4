/* Fuzz target: router_match on the application's route table (routes.c),
 * checked against a segment-by-segment reference matcher. */

/*
 * Input: the first byte picks the method, the rest up to a NUL is the path.
 * Properties: the answer (404, 405 or a route) is the reference's; a found
 * route is the first one in the table that matches path and method; each
 * capture is one whole, non-empty segment of at most ROUTER_MAX_SEGMENT
 * bytes, so it never holds '/'; putting the captures back into the pattern
 * gives the path again; a 405 lists exactly the methods of the routes whose
 * pattern matches.
 */
#include "arena.h"
#include "fuzz_common.h"
#include "router.h"

static const char *const methods[] = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get",
};
#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

static struct arena arena;

/* Length of the segment at s (up to '/' or the end). */
static size_t
seg_len(const char *s)
{
	return strcspn(s, "/");
}

/* True when a pattern segment of pl bytes at p is a "{name:type}" one. */
static bool
is_typed(const char *p, size_t pl)
{
	return pl >= 2 && p[0] == '{' && p[pl - 1] == '}';
}

/*
 * True when the path has the pattern's segments: literal segments equal,
 * "{name:type}" segments 1..ROUTER_MAX_SEGMENT bytes without '/'.
 */
static bool
ref_match(const char *pattern, const char *path)
{
	const char *p = pattern, *s = path;

	for (;;) {
		size_t pl = seg_len(p), sl = seg_len(s);

		if (is_typed(p, pl)) {
			if (sl == 0 || sl > ROUTER_MAX_SEGMENT)
				return false;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return false;
		}
		p += pl;
		s += sl;
		if (*p == '\0' || *s == '\0')
			return *p == '\0' && *s == '\0';
		p++; /* both at '/' */
		s++;
	}
}

/* The pattern with each "{name:type}" replaced by the next capture. */
static char *
fill(const char *pattern, const char **params, int nparams)
{
	size_t len = strlen(pattern) + 1;
	char  *out, *o;
	int    k = 0;

	for (int i = 0; i < nparams; i++)
		len += strlen(params[i]);
	o = out = malloc(len);
	for (const char *p = pattern; *p != '\0';) {
		if (p[0] == '{') {
			FUZZ_CHECK(k < nparams, "fewer captures than {} in %s",
			           pattern);
			o = stpcpy(o, params[k++]);
			p += strcspn(p, "}") + 1;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	FUZZ_CHECK(k == nparams, "more captures (%d) than {} in %s", nparams,
	           pattern);
	return out;
}

/* True when `list` ("GET, PUT") holds `m` as one whole entry. */
static bool
listed(const char *list, const char *m)
{
	size_t n = strlen(m);

	for (const char *p = list; (p = strstr(p, m)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The reference assumes every "{name:type}" is a whole segment. */
static void
check_table(void)
{
	for (size_t i = 0; i < app_routes_count; i++) {
		const char *pat = app_routes[i].pattern;

		for (const char *p = strchr(pat, '{'); p != NULL;
		     p = strchr(p + 1, '{')) {
			size_t n = seg_len(p);

			FUZZ_CHECK(p[-1] == '/' && is_typed(p, n) &&
			               memchr(p + 1, '{', n - 1) == NULL,
			           "route %s has {} inside a segment; extend "
			           "the reference matcher",
			           pat);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool         ready;
	const char         *method, *allow = NULL;
	const char         *params[HTTP_MAX_PARAMS];
	const struct route *found;
	char               *path;
	int                 nparams = -1;
	size_t              first = SIZE_MAX;
	bool                any = false;
	enum router_result  rr;

	if (!ready) {
		arena_init(&arena, 4096);
		check_table();
		ready = true;
	}
	if (size == 0)
		return 0;
	method = methods[data[0] % N_METHODS];
	path = fuzz_cstr(data + 1, size - 1);

	for (size_t i = 0; i < app_routes_count; i++) {
		if (!ref_match(app_routes[i].pattern, path))
			continue;
		any = true;
		if (first == SIZE_MAX &&
		    strcmp(app_routes[i].method, method) == 0)
			first = i;
	}

	rr = router_match(app_routes, app_routes_count, &arena, method, path,
	                  &found, params, &nparams, &allow);
	switch (rr) {
	case ROUTER_FOUND: {
		char *back;

		FUZZ_CHECK(first != SIZE_MAX && found == &app_routes[first],
		           "%s %s: router took %s %s, reference %s", method,
		           path, found->method, found->pattern,
		           first == SIZE_MAX ? "none"
		                             : app_routes[first].pattern);
		FUZZ_CHECK(nparams >= 0 && nparams <= HTTP_MAX_PARAMS,
		           "nparams %d", nparams);
		for (int i = 0; i < nparams; i++) {
			size_t n = strlen(params[i]);

			FUZZ_CHECK(n > 0 && n <= ROUTER_MAX_SEGMENT &&
			               strchr(params[i], '/') == NULL,
			           "%s %s: capture %d \"%s\"", method, path, i,
			           params[i]);
		}
		back = fill(found->pattern, params, nparams);
		FUZZ_CHECK(strcmp(back, path) == 0,
		           "captures of %s rebuild \"%s\", not the path \"%s\"",
		           found->pattern, back, path);
		free(back);
		break;
	}
	case ROUTER_METHOD_NOT_ALLOWED:
		FUZZ_CHECK(any && first == SIZE_MAX,
		           "%s %s: 405, reference: path %s, method %s", method,
		           path, any ? "matches" : "does not match",
		           first == SIZE_MAX ? "not allowed" : "allowed");
		FUZZ_CHECK(allow != NULL && *allow != '\0',
		           "405 without Allow");
		for (size_t i = 0; i < app_routes_count; i++) {
			bool m = ref_match(app_routes[i].pattern, path);

			FUZZ_CHECK(!m || listed(allow, app_routes[i].method),
			           "%s %s: Allow \"%s\" lacks %s", method, path,
			           allow, app_routes[i].method);
		}
		for (size_t i = 0; i < N_METHODS; i++) {
			bool m = false;

			for (size_t j = 0; j < app_routes_count; j++)
				if (strcmp(app_routes[j].method, methods[i]) ==
				        0 &&
				    ref_match(app_routes[j].pattern, path))
					m = true;
			FUZZ_CHECK(m || !listed(allow, methods[i]),
			           "%s %s: Allow \"%s\" names %s", method, path,
			           allow, methods[i]);
		}
		break;
	case ROUTER_NOT_FOUND:
		FUZZ_CHECK(!any, "%s %s: 404, but a route matches", method,
		           path);
		break;
	default:
		FUZZ_CHECK(0, "router_match returned %d", (int)rr);
	}

	arena_reset(&arena);
	free(path);
	return 0;
}
