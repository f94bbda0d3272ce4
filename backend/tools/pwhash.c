/* hgkm-pwhash: reads one password per line on stdin and prints its argon2id
 * hash, with the service's parameters.  Used to seed demo accounts. */
#include <stdio.h>
#include <string.h>

#include "auth.h"

int
main(void)
{
	char line[AUTH_PASSWORD_MAX + 2];
	char hash[crypto_pwhash_STRBYTES];

	if (auth_init() < 0)
		return 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (auth_password_hash(line, hash) != 0) {
			fprintf(stderr, "hgkm-pwhash: hashing failed\n");
			return 1;
		}
		puts(hash);
		sodium_memzero(line, sizeof(line));
	}
	return 0;
}
