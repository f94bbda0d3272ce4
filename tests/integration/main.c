/* Integration suite entry point: runs every group against the test stack. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool stack_down(void);

/* Fails fast, with one line, when nothing answers at BASE_URL. */
static bool
stack_down(void)
{
	struct itest_req  rq = {.path = "/api/v1/health"};
	struct itest_resp r;
	bool              down = itest_perform(&rq, &r) != 0;

	if (down)
		fprintf(stderr,
		        "integration: no answer from %s (%s); start "
		        "the test stack first\n",
		        getenv("BASE_URL"), r.curl_error);
	itest_resp_release(&r);
	return down;
}

/*
 * Usage: integration [GLOB]
 * GLOB selects tests by name (cmocka_set_test_filter), e.g. 'test_jwt_*'.
 * The environment comes from var/test/env (see tests/run-integration.sh).
 * Exit status: 0 when every test passed, 1 otherwise, 2 on a setup error.
 */
int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(void);
	} groups[] = {
	    {"http", itest_run_http},
	    {"auth", itest_run_auth},
	    {"modules", itest_run_modules},
	    {"quiz_bank", itest_run_quiz_bank},
	    {"admin", itest_run_admin},
	    {"roster", itest_run_roster},
	    {"boards", itest_run_boards},
	    {"scenarios", itest_run_scenarios},
	    {"trainings", itest_run_trainings},
	    {"linking", itest_run_linking},
	    {"register", itest_run_register},
	    {"security", itest_run_security},
	    {"region_privacy", itest_run_region_privacy},
	    {"account_privacy", itest_run_account_privacy},
	    {"routes", itest_run_routes},
	    {"account_tool", itest_run_account_tool},
	    {"identity", itest_run_identity},
	};
	int failed = 0;

	/* Keep cmocka's stdout lines in order with its stderr lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-h") == 0)) {
		fprintf(stderr, "usage: %s [test-name-glob]\n", argv[0]);
		return 2;
	}
	if (itest_global_init() != 0) {
		itest_global_cleanup();
		return 2;
	}
	if (stack_down()) {
		itest_global_cleanup();
		return 2;
	}
	if (argc == 2)
		cmocka_set_test_filter(argv[1]);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int n = groups[i].run();

		if (n > 0)
			fprintf(stderr, "integration: group %s: %d failed\n",
			        groups[i].name, n);
		failed += n;
	}
	printf("integration: %s (%d failed)\n", failed ? "FAILED" : "OK",
	       failed);
	itest_global_cleanup();
	return failed ? 1 : 0;
}
