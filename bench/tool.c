/*
 * bench-tool: helpers for `make bench`, linked against the service's own
 * code (build/release/libapp.a) so that what the benchmarks send is exactly
 * what the service would make or run:
 *
 *   bench-tool sql NAME            prints the SQL of the prepared statement
 *                                  NAME, as the workers prepare it
 *   bench-tool tokens KEYFILE TTL  reads user ids on stdin, prints one token
 *                                  per line, issued by auth_token_issue()
 *                                  with the key in KEYFILE (raw bytes, as the
 *                                  service reads it) and TTL seconds
 *
 * Minting tokens directly saves one argon2id login per simulated user; the
 * login itself is benchmarked on its own.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "auth.h"
#include "store/store.h"

static int print_sql(const char *name);
static int mint_tokens(const char *keyfile, int ttl);

static int
print_sql(const char *name)
{
	for (const struct db_stmt *const *t = store_all_statements; *t; t++)
		for (const struct db_stmt *s = *t; s->name != NULL; s++)
			if (strcmp(s->name, name) == 0) {
				printf("%s\n", s->sql);
				return 0;
			}
	fprintf(stderr, "bench-tool: no statement named %s\n", name);
	return 1;
}

static int
mint_tokens(const char *keyfile, int ttl)
{
	unsigned char      key[1024];
	struct arena       a;
	struct auth_claims claims;
	char               line[64];
	long long          now = (long long)time(NULL);
	ssize_t            n;
	int                fd = open(keyfile, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		perror(keyfile);
		return 1;
	}
	n = read(fd, key, sizeof(key));
	close(fd);
	if (n < 32) {
		fprintf(stderr, "bench-tool: %s holds no usable key\n", keyfile);
		return 1;
	}
	if (auth_init() < 0)
		return 1;
	arena_init(&a, 16 * 1024);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		long long   id = strtoll(line, NULL, 10);
		const char *tok;

		if (id <= 0)
			continue;
		tok = auth_token_issue(&a, key, (size_t)n, id, now, ttl, 0, &claims);
		if (tok == NULL) {
			fprintf(stderr, "bench-tool: cannot issue a token\n");
			return 1;
		}
		puts(tok);
		arena_reset(&a);
	}
	arena_destroy(&a);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "sql") == 0)
		return print_sql(argv[2]);
	if (argc == 4 && strcmp(argv[1], "tokens") == 0)
		return mint_tokens(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: bench-tool sql NAME | tokens KEYFILE TTL < ids\n");
	return 2;
}
