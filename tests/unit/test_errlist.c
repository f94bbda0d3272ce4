/* Unit tests of errlist.c (the one input error list), csvout.c (the one CSV
 * writer) and domain.c (the domain lists). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csvout.h"
#include "domain.h"
#include "errlist.h"

/* The JSON of an error list as compact text (malloc'ed). */
static char *
dump(const struct errlist *l)
{
	json_t *j = errlist_json(l);
	char   *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(j);
	return s;
}

/* Positions by line (CSV) and by JSON pointer (documents), each in the
 * shape its 400 body has always had. */
static void
test_errlist_shapes(void **state)
{
	struct errlist l;
	char          *s;

	(void)state;
	errlist_init(&l);
	errlist_add(&l, NULL, 3, 0, "naam ontbreekt (%d)", 1);
	errlist_add(&l, NULL, 0, 0, "het bestand is groter dan 5 MiB");
	s = dump(&l);
	assert_string_equal(s,
	                    "[{\"line\":3,\"message\":\"naam ontbreekt (1)\"},"
	                    "{\"line\":0,\"message\":\"het bestand is "
	                    "groter dan 5 MiB\"}]");
	free(s);
	errlist_free(&l);
	assert_int_equal(errlist_total(&l), 0);

	errlist_add(&l, "/nodes/a~1b", 0, 0, "Moet een object zijn.");
	errlist_add(&l, "", 2, 8, "Geen geldige JSON.");
	s = dump(&l);
	assert_string_equal(
	    s, "[{\"path\":\"/nodes/a~1b\",\"message\":\"Moet een object "
	       "zijn.\"},{\"path\":\"\",\"message\":\"Geen geldige JSON.\","
	       "\"line\":2,\"column\":8}]");
	free(s);
	errlist_free(&l);
}

/* Past ERRLIST_MAX errors are counted, and the JSON says how many. */
static void
test_errlist_cap(void **state)
{
	struct errlist l;
	json_t        *j;

	(void)state;
	errlist_init(&l);
	for (int i = 0; i < ERRLIST_MAX + 7; i++)
		errlist_add(&l, NULL, (unsigned)i + 1, 0, "fout %d", i);
	assert_int_equal(l.count, ERRLIST_MAX);
	assert_int_equal(l.dropped, 7);
	assert_int_equal(errlist_total(&l), ERRLIST_MAX + 7);
	assert_int_equal(l.items[ERRLIST_MAX - 1].line, ERRLIST_MAX);
	j = errlist_json(&l);
	assert_int_equal(json_array_size(j), ERRLIST_MAX + 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(j, ERRLIST_MAX), "message")),
	                    "en nog 7 fouten");
	json_decref(j);
	errlist_free(&l);

	for (int i = 0; i < ERRLIST_MAX + 1; i++)
		errlist_add(&l, "", 0, 0, "fout");
	j = errlist_json(&l);
	assert_string_equal(
	    json_string_value(
	        json_object_get(json_array_get(j, ERRLIST_MAX), "message")),
	    "En nog 1 andere fouten, die hier niet worden getoond.");
	json_decref(j);
	errlist_free(&l);
}

/* RFC 6901 escapes, and invalid UTF-8 never reaches a path. */
static void
test_errlist_pointers(void **state)
{
	char *p;

	(void)state;
	p = errlist_ptr_child("/nodes", "a/b~c");
	assert_string_equal(p, "/nodes/a~1b~0c");
	free(p);
	p = errlist_ptr_child("", "x\xff");
	assert_string_equal(p, "/x\xef\xbf\xbd");
	free(p);
	p = errlist_ptr_index("/audience", 12);
	assert_string_equal(p, "/audience/12");
	free(p);
}

/* Quoting, the formula guard, JSON cells and CRLF rows. */
static void
test_csvout(void **state)
{
	struct arena  a;
	struct csvout w;
	json_t *row = json_pack("[s, i, f, b, b, n, s, s]", "a;b", 42, 12.345,
	                        1, 0, "=SUM(A1)", "zeg \"hoi\"");
	size_t  i;
	json_t *v;

	(void)state;
	arena_init(&a, 1024);
	csvout_init(&w, &a);
	assert_int_equal(w.len, 0);
	csvout_cell(&w, "naam");
	csvout_cell(&w, "+31 6");
	csvout_end_row(&w);
	json_array_foreach (row, i, v)
		csvout_json(&w, v);
	csvout_end_row(&w);
	assert_string_equal(w.data, "naam,'+31 6\r\n"
	                            "\"a;b\",42,12.3,ja,nee,,'=SUM(A1),"
	                            "\"zeg \"\"hoi\"\"\"\r\n");
	assert_int_equal(w.len, strlen(w.data));
	/* Longer than the first block: the text grows and stays whole. */
	for (i = 0; i < 2000; i++)
		csvout_cell(&w, "abcdef");
	assert_int_equal(w.len, strlen(w.data));
	json_decref(row);
	arena_destroy(&a);
}

/* The lists are what the API and the database use. */
static void
test_domain_lists(void **state)
{
	json_t *meta;

	(void)state;
	assert_int_equal(domain_roles.n, 6);
	assert_int_equal(domain_learner_roles.n, 2);
	assert_string_equal(domain_learner_roles.items[0].code, "teacher");
	assert_string_equal(domain_learner_roles.items[1].code, "ib");
	assert_non_null(domain_find(&domain_package_items, "lesson_kit"));
	assert_null(domain_find(&domain_package_items, "lesson-kit"));
	assert_null(domain_find(&domain_package_items, NULL));
	assert_string_equal(domain_find(&domain_statuses, "expired")->label,
	                    "Verlopen");
	meta = json_loads(domain_meta_json(), 0, NULL);
	assert_non_null(meta);
	assert_int_equal(
	    json_array_size(json_object_get(meta, "package_items")),
	    domain_package_items.n);
	assert_string_equal(
	    json_string_value(json_object_get(meta, "slug_pattern")),
	    "^[a-z0-9][a-z0-9-]{0,63}$");
	json_decref(meta);
	/* Built once: the same text again. */
	assert_ptr_equal(domain_meta_json(), domain_meta_json());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errlist_shapes),
	    cmocka_unit_test(test_errlist_cap),
	    cmocka_unit_test(test_errlist_pointers),
	    cmocka_unit_test(test_csvout),
	    cmocka_unit_test(test_domain_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
