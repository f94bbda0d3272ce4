/* Unit tests of token checks (fixed key, clock passed in), passwords and
 * codes.  Hostile tokens are built by hand, as an attacker would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

static const unsigned char KEY[] = "0123456789abcdef0123456789abcdef-test";
#define KEYLEN (sizeof(KEY) - 1)
#define NOW 1800000000LL
#define TTL 43200

static struct arena a;

static void  b64(const void *in, size_t len, char *out, size_t outlen);
static char *forge(const char *header, const char *payload, const char *alg);

static void
b64(const void *in, size_t len, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, in, len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* header.payload.signature with HMAC-SHA256/512 or no signature ("none"). */
static char *
forge(const char *header, const char *payload, const char *alg)
{
	char          h[1024], p[1024], sig[200] = "", input[2100];
	unsigned char mac[64];

	b64(header, strlen(header), h, sizeof(h));
	b64(payload, strlen(payload), p, sizeof(p));
	snprintf(input, sizeof(input), "%s.%s", h, p);
	if (strcmp(alg, "HS256") == 0) {
		crypto_auth_hmacsha256_state st;

		crypto_auth_hmacsha256_init(&st, KEY, KEYLEN);
		crypto_auth_hmacsha256_update(&st, (unsigned char *)input,
		                              strlen(input));
		crypto_auth_hmacsha256_final(&st, mac);
		b64(mac, 32, sig, sizeof(sig));
	} else if (strcmp(alg, "HS512") == 0) {
		crypto_auth_hmacsha512_state st;

		crypto_auth_hmacsha512_init(&st, KEY, KEYLEN);
		crypto_auth_hmacsha512_update(&st, (unsigned char *)input,
		                              strlen(input));
		crypto_auth_hmacsha512_final(&st, mac);
		b64(mac, 64, sig, sizeof(sig));
	}
	return arena_printf(&a, "%s.%s", input, sig);
}

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(auth_init(), 0);
	arena_init(&a, 8192);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_destroy(&a);
	return 0;
}

/* A refreshed token carries its session's password login on; a session
 * cannot begin after its token was issued. */
static void
test_auth_time(void **state)
{
	struct auth_claims c, v;
	char              *tok;

	(void)state;
	tok = auth_token_issue(&a, KEY, KEYLEN, 42, NOW, TTL, NOW - 3600, &c);
	assert_non_null(tok);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, tok, NOW, TTL, &v), 0);
	assert_int_equal(v.auth_time, NOW - 3600);
	tok = auth_token_issue(&a, KEY, KEYLEN, 42, NOW, TTL, NOW + 60, &c);
	assert_non_null(tok);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, tok, NOW, TTL, &v), -1);
}

static void
test_roundtrip(void **state)
{
	struct auth_claims c, v;
	char              *tok;

	(void)state;
	tok = auth_token_issue(&a, KEY, KEYLEN, 42, NOW, TTL, 0, &c);
	assert_non_null(tok);
	assert_int_equal(strlen(c.jti), AUTH_JTI_LEN);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, tok, NOW + 10, TTL, &v),
	                 0);
	assert_int_equal(v.user_id, 42);
	assert_int_equal(v.exp, NOW + TTL);
	assert_int_equal(v.auth_time, NOW); /* 0: the session begins now */
	assert_string_equal(v.jti, c.jti);
	/* Expired one second after exp, and under another key. */
	assert_int_equal(
	    auth_token_verify(KEY, KEYLEN, tok, NOW + TTL, TTL, &v), -1);
	assert_int_equal(
	    auth_token_verify(
	        (const unsigned char *)"another key of at least 32 bytes!!", 34,
	        tok, NOW, TTL, &v),
	    -1);
	/* A short key is refused outright (libjwt would allow alg none). */
	assert_int_equal(auth_token_verify(KEY, 16, tok, NOW, TTL, &v), -1);
}

/* The worker's cache of verified tokens gives auth_token_verify's answer:
 * a hit skips only the signature, never the time checks or the key. */
