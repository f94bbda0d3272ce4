/* The domain lists, defined once (see domain.h). */
#include "domain.h"

#include "validate.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM(code, label)                                                      \
	{                                                                      \
#code, label                                                   \
	}
#define COMMA ,
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct domain_item roles[] = {
    {"teacher", "Leerkracht"},
    {"ib", "Intern begeleider"},
    {"trainer", "Trainer"},
    {"board_admin", "Bestuursbeheerder"},
    {"region_viewer", "Projectleider van een regio"},
    {"admin", "Beheerder van het platform"},
};

static const struct domain_item package_items[] = {
    DOMAIN_PACKAGE_ITEMS(ITEM, COMMA),
};

static const struct domain_item statuses[] = {
    {"not_started", "Nog niet begonnen"},
    {"in_progress", "Bezig"},
    {"completed", "Afgerond"},
    {"expired", "Verlopen"},
};

const struct domain_list domain_roles = {roles, COUNT(roles)};
/* teacher and ib come first in roles[]. */
const struct domain_list domain_learner_roles = {roles, 2};
const struct domain_list domain_package_items = {package_items,
                                                 COUNT(package_items)};
const struct domain_list domain_statuses = {statuses, COUNT(statuses)};

const struct domain_item *
domain_find(const struct domain_list *list, const char *code)
{
	for (size_t i = 0; code != NULL && i < list->n; i++)
		if (strcmp(list->items[i].code, code) == 0)
			return &list->items[i];
	return NULL;
}

static json_t *
list_json(const struct domain_list *list)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++)
		if (json_array_append_new(
		        arr,
		        json_pack("{s:s, s:s}", "code", list->items[i].code,
		                  "label", list->items[i].label)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	return arr;
}

const char *
domain_meta_json(void)
{
	static char *text;
	json_t      *doc;

	if (text != NULL)
		return text;
	doc = json_pack(
	    "{s:o?, s:o?, s:o?, s:o?, s:s}", "roles", list_json(&domain_roles),
	    "learner_roles", list_json(&domain_learner_roles), "package_items",
	    list_json(&domain_package_items), "statuses",
	    list_json(&domain_statuses), "slug_pattern", VALIDATE_SLUG_PATTERN);
	if (doc != NULL)
		text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL) {
		fputs("domain: out of memory\n", stderr);
		abort();
	}
	return text;
}
