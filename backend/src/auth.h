/* Tokens (HS256 JWT with libjwt), passwords (argon2id with libsodium) and
 * random codes.  Pure functions: the key and the clock are passed in. */
#ifndef AUTH_H
#define AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sodium.h>

#include "arena.h"

#define AUTH_TOKEN_MAX 4096
#define AUTH_HS256_SIG_CHARS 43 /* base64url of 32 bytes, no padding */
#define AUTH_JTI_LEN 32         /* hex characters */
#define AUTH_CODE_LEN 22        /* base64url of 128 random bits */
#define AUTH_PASSWORD_MIN 12
#define AUTH_PASSWORD_MAX 1024
#define AUTH_CLOCK_SKEW 60

/* argon2id with 19 MiB and 2 passes: OWASP's floor and api.md's, and small
 * enough that a worker stays under 32 MiB while it hashes. */
#define AUTH_PWHASH_OPS 2
#define AUTH_PWHASH_MEM (19u * 1024u * 1024u)

struct auth_claims {
	long long user_id;
	long long exp;
	long long iat;
	long long iat_ms; /* "ims": issued at in milliseconds, for revocation */
	/* "auth_time": when the person last gave their password; a refreshed
	 * token carries it on, so a session has an end however often it is
	 * refreshed (AUTH_SESSION_MAX_AGE).  Tokens without it: iat. */
	long long auth_time;
	char      jti[65];
};

/* How long after a password login a session may still be refreshed to:
 * over 20 hours, WCAG 2.2.1's limit for a time limit nobody may need to
 * extend, and not for ever (a copied cookie ends too). */
#define AUTH_SESSION_MAX_AGE (24 * 3600)

/* true when a token has the shape of one of ours (three non-empty
 * base64url segments, an HS256-sized signature, at most AUTH_TOKEN_MAX);
 * nothing else may reach libjwt 1.10 (see auth.c). */
bool auth_token_shape_ok(const char *t);

/* Calls sodium_init(); -1 when libsodium cannot start. */
int auth_init(void);

/*
 * Issues a token for user_id valid for ttl seconds from now, for a session
 * that began with a password at auth_time (0: now).  Returns the token as
 * an arena string and fills *claims, or NULL on a libjwt failure.
 */
char *auth_token_issue(struct arena *a, const unsigned char *key,
                       size_t key_len, long long user_id, long long now,
                       int ttl, long long auth_time,
                       struct auth_claims *claims);

/* Milliseconds since the epoch, for the "ims" claim. */
long long auth_now_ms(void);

/*
 * Verifies a token: size and alphabet first (libjwt alloca()s the decoded
 * segments), then the HS256 signature, the exact alg, an integer exp in the
 * future and at most max_ttl ahead, iat not in the future, a numeric sub and
 * a jti.  Returns 0 and fills *claims, or -1.  Revocation is checked by the
 * caller against the database.
 */
int auth_token_verify(const unsigned char *key, size_t key_len,
                      const char *token, long long now, int max_ttl,
                      struct auth_claims *claims);

/*
 * Tokens a worker has verified lately, by a keyed hash of their bytes (and
 * of the signing key): a caller's next request then skips libjwt (the
 * signature and two JSON parses), a sixth of a worker's time per request.
 * The time checks (exp, iat) run again on every use; revocation is the
 * database's, on every request as before.  Owned by one worker; about
 * 600 KiB, so allocate it (auth_token_cache_new).  Two slots per hash, the
 * older one replaced: 4096 tokens, a study day's learners of one worker.
 */
#define AUTH_TOKEN_CACHE_SIZE 4096
struct auth_token_cache {
	unsigned char hash_key[crypto_generichash_KEYBYTES];
	unsigned long hits; /* for tests */
	struct {
		unsigned char      hash[32];
		bool               used;
		struct auth_claims claims;
	} slots[AUTH_TOKEN_CACHE_SIZE];
};

/* A new, empty cache with a random hash key; NULL when out of memory.
 * free() it. */
struct auth_token_cache *auth_token_cache_new(void);

/* auth_token_verify() through the cache c (NULL: none): the same answer. */
int auth_token_verify_cached(struct auth_token_cache *c,
                             const unsigned char *key, size_t key_len,
                             const char *token, long long now, int max_ttl,
                             struct auth_claims *claims);

/* Hashes a password into out (crypto_pwhash_STRBYTES); -1 on failure. */
int auth_password_hash(const char *password, char out[crypto_pwhash_STRBYTES]);

/* True when password matches the stored hash. */
bool auth_password_verify(const char *hash, const char *password);

/* NULL when the password is acceptable, else the reason (Dutch, for people). */
const char *auth_password_problem(const char *password);

/* Fills out[AUTH_CODE_LEN + 1] with a random base64url code. */
void auth_random_code(char out[AUTH_CODE_LEN + 1]);

#define AUTH_JOIN_CODE_LEN 8

/* Fills out[AUTH_JOIN_CODE_LEN + 1] with a random school join code from an
 * alphabet without look-alikes (no 0/O, 1/I/L). */
void auth_join_code(char out[AUTH_JOIN_CODE_LEN + 1]);

/* True when s looks like a code we issue: 22..64 of [A-Za-z0-9_-]. */
bool auth_code_valid(const char *s);

/* A secret for a mail link or a device cookie: 256 random bits as 64
 * lower-case hex characters, and the SHA-256 hex of that text, which is
 * all that is stored. */
void auth_secret_new(char secret[65], char hash[65]);

/* The web address of a one-time link: public_url/account.html#anchor=secret
 * (arena-owned).  The one place the API's mails and hgkm-account make
 * their links; store/ only makes and keeps the secret. */
const char *auth_link_url(struct arena *a, const char *public_url,
                          const char *anchor, const char *secret);

/* The stored hash of a secret from a request; false when it does not have
 * the shape of one (64 lower-case hex characters). */
bool auth_secret_hash(const char *secret, char hash[65]);

/* Room for a client key: an IPv6 text address and "/64". */
#define AUTH_CLIENT_KEY_MAX 64

/*
 * The keys of a client address as nginx saw it ($remote_addr), for the
 * login delays.  `pair` keys the per-(account, client) counter: an IPv4
 * address as it is, an IPv6 address as its /64 ("2001:db8:1:2::/64"), as
 * one host usually holds the whole prefix.  `net` keys the per-client cap:
 * the IPv4 address, or the IPv6 /48, one site's usual allocation, so that
 * a host that cycles through its /64s or a site's many /64s share one cap.
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d, from a dual-stack listener)
 * is the IPv4 address.  Text that is no address is used as it is (cut to
 * fit).
 */
void auth_client_keys(const char *remote, char pair[AUTH_CLIENT_KEY_MAX],
                      char net[AUTH_CLIENT_KEY_MAX]);

#endif
