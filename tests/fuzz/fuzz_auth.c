/* Fuzz target: auth_token_verify on token strings, with a fixed key and a
 * fixed clock. */

/*
 * The first byte picks one of three modes:
 *
 *  0. The rest (up to a NUL) is a token as a client sends it.  No such
 *     token may ever verify: the seeds are signed with another key, with
 *     "none", or with our key but expired, and the fuzzer cannot sign.
 *  1. The rest is a header and a payload JSON text separated by a NUL; the
 *     harness signs them with our key (HMAC-SHA256, libsodium) and verifies
 *     the result.  Whatever verifies must meet every rule of auth.h, as
 *     read here from the payload with jansson: alg exactly HS256, integer
 *     exp in (now, now + max_ttl + skew], integer iat <= now + skew, sub
 *     1-18 digits above 0, jti 16-64 of [A-Za-z0-9_-], and the claims
 *     handed back are the ones in the payload.
 *  2. The rest gives a user id, an issue time and a ttl for
 *     auth_token_issue; the token must verify exactly when those values
 *     meet the same rules.
 */
#include <jansson.h>
#include <sodium.h>

#include "arena.h"
#include "auth.h"
#include "fuzz_common.h"

#define NOW 1800000000LL /* 2027-01-15T08:00:00Z */
#define MAX_TTL 43200

static const unsigned char key[] = "fuzz-key-0123456789abcdef0123456789abcdef";
#define KEY_LEN (sizeof(key) - 1)

static struct arena arena;