static void
test_token_cache(void **state)
{
	struct auth_token_cache *tc = auth_token_cache_new();
	struct auth_claims       c, v;
	const unsigned char     *other =
	    (const unsigned char *)"another key of at least 32 bytes!!";
	char         *tok, *forged;
	unsigned long hits;

	(void)state;
	assert_non_null(tc);
	tok = auth_token_issue(&a, KEY, KEYLEN, 42, NOW, TTL, 0, &c);
	assert_int_equal(
	    auth_token_verify_cached(tc, KEY, KEYLEN, tok, NOW + 1, TTL, &v),
	    0);
	assert_int_equal(tc->hits, 0);
	assert_int_equal(
	    auth_token_verify_cached(tc, KEY, KEYLEN, tok, NOW + 2, TTL, &v),
	    0);
	assert_int_equal(tc->hits, 1);
	assert_int_equal(v.user_id, 42);
	assert_int_equal(v.iat_ms, c.iat_ms);
	assert_string_equal(v.jti, c.jti);
	/* Expiry holds on a cached token. */
	assert_int_equal(
	    auth_token_verify_cached(tc, KEY, KEYLEN, tok, NOW + TTL, TTL, &v),
	    -1);
	assert_int_equal(v.user_id, 0);
	/* So does the key: the same bytes under another key are refused. */
	assert_int_equal(
	    auth_token_verify_cached(tc, other, 34, tok, NOW + 2, TTL, &v), -1);
	/* A token one (base64url) character away from a cached one is
	 * checked in full, not served from the cache. */
	forged = arena_strdup(&a, tok);
	forged[strlen(forged) - 2] =
	    forged[strlen(forged) - 2] == 'A' ? 'B' : 'A';
	assert_true(auth_token_shape_ok(forged));
	hits = tc->hits;
	assert_int_equal(
	    auth_token_verify_cached(tc, KEY, KEYLEN, forged, NOW + 2, TTL, &v),
	    -1);
	assert_int_equal(tc->hits, hits);
	/* No cache: the plain check. */
	assert_int_equal(
	    auth_token_verify_cached(NULL, KEY, KEYLEN, tok, NOW + 2, TTL, &v),
	    0);
	free(tc);
}

