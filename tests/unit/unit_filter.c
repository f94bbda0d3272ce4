/* Linked into every unit test binary: UNIT_FILTER (a glob such as
 * "test_slug*") runs only the tests whose names match, so that one test can
 * be run on its own (make test-unit T='content:test_slug*'). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static void unit_filter(void) __attribute__((constructor));

static void
unit_filter(void)
{
	const char *glob = getenv("UNIT_FILTER");

	if (glob != NULL && *glob != '\0')
		cmocka_set_test_filter(glob);
}