static char *
b64url(const void *p, size_t n)
{
	size_t len = sodium_base64_encoded_len(
	    n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(len);

	sodium_bin2base64(out, len, p, n,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* header.payload.signature, signed with `key`. */
static char *
sign(const char *header, const char *payload)
{
	unsigned char                mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char                        *h = b64url(header, strlen(header));
	char                        *p = b64url(payload, strlen(payload));
	char                        *input, *sig, *tok;

	if (asprintf(&input, "%s.%s", h, p) < 0)
		abort();
	crypto_auth_hmacsha256_init(&st, key, KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (unsigned char *)input,
	                              strlen(input));
	crypto_auth_hmacsha256_final(&st, mac);
	sig = b64url(mac, sizeof(mac));
	if (asprintf(&tok, "%s.%s", input, sig) < 0)
		abort();
	free(h);
	free(p);
	free(input);
	free(sig);
	return tok;
}

static bool
id_chars(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* A token that verified: its header and payload must meet every rule. */
static void
check_accepted(const char *header, const char *payload,
               const struct auth_claims *c)
{
	json_t     *h = json_loads(header, 0, NULL);
	json_t     *p = json_loads(payload, 0, NULL);
	json_t     *exp, *iat;
	const char *alg, *sub, *jti;

	FUZZ_CHECK(json_is_object(h) && json_is_object(p),
	           "verified a token whose header or payload is not an "
	           "object: %s / %s",
	           header, payload);
	alg = json_string_value(json_object_get(h, "alg"));
	FUZZ_CHECK(alg != NULL && strcmp(alg, "HS256") == 0, "verified alg %s",
	           alg ? alg : "(none)");
	exp = json_object_get(p, "exp");
	iat = json_object_get(p, "iat");
	FUZZ_CHECK(json_is_integer(exp) && json_integer_value(exp) > NOW &&
	               json_integer_value(exp) <=
	                   NOW + MAX_TTL + AUTH_CLOCK_SKEW,
	           "verified exp outside (now, now + ttl]: %s", payload);
	FUZZ_CHECK(json_is_integer(iat) &&
	               json_integer_value(iat) <= NOW + AUTH_CLOCK_SKEW,
	           "verified iat in the future: %s", payload);
	sub = json_string_value(json_object_get(p, "sub"));
	FUZZ_CHECK(sub != NULL && strlen(sub) >= 1 && strlen(sub) <= 18 &&
	               strspn(sub, "0123456789") == strlen(sub) &&
	               strtoll(sub, NULL, 10) > 0,
	           "verified sub: %s", payload);
	jti = json_string_value(json_object_get(p, "jti"));
	FUZZ_CHECK(jti != NULL && id_chars(jti, 16, 64), "verified jti: %s",
	           payload);
	FUZZ_CHECK(c->user_id == strtoll(sub, NULL, 10) &&
	               c->exp == json_integer_value(exp) &&
	               c->iat == json_integer_value(iat) &&
	               strcmp(c->jti, jti) == 0,
	           "claims differ from the payload %s", payload);
	json_decref(h);
	json_decref(p);
}

static uint64_t
take(const uint8_t **p, size_t *n, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++) {
		v = v << 8;
		if (*n > 0) {
			v |= **p;
			(*p)++;
			(*n)--;
		}
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool        ready;
	struct auth_claims c;
	int                rc;

	if (!ready) {
		FUZZ_CHECK(auth_init() == 0, "sodium_init");
		arena_init(&arena, 4096);
		ready = true;
	}
	if (size == 0)
		return 0;

	switch (data[0] % 3) {
	case 0: {
		char *tok = fuzz_cstr(data + 1, size - 1);

		rc = auth_token_verify(key, KEY_LEN, tok, NOW, MAX_TTL, &c);
		FUZZ_CHECK(rc != 0, "a token we never signed verified: %s",
		           tok);
		free(tok);
		break;
	}
	case 1: {
		size_t         hl, pl;
		const uint8_t *h = fuzz_part(data + 1, size - 1, 0, &hl);
		const uint8_t *p = fuzz_part(data + 1, size - 1, 1, &pl);
		char          *header, *payload, *tok;

		if (p == NULL)
			return 0;
		header = fuzz_cstr(h, hl);
		payload = fuzz_cstr(p, pl);
		tok = sign(header, payload);
		rc = auth_token_verify(key, KEY_LEN, tok, NOW, MAX_TTL, &c);
		if (rc == 0)
			check_accepted(header, payload, &c);
		free(tok);
		free(header);
		free(payload);
		break;
	}
	default: {
		const uint8_t *p = data + 1;
		size_t         n = size - 1;
		long long      uid = (long long)take(&p, &n, 8);
		long long      at = NOW + (int32_t)take(&p, &n, 4) % 200000;
		int            ttl = (int)(take(&p, &n, 2) % (MAX_TTL + 200));
		/* The session's login: 0 (now), or up to a day before the token,
		 * or (refused) a little after it. */
		long long auth_time =
		    (long long)(take(&p, &n, 3) % 100000) - 90000;
		long long session = auth_time == -90000 ? 0 : at + auth_time;
		struct auth_claims issued;
		char              *tok;
		bool               want;

		tok = auth_token_issue(&arena, key, KEY_LEN, uid, at, ttl,
		                       session, &issued);
		FUZZ_CHECK(tok != NULL, "auth_token_issue failed");
		rc = auth_token_verify(key, KEY_LEN, tok, NOW, MAX_TTL, &c);
		want = uid > 0 && uid < 1000000000000000000LL &&
		       at + ttl > NOW &&
		       at + ttl <= NOW + MAX_TTL + AUTH_CLOCK_SKEW &&
		       at <= NOW + AUTH_CLOCK_SKEW &&
		       (session <= 0 || session <= at);
		FUZZ_CHECK((rc == 0) == want,
		           "uid %lld issued at now%+lld for %d s: verify %d, "
		           "want %d",
		           uid, at - NOW, ttl, rc, want ? 0 : -1);
		if (rc == 0)
			FUZZ_CHECK(c.user_id == uid && c.exp == at + ttl &&
			               c.iat == at &&
			               c.auth_time == (session > 0 ? session : at) &&
			               strcmp(c.jti, issued.jti) == 0,
			           "claims of an issued token differ");
		break;
	}
	}
	arena_reset(&arena);
	return 0;
}