static void
test_hostile_tokens(void **state)
{
	static const struct {
		const char *what, *header, *payload, *alg;
		int         ok;
	} cases[] = {
	    {"valid", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "HS256", 1},
	    {"alg none", "{\"alg\":\"none\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "none", 0},
	    {"HS512 same key", "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "HS512", 0},
	    {"lower-case alg", "{\"alg\":\"hs256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "HS256", 0},
	    {"exp missing", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000}",
	     "HS256", 0},
	    {"exp string", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":\"1800003600\"}",
	     "HS256", 0},
	    {"exp real", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600.5}",
	     "HS256", 0},
	    {"expired", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1790000000,"
	     "\"exp\":1799999999}",
	     "HS256", 0},
	    {"exp too far", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":4611686018427387904}",
	     "HS256", 0},
	    {"iat in the future", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"jti\":\"0123456789abcdef\",\"iat\":1800009999,"
	     "\"exp\":1800003600}",
	     "HS256", 0},
	    {"sub not a number", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7x\",\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "HS256", 0},
	    {"sub integer", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":7,\"jti\":\"0123456789abcdef\",\"iat\":1800000000,"
	     "\"exp\":1800003600}",
	     "HS256", 0},
	    {"jti missing", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	     "{\"sub\":\"7\",\"iat\":1800000000,\"exp\":1800003600}", "HS256",
	     0},
	};
	struct auth_claims c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tok =
		    forge(cases[i].header, cases[i].payload, cases[i].alg);
		int rc = auth_token_verify(KEY, KEYLEN, tok, NOW, TTL, &c);

		if ((rc == 0) != cases[i].ok)
			fail_msg("%s: verify gave %d", cases[i].what, rc);
	}
}

static void
test_token_shape(void **state)
{
	struct auth_claims c;
	char               big[AUTH_TOKEN_MAX + 10];
	char              *tok, *tampered;

	(void)state;
	tok = auth_token_issue(&a, KEY, KEYLEN, 42, NOW, TTL, 0, &c);
	/* Tamper with the payload, keep the signature. */
	tampered = arena_strdup(&a, tok);
	tampered[strchr(tampered, '.') - tampered + 3] ^= 1;
	assert_int_equal(auth_token_verify(KEY, KEYLEN, tampered, NOW, TTL, &c),
	                 -1);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, "", NOW, TTL, &c), -1);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, "a.b", NOW, TTL, &c),
	                 -1);
	assert_int_equal(
	    auth_token_verify(KEY, KEYLEN, "a.b.c.d", NOW, TTL, &c), -1);
	assert_int_equal(
	    auth_token_verify(KEY, KEYLEN, "a b.c.d", NOW, TTL, &c), -1);
	assert_int_equal(auth_token_verify(KEY, KEYLEN, NULL, NOW, TTL, &c),
	                 -1);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = '.';
	big[20] = '.';
	assert_int_equal(auth_token_verify(KEY, KEYLEN, big, NOW, TTL, &c), -1);
	/* Empty segments (libjwt 1.10 writes past a malloc(0) for them) and
	 * signatures of another length never reach libjwt. */
	{
		const char *sig = strrchr(tok, '.') + 1;
		const char *pay = strchr(tok, '.') + 1;
		size_t      hlen = (size_t)(pay - 1 - tok);
		size_t      plen = (size_t)(sig - 1 - pay);

		assert_true(auth_token_shape_ok(tok));
		assert_int_equal(strlen(sig), AUTH_HS256_SIG_CHARS);
		assert_false(auth_token_shape_ok(
		    arena_printf(&a, ".%.*s.%s", (int)plen, pay, sig)));
		assert_false(auth_token_shape_ok(
		    arena_printf(&a, "%.*s..%s", (int)hlen, tok, sig)));
		assert_false(auth_token_shape_ok(arena_printf(
		    &a, "%.*s.%.*s.", (int)hlen, tok, (int)plen, pay)));
		assert_false(auth_token_shape_ok(
		    arena_printf(&a, "%.*s.%.*s.%.42s", (int)hlen, tok,
		                 (int)plen, pay, sig)));
		assert_false(auth_token_shape_ok(arena_printf(
		    &a, "%.*s.%.*s.%sA", (int)hlen, tok, (int)plen, pay, sig)));
		assert_false(auth_token_shape_ok(".."));
		assert_false(auth_token_shape_ok(NULL));
		assert_int_equal(
		    auth_token_verify(
		        KEY, KEYLEN,
		        arena_printf(&a, "%.*s..%s", (int)hlen, tok, sig), NOW,
		        TTL, &c),
		    -1);
	}
	/* "=" padding appended to the signature is refused. */
	assert_int_equal(auth_token_verify(KEY, KEYLEN,
	                                   arena_printf(&a, "%s=", tok), NOW,
	                                   TTL, &c),
	                 -1);
}

