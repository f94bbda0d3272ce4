/* The domain lists, defined once: roles, package items, module statuses
 * (with the SQL rule that sets them); served by GET /api/v1/meta. */
#ifndef DOMAIN_H
#define DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

/* A code as the API and the database write it, and its Dutch label. */
struct domain_item {
	const char *code;
	const char *label;
};

struct domain_list {
	const struct domain_item *items;
	size_t                    n;
};

/* Every role an account can have, in the order the UI lists them. */
extern const struct domain_list domain_roles;
/* The roles of learners: the roles a roster line or an audience names. */
extern const struct domain_list domain_learner_roles;
/* The prevention package of a school (school_package.item). */
extern const struct domain_list domain_package_items;
/* Where a person stands with a module (DOMAIN_STATUS_SQL). */
extern const struct domain_list domain_statuses;

/*
 * The package items as an X-macro, for C tables and SQL text alike:
 * X(code, label) per item, SEP between two.  sql/002_organisation.sql
 * checks the same codes in the database.
 */
#define DOMAIN_PACKAGE_ITEMS(X, SEP)                                           \
	X(tv_series, "Tv-serie in groep 7")                                    \
	SEP X(lesson_kit, "Lespakket gebruikt") SEP X(                         \
	    parent_letter, "Nieuwsbrief aan alle ouders") SEP                  \
	X(veilig_thuis_contact, "Vast contactpersoon Veilig Thuis") SEP        \
	X(neighbourhood_team, "Contact met het wijkteam")

/*
 * The status rule in SQL: `expires` is the latest expiry of the person's
 * certificate for the module (NULL: none), `done` the sections done.
 */
/* The same rule, on what the module list's statement gives, is
 * module_list.c:status_of(): change both. */
#define DOMAIN_STATUS_SQL(expires, done)                                       \
	"CASE WHEN " expires " > now() THEN 'completed'"                       \
	" WHEN " expires " IS NOT NULL THEN 'expired'"                         \
	" WHEN " done " > 0 THEN 'in_progress' ELSE 'not_started' END"

/* The item of `list` with this code, or NULL. */
const struct domain_item *domain_find(const struct domain_list *list,
                                      const char               *code);

/*
 * The lists as the JSON body of GET /api/v1/meta: {"roles", "learner_roles",
 * "package_items", "statuses"} as arrays of {"code","label"}, and
 * "slug_pattern".  Built once per process; aborts when out of memory.
 */
const char *domain_meta_json(void);

#endif
