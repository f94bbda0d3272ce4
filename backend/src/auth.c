/*
 * Tokens, passwords and random codes.  libjwt 1.10 takes the algorithm from
 * the token, accepts "none" with an empty key and never looks at exp, so
 * every one of those checks lives here in auth_token_verify().
 */
#include "auth.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"

static int claim_int(json_t *payload, const char *name, long long *out);

/* Passwords people pick when told "at least 12 characters".  Compared
 * case-insensitively. */
static const char *const common_passwords[] = {
    "123456789012",     "1234567890123", "12345678901234", "123456789abc",
    "000000000000",     "111111111111",  "aaaaaaaaaaaa",   "abcdefghijkl",
    "abcdefgh1234",     "qwertyuiopas",  "qwertyuiop12",   "qwerty123456",
    "1qaz2wsx3edc",     "password1234",  "password123!",   "passwordpassword",
    "wachtwoord12",     "wachtwoord123", "wachtwoord1234", "wachtwoord!!",
    "welkomwelkom",     "welkom123456",  "welkom12345!",   "zomer2024zomer",
    "iloveyou1234",     "letmein12345",  "administrator",  "changeme1234",
    "leerkracht12",     "leerkracht123", "basisschool1",   "basisschool12",
    "basisschool123",   "onderwijs123",  "school123456",   "schooljaar12",
    "voetbal12345",     "ajax12345678",  "feyenoord123",   "nederland123",
    "trustno1trustno1", "monkeymonkey",  "sunshine1234",   "princess1234",
    "dragon123456",     "football1234",  "baseball1234",   "superman1234",
};

long long
auth_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

char *
auth_token_issue(struct arena *a, const unsigned char *key, size_t key_len,
                 long long user_id, long long now, int ttl, long long auth_time,
                 struct auth_claims *claims)
{
	unsigned char rnd[AUTH_JTI_LEN / 2];
	char          sub[24];
	jwt_t        *j = NULL;
	char         *enc = NULL, *out = NULL;

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(claims->jti, sizeof(claims->jti), rnd, sizeof(rnd));
	claims->user_id = user_id;
	claims->iat = now;
	claims->exp = now + ttl;
	claims->auth_time = auth_time > 0 ? auth_time : now;
	claims->iat_ms = auth_now_ms();
	/* A token made with a clock passed in (tests) keeps ims within iat. */
	if (claims->iat_ms / 1000 != now)
		claims->iat_ms = now * 1000;
	snprintf(sub, sizeof(sub), "%lld", user_id);
	if (jwt_new(&j) != 0)
		return NULL;
	if (jwt_add_grant(j, "sub", sub) != 0 ||
	    jwt_add_grant(j, "jti", claims->jti) != 0 ||
	    jwt_add_grant_int(j, "iat", (long)claims->iat) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)claims->exp) != 0 ||
	    jwt_add_grant_int(j, "ims", (long)claims->iat_ms) != 0 ||
	    jwt_add_grant_int(j, "auth_time", (long)claims->auth_time) != 0 ||
	    jwt_set_alg(j, JWT_ALG_HS256, key, (int)key_len) != 0)
		goto out;
	enc = jwt_encode_str(j);
	if (enc != NULL)
		out = arena_strdup(a, enc);
out:
	free(enc);
	jwt_free(j);
	return out;
}

/*
 * Checked before libjwt sees a token.  libjwt 1.10 decodes each segment
 * into malloc(padded length): an empty segment gets malloc(0), and both its
 * base64 decoder and jwt_decode then write a byte past it (found by valgrind
 * under `make valgrind`; ASan cannot see inside the library).  A very long
 * segment overflows its alloca().  So: three non-empty base64url segments,
 * bounded in all, and the 43 characters of an HS256 signature.
 */
bool
auth_token_shape_ok(const char *t)
{
	size_t seg_len[3] = {0, 0, 0};
	size_t len = 0;
	int    seg = 0;

	if (t == NULL)
		return false;
	for (; t[len] != '\0'; len++) {
		unsigned char c = (unsigned char)t[len];

		if (len >= AUTH_TOKEN_MAX)
			return false;
		if (c == '.') {
			if (++seg > 2)
				return false;
		} else if (isalnum(c) || c == '-' || c == '_') {
			seg_len[seg]++;
		} else {
			return false;
		}
	}
	return seg == 2 && seg_len[0] > 0 && seg_len[1] > 0 &&
	       seg_len[2] == AUTH_HS256_SIG_CHARS;
}