static void
test_passwords(void **state)
{
	char hash[crypto_pwhash_STRBYTES];

	(void)state;
	assert_int_equal(auth_password_hash("correct horse battery", hash), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_non_null(strstr(hash, "m=19456,t=2"));
	assert_true(auth_password_verify(hash, "correct horse battery"));
	assert_false(auth_password_verify(hash, "correct horse batterx"));
	assert_null(auth_password_problem("correct horse battery"));
	assert_non_null(auth_password_problem("short"));
	assert_non_null(auth_password_problem("elf tekens!")); /* 11 */
	assert_null(auth_password_problem("twaalf teken"));    /* 12 */
	assert_non_null(auth_password_problem("Wachtwoord123"));
	assert_non_null(auth_password_problem("123456789012"));
}

static void
test_codes(void **state)
{
	char c1[AUTH_CODE_LEN + 1], c2[AUTH_CODE_LEN + 1];

	(void)state;
	auth_random_code(c1);
	auth_random_code(c2);
	assert_int_equal(strlen(c1), 22);
	assert_string_not_equal(c1, c2);
	assert_true(auth_code_valid(c1));
	assert_false(auth_code_valid("short"));
	assert_false(auth_code_valid("abcdefghijklmnopqrstu/"));
	assert_false(auth_code_valid("abcdefghijklmnopqrstu%"));
	assert_false(auth_code_valid(NULL));
}

/* The keys of the login delays (handlers/auth.c): an IPv4-mapped IPv6
 * address is its IPv4 address; IPv6 is its /64 for the pair and its /48
 * for the per-client cap. */
static void
test_client_keys(void **state)
{
	char pair[AUTH_CLIENT_KEY_MAX], net[AUTH_CLIENT_KEY_MAX];

	(void)state;
	auth_client_keys("192.0.2.7", pair, net);
	assert_string_equal(pair, "192.0.2.7");
	assert_string_equal(net, "192.0.2.7");
	/* Before, every client of a dual-stack listener was "::/64". */
	auth_client_keys("::ffff:192.0.2.7", pair, net);
	assert_string_equal(pair, "192.0.2.7");
	assert_string_equal(net, "192.0.2.7");
	auth_client_keys("::FFFF:198.51.100.1", pair, net);
	assert_string_equal(pair, "198.51.100.1");
	auth_client_keys("2001:db8:1:2:3:4:5:6", pair, net);
	assert_string_equal(pair, "2001:db8:1:2::/64");
	assert_string_equal(net, "2001:db8:1::/48");
	auth_client_keys("2001:db8:1:ffff::1", pair, net);
	assert_string_equal(pair, "2001:db8:1:ffff::/64");
	assert_string_equal(net, "2001:db8:1::/48");
	auth_client_keys("2001:db8:aaaa:bbbb:cccc::", pair, net);
	assert_string_equal(net, "2001:db8:aaaa::/48");
	auth_client_keys("::1", pair, net);
	assert_string_equal(pair, "::/64");
	assert_string_equal(net, "::/48");
	/* Not an address: used as it is. */
	auth_client_keys("unix:", pair, net);
	assert_string_equal(pair, "unix:");
	assert_string_equal(net, "unix:");
	auth_client_keys(NULL, pair, net);
	assert_string_equal(pair, "");
}

/* A secret is 64 lower-case hex characters; only its hash is kept. */
static void
test_secrets(void **state)
{
	char s1[65], h1[65], s2[65], h2[65], again[65];

	(void)state;
	auth_secret_new(s1, h1);
	auth_secret_new(s2, h2);
	assert_int_equal(strlen(s1), 64);
	assert_int_equal(strspn(s1, "0123456789abcdef"), 64);
	assert_string_not_equal(s1, s2);
	assert_string_not_equal(s1, h1);
	assert_true(auth_secret_hash(s1, again));
	assert_string_equal(again, h1);
	assert_false(auth_secret_hash(NULL, again));
	assert_false(auth_secret_hash("abc", again));
	s2[0] = 'G';
	assert_false(auth_secret_hash(s2, again));
	/* The SHA-256 of 64 "0": a fixed value, so the hash is SHA-256. */
	assert_true(auth_secret_hash(
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    again));
	assert_string_equal(
	    again,
	    "60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55");
}

/* A one-time link's address: the page account.html takes the secret
 * after the anchor of its kind. */
static void
test_link_url(void **state)
{
	(void)state;
	assert_string_equal(
	    auth_link_url(&a, "https://leren.example.nl", "reset", "00ff"),
	    "https://leren.example.nl/account.html#reset=00ff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_auth_time),
	    cmocka_unit_test(test_token_cache),
	    cmocka_unit_test(test_hostile_tokens),
	    cmocka_unit_test(test_token_shape),
	    cmocka_unit_test(test_passwords),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_client_keys),
	    cmocka_unit_test(test_secrets),
	    cmocka_unit_test(test_link_url),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
