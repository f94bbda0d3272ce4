/* Route matching against a static table; see routes.c for the table. */
#include "router.h"

#include <string.h>

static int match_pattern(struct arena *a, const char *pattern, const char *path,
                         const char **params, int *nparams);

/* Returns 1 on a match, filling the captures; 0 otherwise. */
static int
match_pattern(struct arena *a, const char *pattern, const char *path,
              const char **params, int *nparams)
{
	const char *p = pattern, *s = path;
	int         n = 0;

	while (*p != '\0') {
		if (p[0] == '{') {
			const char *end = s;

			while (*end != '\0' && *end != '/')
				end++;
			if (end == s || end - s > ROUTER_MAX_SEGMENT ||
			    n >= HTTP_MAX_PARAMS)
				return 0;
			if (params != NULL)
				params[n] =
				    arena_strndup(a, s, (size_t)(end - s));
			n++;
			s = end;
			p += strcspn(p, "}");
			if (*p == '}')
				p++;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*s != '\0')
		return 0;
	if (nparams != NULL)
		*nparams = n;
	return 1;
}

enum router_result
router_match(const struct route *routes, size_t n, struct arena *a,
             const char *method, const char *path, const struct route **found,
             const char **params, int *nparams, const char **allow)
{
	char   methods[64] = "";
	size_t i;
	int    path_matched = 0;

	*found = NULL;
	for (i = 0; i < n; i++) {
		if (!match_pattern(a, routes[i].pattern, path, NULL, NULL))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			match_pattern(a, routes[i].pattern, path, params,
			              nparams);
			*found = &routes[i];
			return ROUTER_FOUND;
		}
		path_matched = 1;
		if (strstr(methods, routes[i].method) == NULL &&
		    strlen(methods) + strlen(routes[i].method) + 3 <
		        sizeof(methods)) {
			if (methods[0] != '\0')
				strcat(methods, ", ");
			strcat(methods, routes[i].method);
		}
	}
	if (!path_matched)
		return ROUTER_NOT_FOUND;
	if (allow != NULL)
		*allow = arena_strdup(a, methods);
	return ROUTER_METHOD_NOT_ALLOWED;
}

bool
router_param(const char *pattern, int i, struct route_param *out)
{
	const char *p = pattern, *colon, *end;

	for (;; p++) {
		p = strchr(p, '{');
		if (p == NULL)
			return false;
		if (i-- == 0)
			break;
	}
	end = strchr(p, '}');
	colon = strchr(p, ':');
	if (end == NULL || colon == NULL || colon > end)
		return false;
	out->name = p + 1;
	out->name_len = (size_t)(colon - p - 1);
	out->type = colon + 1;
	out->type_len = (size_t)(end - colon - 1);
	return true;
}

const char *
router_pattern_untyped(struct arena *a, const char *pattern)
{
	char *out = arena_alloc(a, strlen(pattern) + 1), *o = out;

	for (const char *p = pattern; *p != '\0';) {
		*o++ = *p;
		if (*p++ == '{') {
			p += strcspn(p, "}");
			*o++ = '}';
			if (*p == '}')
				p++;
		}
	}
	*o = '\0';
	return out;
}
