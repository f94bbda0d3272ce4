/* Route matching against a static table; see routes.c for the table. */
#include "router.h"

#include <string.h>

static int match_pattern(struct arena *a, const char *pattern,
                         const char *path, const char **params, int *nparams);

/* Returns 1 on a match, filling the captures; 0 otherwise. */
static int
match_pattern(struct arena *a, const char *pattern, const char *path,
              const char **params, int *nparams)
{
	const char *p = pattern, *s = path;
	int         n = 0;

	while (*p != '\0') {
		if (p[0] == '{' && p[1] == '}') {
			const char *end = s;

			while (*end != '\0' && *end != '/')
				end++;
			if (end == s || end - s > ROUTER_MAX_SEGMENT ||
			    n >= HTTP_MAX_PARAMS)
				return 0;
			if (params != NULL)
				params[n] = arena_strndup(a, s, (size_t)(end - s));
			n++;
			s = end;
			p += 2;
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
			match_pattern(a, routes[i].pattern, path, params, nparams);
			*found = &routes[i];
			return ROUTER_FOUND;
		}
		path_matched = 1;
		if (strstr(methods, routes[i].method) == NULL &&
		    strlen(methods) + strlen(routes[i].method) + 3 < sizeof(methods)) {
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

unsigned
router_role_bit(const char *role)
{
	static const struct {
		const char *name;
		unsigned    bit;
	} roles[] = {
		{"teacher", ROLE_TEACHER},
		{"ib", ROLE_IB},
		{"trainer", ROLE_TRAINER},
		{"board_admin", ROLE_BOARD_ADMIN},
		{"region_viewer", ROLE_REGION_VIEWER},
		{"admin", ROLE_ADMIN},
	};

	if (role == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, role) == 0)
			return roles[i].bit;
	return 0;
}