/* Reads a claim that must be a JSON integer (not a string, not a real). */
static int
claim_int(json_t *payload, const char *name, long long *out)
{
	json_t *v = json_object_get(payload, name);

	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/* The checks of a token's times against now: also on a cached token. */
static bool
claims_times_ok(const struct auth_claims *c, long long now, int max_ttl)
{
	return c->exp > now && c->exp <= now + max_ttl + AUTH_CLOCK_SKEW &&
	       c->iat <= now + AUTH_CLOCK_SKEW;
}

int
auth_token_verify(const unsigned char *key, size_t key_len, const char *token,
                  long long now, int max_ttl, struct auth_claims *claims)
{
	jwt_t      *j = NULL;
	char       *grants = NULL;
	json_t     *payload = NULL;
	const char *alg, *sub, *jti;
	char       *end;
	int         rc = -1;

	memset(claims, 0, sizeof(*claims));
	if (token == NULL || key_len < 32 || !auth_token_shape_ok(token))
		return -1;
	if (jwt_decode(&j, token, key, (int)key_len) != 0 || j == NULL)
		goto out;
	alg = jwt_get_header(j, "alg");
	if (jwt_get_alg(j) != JWT_ALG_HS256 || alg == NULL ||
	    strcmp(alg, "HS256") != 0)
		goto out;
	grants = jwt_get_grants_json(j, NULL);
	if (grants == NULL)
		goto out;
	payload = json_loads(grants, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(payload))
		goto out;
	if (claim_int(payload, "exp", &claims->exp) < 0 ||
	    claim_int(payload, "iat", &claims->iat) < 0 ||
	    !claims_times_ok(claims, now, max_ttl))
		goto out;
	/* Tokens before "ims" existed fall back to iat. */
	if (claim_int(payload, "ims", &claims->iat_ms) < 0)
		claims->iat_ms = claims->iat * 1000;
	/* Tokens before "auth_time" existed: their session began at iat.  A
	 * session cannot begin after its token was issued. */
	if (claim_int(payload, "auth_time", &claims->auth_time) < 0)
		claims->auth_time = claims->iat;
	if (claims->auth_time > claims->iat)
		goto out;
	sub = json_string_value(json_object_get(payload, "sub"));
	if (sub == NULL || !isdigit((unsigned char)sub[0]) || strlen(sub) > 18)
		goto out;
	claims->user_id = strtoll(sub, &end, 10);
	if (*end != '\0' || claims->user_id <= 0)
		goto out;
	jti = json_string_value(json_object_get(payload, "jti"));
	if (jti == NULL || strlen(jti) < 16 || strlen(jti) > 64)
		goto out;
	for (const char *p = jti; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			goto out;
	strcpy(claims->jti, jti);
	rc = 0;
out:
	json_decref(payload);
	free(grants);
	jwt_free(j);
	return rc;
}

struct auth_token_cache *
auth_token_cache_new(void)
{
	struct auth_token_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		randombytes_buf(c->hash_key, sizeof(c->hash_key));
	return c;
}

int
auth_token_verify_cached(struct auth_token_cache *c, const unsigned char *key,
                         size_t key_len, const char *token, long long now,
                         int max_ttl, struct auth_claims *claims)
{
	crypto_generichash_state st;
	unsigned char            h[32];
	size_t                   slot;

	if (c == NULL || token == NULL || key_len < 32 ||
	    !auth_token_shape_ok(token))
		return auth_token_verify(key, key_len, token, now, max_ttl,
		                         claims);
	crypto_generichash_init(&st, c->hash_key, sizeof(c->hash_key),
	                        sizeof(h));
	crypto_generichash_update(&st, key, key_len);
	crypto_generichash_update(&st, (const unsigned char *)token,
	                          strlen(token));
	crypto_generichash_final(&st, h, sizeof(h));
	/* A pair of slots per hash; a new token takes the pair's free or
	 * older one (the first is the newer). */
	slot = (((size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16) %
	        (AUTH_TOKEN_CACHE_SIZE / 2)) *
	       2;
	for (size_t i = slot; i < slot + 2; i++) {
		if (!c->slots[i].used ||
		    sodium_memcmp(c->slots[i].hash, h, sizeof(h)) != 0)
			continue;
		if (!claims_times_ok(&c->slots[i].claims, now, max_ttl)) {
			memset(claims, 0, sizeof(*claims));
			return -1;
		}
		*claims = c->slots[i].claims;
		c->hits++;
		return 0;
	}
	if (auth_token_verify(key, key_len, token, now, max_ttl, claims) != 0)
		return -1;
	c->slots[slot + 1] = c->slots[slot];
	memcpy(c->slots[slot].hash, h, sizeof(h));
	c->slots[slot].claims = *claims;
	c->slots[slot].used = true;
	return 0;
}

int
auth_password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, password, strlen(password),
	                         AUTH_PWHASH_OPS, AUTH_PWHASH_MEM);
}

bool
auth_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *
auth_password_problem(const char *password)
{
	size_t n = json_utf8_chars(password);

	if (n < AUTH_PASSWORD_MIN)
		return "Het wachtwoord moet minstens 12 tekens lang zijn.";
	if (strlen(password) > AUTH_PASSWORD_MAX)
		return "Het wachtwoord is te lang.";
	for (size_t i = 0;
	     i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
		if (strcasecmp(password, common_passwords[i]) == 0)
			return "Dit wachtwoord is te bekend; kies een ander.";
	return NULL;
}

void
auth_random_code(char out[AUTH_CODE_LEN + 1])
{
	unsigned char rnd[16];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(out, AUTH_CODE_LEN + 1, rnd, sizeof(rnd),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
auth_code_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n >= 64 || (!isalnum(c) && c != '-' && c != '_'))
			return false;
	}
	return n >= 22;
}

void
auth_join_code(char out[AUTH_JOIN_CODE_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

	for (int i = 0; i < AUTH_JOIN_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[AUTH_JOIN_CODE_LEN] = '\0';
}

void
auth_secret_new(char secret[65], char hash[65])
{
	unsigned char rnd[32], h[crypto_hash_sha256_BYTES];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(secret, 65, rnd, sizeof(rnd));
	crypto_hash_sha256(h, (const unsigned char *)secret, 64);
	sodium_bin2hex(hash, 65, h, sizeof(h));
	sodium_memzero(rnd, sizeof(rnd));
}

const char *
auth_link_url(struct arena *a, const char *public_url, const char *anchor,
              const char *secret)
{
	return arena_printf(a, "%s/account.html#%s=%s", public_url, anchor,
	                    secret);
}

bool
auth_secret_hash(const char *secret, char hash[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	if (secret == NULL || strlen(secret) != 64 ||
	    strspn(secret, "0123456789abcdef") != 64)
		return false;
	crypto_hash_sha256(h, (const unsigned char *)secret, 64);
	sodium_bin2hex(hash, 65, h, sizeof(h));
	return true;
}

void
auth_client_keys(const char *remote, char pair[AUTH_CLIENT_KEY_MAX],
                 char net[AUTH_CLIENT_KEY_MAX])
{
	struct in6_addr a6;
	char            text[INET6_ADDRSTRLEN];

	if (remote == NULL)
		remote = "";
	if (strchr(remote, ':') == NULL ||
	    inet_pton(AF_INET6, remote, &a6) != 1) {
		snprintf(pair, AUTH_CLIENT_KEY_MAX, "%.*s",
		         AUTH_CLIENT_KEY_MAX - 1, remote);
		snprintf(net, AUTH_CLIENT_KEY_MAX, "%s", pair);
		return;
	}
	/* Else every IPv4 client of a dual-stack listener would be ::/64. */
	if (IN6_IS_ADDR_V4MAPPED(&a6) &&
	    inet_ntop(AF_INET, a6.s6_addr + 12, text, sizeof(text)) != NULL) {
		snprintf(pair, AUTH_CLIENT_KEY_MAX, "%s", text);
		snprintf(net, AUTH_CLIENT_KEY_MAX, "%s", text);
		return;
	}
	memset(a6.s6_addr + 8, 0, 8);
	inet_ntop(AF_INET6, &a6, text, sizeof(text));
	snprintf(pair, AUTH_CLIENT_KEY_MAX, "%s/64", text);
	memset(a6.s6_addr + 6, 0, 2);
	inet_ntop(AF_INET6, &a6, text, sizeof(text));
	snprintf(net, AUTH_CLIENT_KEY_MAX, "%s/48", text);
}
