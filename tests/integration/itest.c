/* Integration suite helpers: HTTP over libcurl, JSON checks, users, JWTs. */
#include "itest.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libpq-fe.h>
#include <sodium.h>

/* A pending release at the end of the current test. */
struct keep {
	struct keep *next;
	void        *p;
	void (*fn)(void *);
};

/* Growing byte buffer for curl callbacks. */
struct buf {
	char  *p;
	size_t len;
	size_t cap;
};

static int    buf_append(struct buf *b, const char *data, size_t n);
static size_t body_cb(char *ptr, size_t size, size_t nmemb, void *ud);
static size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud);
static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud);
static char  *header_value(const char *headers, const char *name, bool all);
static void   resp_free(void *p);
static void   json_free(void *p);
static void   body_excerpt(const struct itest_resp *r, char *out, size_t cap);
static bool   is_snake_case(const char *s);
static const char *shape_problem(const struct itest_resp *r, const char **code);
static char       *read_file(const char *path, size_t *len);
static char       *tsv_field(const char *path, const char *key, size_t key_col,
                             size_t want_col, size_t *nth);
static json_t     *member(const json_t *obj, const char *key, const char *type,
                          bool ok);
static void        jwt_release(void *p);
static void        module_load(void);
static json_t     *module_answers(const json_t *questions, bool right);
static PGresult   *db_query(PGconn **conn, const char *sql, const char *p1,
                            const char *p2);

static pthread_mutex_t keep_lock = PTHREAD_MUTEX_INITIALIZER;
static struct keep    *keep_list;

/* Process lifetime: loaded once on the main thread, before any worker. */
static unsigned char      *secret;
static size_t              secret_len;
static struct itest_module module;
static bool                module_loaded;

int
itest_global_init(void)
{
	static const char *const vars[] = {"BASE_URL",        "DATABASE_URL",
	                                   "JWT_SECRET_FILE", "DEMO_ACCOUNTS",
	                                   "JOIN_CODES",      "CONTENT_DIR"};
	int                      rc = 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "itest: sodium_init failed\n");
		return -1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "itest: curl_global_init failed\n");
		return -1;
	}
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v == NULL || *v == '\0') {
			fprintf(stderr,
			        "itest: %s is not set (source "
			        "var/test/env)\n",
			        vars[i]);
			rc = -1;
		}
	}
	if (rc == 0) {
		secret = (unsigned char *)read_file(getenv("JWT_SECRET_FILE"),
		                                    &secret_len);
		if (secret == NULL) {
			fprintf(stderr,
			        "itest: cannot read JWT_SECRET_FILE "
			        "%s\n",
			        getenv("JWT_SECRET_FILE"));
			rc = -1;
		}
	}
	return rc;
}

void
itest_global_cleanup(void)
{
	itest_teardown(NULL);
	if (module_loaded) {
		json_decref(module.doc);
		free(module.right_body);
		free(module.wrong_body);
		memset(&module, 0, sizeof(module));
		module_loaded = false;
	}
	if (secret != NULL) {
		sodium_memzero(secret, secret_len);
		free(secret);
		secret = NULL;
	}
	curl_global_cleanup();
}

int
itest_teardown(void **state)
{
	struct keep *k;

	(void)state;
	pthread_mutex_lock(&keep_lock);
	k = keep_list;
	keep_list = NULL;
	pthread_mutex_unlock(&keep_lock);
	while (k != NULL) {
		struct keep *next = k->next;

		k->fn(k->p);
		free(k);
		k = next;
	}
	return 0;
}

void *
itest_keep(void *p, void (*fn)(void *))
{
	struct keep *k;

	if (p == NULL)
		return NULL;
	k = malloc(sizeof(*k));
	if (k == NULL) {
		fn(p);
		fail_msg("out of memory");
		return NULL;
	}
	k->p = p;
	k->fn = fn;
	pthread_mutex_lock(&keep_lock);
	k->next = keep_list;
	keep_list = k;
	pthread_mutex_unlock(&keep_lock);
	return p;
}

json_t *
itest_keep_json(json_t *j)
{
	return itest_keep(j, json_free);
}

char *
itest_fmt(const char *fmt, ...)
{
	va_list ap;
	char   *s = NULL;
	int     n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fail_msg("out of memory");
	return itest_keep(s, free);
}

const char *
itest_env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0')
		fail_msg("environment variable %s is not set", name);
	return v;
}

char *
itest_random_hex(size_t nbytes)
{
	unsigned char raw[64];
	char         *hex;

	assert_true(nbytes > 0 && nbytes <= sizeof(raw));
	randombytes_buf(raw, nbytes);
	hex = malloc(nbytes * 2 + 1);
	assert_non_null(hex);
	sodium_bin2hex(hex, nbytes * 2 + 1, raw, nbytes);
	return itest_keep(hex, free);
}

/* HTTP. */

static int
buf_append(struct buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char  *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static size_t
body_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	if (buf_append(ud, ptr, size * nmemb) != 0)
		return 0;
	return size * nmemb;
}

/* Keeps the header block of the last response only (drops 100 Continue). */
static size_t
header_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct buf *b = ud;
	size_t      n = size * nmemb;

	if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0)
		b->len = 0;
	if (buf_append(b, ptr, n) != 0)
		return 0;
	return n;
}

/* Source of a chunked body. */
struct reader {
	const char *p;
	size_t      left;
};

static size_t
read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct reader *rd = ud;
	size_t         n = size * nmemb;

	if (n > rd->left)
		n = rd->left;
	if (n > 65536)
		n = 65536;
	memcpy(ptr, rd->p, n);
	rd->p += n;
	rd->left -= n;
	return n;
}

/*
 * The value of header `name` in a raw header block, heap-allocated, or NULL.
 * With all, every occurrence joined by '\n'.
 */
static char *
header_value(const char *headers, const char *name, bool all)
{
	struct buf  out = {0};
	size_t      nlen = strlen(name);
	const char *line = headers;

	while (line != NULL && *line != '\0') {
		const char *eol = strstr(line, "\r\n");
		size_t      llen = eol ? (size_t)(eol - line) : strlen(line);

		if (llen > nlen && line[nlen] == ':' &&
		    strncasecmp(line, name, nlen) == 0) {
			const char *v = line + nlen + 1;
			const char *end = line + llen;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (out.len > 0 && buf_append(&out, "\n", 1) != 0)
				break;
			if (buf_append(&out, v, (size_t)(end - v)) != 0)
				break;
			if (!all)
				break;
		}
		line = eol ? eol + 2 : NULL;
	}
	if (out.p == NULL && out.len == 0)
		return NULL;
	return out.p;
}

int
itest_perform(const struct itest_req *rq, struct itest_resp *out)
{
	CURL              *h;
	struct curl_slist *hdrs = NULL;
	struct buf         body = {0}, head = {0};
	struct reader      rd;
	const char        *base = getenv("BASE_URL");
	const char        *method = rq->method ? rq->method : "GET";
	char              *url = NULL, *line = NULL;
	char              *ct = NULL;
	size_t             blen, baselen;
	CURLcode           cc;
	int                rc = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->what, sizeof(out->what), "%s %.140s", method, rq->path);
	if (base == NULL)
		base = "http://127.0.0.1:8081";
	baselen = strlen(base);
	while (baselen > 0 && base[baselen - 1] == '/')
		baselen--;
	if (asprintf(&url, "%.*s%s", (int)baselen, base, rq->path) < 0)
		return -1;
	h = curl_easy_init();
	if (h == NULL) {
		free(url);
		snprintf(out->curl_error, sizeof(out->curl_error),
		         "curl_easy_init failed");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &head);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, out->curl_error);
	if (rq->source != NULL)
		curl_easy_setopt(h, CURLOPT_INTERFACE,
		                 rq->source); /* any 127/8 address is local */

	blen = rq->body ? (rq->body_len ? rq->body_len : strlen(rq->body)) : 0;
	if (rq->body != NULL && rq->chunked) {
		rd.p = rq->body;
		rd.left = blen;
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(h, CURLOPT_READDATA, &rd);
		hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	} else if (rq->body != NULL || strcmp(method, "POST") == 0 ||
	           strcmp(method, "PUT") == 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)blen);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
		                 rq->body ? rq->body : "");
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	/* curl adds a form Content-Type to bodies unless told otherwise. */
	if (rq->content_type != NULL) {
		if (asprintf(&ct, "Content-Type: %s", rq->content_type) >= 0)
			hdrs = curl_slist_append(hdrs, ct);
	} else {
		hdrs = curl_slist_append(hdrs, "Content-Type:");
	}
	if (rq->bearer != NULL &&
	    asprintf(&line, "Authorization: Bearer %s", rq->bearer) >= 0) {
		hdrs = curl_slist_append(hdrs, line);
		free(line);
		line = NULL;
	}
	if (rq->cookie != NULL &&
	    asprintf(&line, "Cookie: session=%s", rq->cookie) >= 0) {
		hdrs = curl_slist_append(hdrs, line);
		free(line);
		line = NULL;
	}
	for (size_t i = 0; i < sizeof(rq->headers) / sizeof(rq->headers[0]) &&
	                   rq->headers[i] != NULL;
	     i++)
		hdrs = curl_slist_append(hdrs, rq->headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (cc != CURLE_OK && out->curl_error[0] == '\0')
		snprintf(out->curl_error, sizeof(out->curl_error), "%s",
		         curl_easy_strerror(cc));
	if (out->status == 0)
		rc = -1;

	out->body = body.p ? body.p : calloc(1, 1);
	out->len = body.len;
	out->headers = head.p ? head.p : calloc(1, 1);
	out->content_type = header_value(out->headers, "Content-Type", false);
	out->set_cookie = header_value(out->headers, "Set-Cookie", true);
	out->allow = header_value(out->headers, "Allow", false);
	if (out->body != NULL && out->len > 0)
		out->json = json_loadb(out->body, out->len,
		                       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(ct);
	free(url);
	return rc;
}

void
itest_resp_release(struct itest_resp *r)
{
	free(r->body);
	free(r->content_type);
	free(r->set_cookie);
	free(r->allow);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

static void
resp_free(void *p)
{
	itest_resp_release(p);
	free(p);
}

static void
json_free(void *p)
{
	json_decref(p);
}

struct itest_resp *
itest_do(const struct itest_req *rq)
{
	struct itest_resp *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	itest_keep(r, resp_free);
	if (itest_perform(rq, r) != 0)
		fail_msg("%s: no HTTP response (%s); is the test stack up at "
		         "BASE_URL?",
		         r->what, r->curl_error);
	return r;
}

struct itest_resp *
itest_get(const char *path, const char *token)
{
	struct itest_req rq = {.method = "GET", .path = path, .bearer = token};

	return itest_do(&rq);
}

struct itest_resp *
itest_post_json(const char *path, const char *token, const char *json_text)
{
	struct itest_req rq = {.method = "POST",
	                       .path = path,
	                       .bearer = token,
	                       .body = json_text,
	                       .content_type = "application/json"};

	return itest_do(&rq);
}

struct itest_resp *
itest_put(const char *path, const char *token, const char *json_text)
{
	struct itest_req rq = {.method = "PUT",
	                       .path = path,
	                       .bearer = token,
	                       .body = json_text,
	                       .content_type =
	                           json_text ? "application/json" : NULL};

	return itest_do(&rq);
}

/* Assertions. */

static void
body_excerpt(const struct itest_resp *r, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < r->len && n + 5 < cap && i < 600; i++) {
		unsigned char c = (unsigned char)r->body[i];

		if (c >= 0x20 && c < 0x7f) {
			out[n++] = (char)c;
		} else {
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
		}
	}
	out[n] = '\0';
}

void
itest_expect_status_at(const struct itest_resp *r, long status,
                       const char *file, int line)
{
	char ex[700];

	if (r->status == status)
		return;
	body_excerpt(r, ex, sizeof(ex));
	print_error("%s: expected HTTP %ld, got %ld (Content-Type: %s)\n"
	            "  body: %s\n",
	            r->what, status, r->status,
	            r->content_type ? r->content_type : "-", ex);
	_fail(file, line);
}

json_t *
itest_expect_json_at(const struct itest_resp *r, long status, const char *file,
                     int line)
{
	char ex[700];

	itest_expect_status_at(r, status, file, line);
	if (r->content_type == NULL ||
	    strcasecmp(r->content_type, ITEST_CT_JSON) != 0) {
		print_error("%s: expected Content-Type \"%s\", got \"%s\"\n",
		            r->what, ITEST_CT_JSON,
		            r->content_type ? r->content_type : "(none)");
		_fail(file, line);
	}
	if (r->json == NULL) {
		body_excerpt(r, ex, sizeof(ex));
		print_error("%s: body is not JSON: %s\n", r->what, ex);
		_fail(file, line);
	}
	return r->json;
}

static bool
is_snake_case(const char *s)
{
	if (!islower((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* NULL when r has the JSON error shape (and *code is set), else why not. */
static const char *
shape_problem(const struct itest_resp *r, const char **code)
{
	json_t *err, *c, *msg;

	*code = "";
	if (r->content_type == NULL ||
	    strcasecmp(r->content_type, ITEST_CT_JSON) != 0)
		return "Content-Type is not application/json; charset=utf-8";
	if (!json_is_object(r->json))
		return "body is not a JSON object";
	if (!json_is_object(err = json_object_get(r->json, "error")))
		return "no \"error\" object";
	if (!json_is_string(c = json_object_get(err, "code")) ||
	    !is_snake_case(json_string_value(c)))
		return "error.code is not a snake_case string";
	if (!json_is_string(msg = json_object_get(err, "message")) ||
	    json_string_length(msg) == 0)
		return "error.message is not a non-empty string";
	*code = json_string_value(c);
	return NULL;
}

const char *
itest_error_code_at(const struct itest_resp *r, const char *file, int line)
{
	const char *code;
	const char *why = shape_problem(r, &code);
	char        ex[700];

	if (why != NULL) {
		body_excerpt(r, ex, sizeof(ex));
		print_error("%s -> HTTP %ld: error shape broken: %s\n"
		            "  Content-Type: %s\n  body: %s\n",
		            r->what, r->status, why,
		            r->content_type ? r->content_type : "(none)", ex);
		_fail(file, line);
		return "";
	}
	return code;
}

bool
itest_soft_error(const struct itest_resp *r, long status, const char *code)
{
	const char *got;
	const char *why = shape_problem(r, &got);
	char        ex[700];
	char        msg[160];

	if (status == 0 ? (r->status < 400 || r->status > 499)
	                : r->status != status) {
		if (status == 0)
			snprintf(msg, sizeof(msg), "expected a 4xx");
		else
			snprintf(msg, sizeof(msg), "expected HTTP %ld", status);
		why = msg;
	} else if (why == NULL && code != NULL && strcmp(got, code) != 0) {
		snprintf(msg, sizeof(msg),
		         "expected error.code \"%s\", got "
		         "\"%s\"",
		         code, got);
		why = msg;
	}
	if (why == NULL)
		return true;
	body_excerpt(r, ex, sizeof(ex));
	print_error("  %s -> HTTP %ld (%s): %s\n    body: %.200s\n", r->what,
	            r->status, r->content_type ? r->content_type : "no type",
	            why, ex);
	return false;
}

json_t *
itest_expect_error_at(const struct itest_resp *r, long status, const char *code,
                      const char *file, int line)
{
	const char *got;
	char        ex[700];

	itest_expect_status_at(r, status, file, line);
	got = itest_error_code_at(r, file, line);
	if (strcmp(got, code) != 0) {
		body_excerpt(r, ex, sizeof(ex));
		print_error("%s -> HTTP %ld: expected error.code \"%s\", got "
		            "\"%s\"\n  body: %s\n",
		            r->what, r->status, code, got, ex);
		_fail(file, line);
	}
	return json_object_get(r->json, "error");
}

void
itest_expect_4xx_at(const struct itest_resp *r, const char *file, int line)
{
	char ex[700];

	if (r->status < 400 || r->status > 499) {
		body_excerpt(r, ex, sizeof(ex));
		print_error("%s: expected a 4xx for bad input, got HTTP %ld\n"
		            "  body: %s\n",
		            r->what, r->status, ex);
		_fail(file, line);
	}
	(void)itest_error_code_at(r, file, line);
}

char *
itest_header(const struct itest_resp *r, const char *name)
{
	return itest_keep(header_value(r->headers, name, false), free);
}

/* JSON helpers. */

static json_t *
member(const json_t *obj, const char *key, const char *type, bool ok)
{
	json_t *v = json_object_get(obj, key);

	if (!ok) {
		char *txt = json_dumps(obj, JSON_COMPACT | JSON_ENCODE_ANY);

		print_error("member \"%s\" missing or not %s in %.500s\n", key,
		            type, txt ? txt : "(null)");
		free(txt);
		fail();
	}
	return v;
}

const char *
itest_jstr(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	member(obj, key, "a string", json_is_string(v));
	return json_string_value(v);
}

long
itest_jint(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	member(obj, key, "an integer", json_is_integer(v));
	return (long)json_integer_value(v);
}

bool
itest_jbool(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	member(obj, key, "a boolean", json_is_boolean(v));
	return json_is_true(v);
}

json_t *
itest_jobj(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return member(obj, key, "an object", json_is_object(v));
}

json_t *
itest_jarr(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return member(obj, key, "an array", json_is_array(v));
}

char *
itest_dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	assert_non_null(s);
	return itest_keep(s, free);
}

bool
itest_json_has_key(const json_t *v, const char *key)
{
	const char *k;
	json_t     *child;
	size_t      i;

	if (json_is_object(v)) {
		json_object_foreach ((json_t *)v, k, child) {
			if (strcmp(k, key) == 0 ||
			    itest_json_has_key(child, key))
				return true;
		}
	} else if (json_is_array(v)) {
		json_array_foreach (v, i, child) {
			if (itest_json_has_key(child, key))
				return true;
		}
	}
	return false;
}

bool
itest_json_has_text(const json_t *v, const char *needle)
{
	const char *k;
	json_t     *child;
	size_t      i;

	if (json_is_string(v))
		return strstr(json_string_value(v), needle) != NULL;
	if (json_is_object(v)) {
		json_object_foreach ((json_t *)v, k, child) {
			if (itest_json_has_text(child, needle))
				return true;
		}
	} else if (json_is_array(v)) {
		json_array_foreach (v, i, child) {
			if (itest_json_has_text(child, needle))
				return true;
		}
	}
	return false;
}

bool
itest_parse_time(const char *s, time_t *out)
{
	struct tm   tm;
	int         y, mo, d, h, mi, se, n = 0;
	const char *p;

	if (s == NULL || strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return false;
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	           &se, &n) != 6 ||
	    n != 19)
		return false;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (strcmp(p, "Z") != 0 && strcmp(p, "z") != 0 &&
	    strcmp(p, "+00:00") != 0)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	return true;
}

time_t
itest_expect_time_at(const char *s, const char *file, int line)
{
	time_t t = 0;

	if (!itest_parse_time(s, &t)) {
		print_error("not an RFC 3339 UTC time: \"%s\"\n",
		            s ? s : "(null)");
		_fail(file, line);
	}
	return t;
}

/* Users. */

struct itest_resp *
itest_login(const char *email, const char *password)
{
	json_t *b =
	    json_pack("{s:s, s:s}", "email", email, "password", password);
	char *text;

	assert_non_null(b);
	itest_keep(b, json_free);
	text = itest_dump(b);
	return itest_post_json("/api/v1/auth/login", NULL, text);
}

char *
itest_login_token(const char *email, const char *password)
{
	struct itest_resp *r = itest_login(email, password);
	json_t            *j = itest_expect_json(r, 200);

	return itest_fmt("%s", itest_jstr(j, "token"));
}

char *
itest_unique_email(void)
{
	return itest_fmt("it-%s@example.nl", itest_random_hex(8));
}

char *
itest_strong_password(void)
{
	return itest_fmt("Zonnebloem-%s-Kade", itest_random_hex(6));
}

char *
itest_register_body(const char *email, const char *password, const char *name,
                    const char *join_code)
{
	json_t *b =
	    json_pack("{s:s, s:s, s:s, s:s}", "email", email, "password",
	              password, "name", name, "join_code", join_code);

	assert_non_null(b);
	itest_keep(b, json_free);
	return itest_dump(b);
}

struct itest_user *
itest_new_teacher(void)
{
	struct itest_user *u = calloc(1, sizeof(*u));
	struct itest_resp *r;
	const char        *code = itest_join_code(0);
	json_t            *j, *user, *sid;

	assert_non_null(u);
	itest_keep(u, free);
	assert_non_null(code);
	snprintf(u->email, sizeof(u->email), "%s", itest_unique_email());
	snprintf(u->password, sizeof(u->password), "%s",
	         itest_strong_password());
	/* A non-ASCII name checks that UTF-8 survives the round trip. */
	snprintf(u->name, sizeof(u->name),
	         "Inge van Dijk-\xc3\x96zt\xc3\xbcrk %s", itest_random_hex(3));
	r = itest_post_json(
	    "/api/v1/auth/register", NULL,
	    itest_register_body(u->email, u->password, u->name, code));
	j = itest_expect_json(r, 201);
	user = itest_jobj(j, "user");
	u->id = itest_jint(user, "id");
	sid = json_object_get(user, "school_id");
	u->school_id =
	    json_is_integer(sid) ? (long)json_integer_value(sid) : -1;
	if (strlen(itest_jstr(j, "token")) >= sizeof(u->token))
		fail_msg("token of %zu bytes", strlen(itest_jstr(j, "token")));
	snprintf(u->token, sizeof(u->token), "%s", itest_jstr(j, "token"));
	return u;
}

/* TSV files. */

static char *
read_file(const char *path, size_t *len)
{
	FILE      *f = fopen(path, "rb");
	struct buf b = {0};
	char       chunk[8192];
	size_t     n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) != 0) {
			free(b.p);
			fclose(f);
			return NULL;
		}
	}
	fclose(f);
	if (b.p == NULL)
		b.p = calloc(1, 1);
	*len = b.len;
	return b.p;
}

/*
 * Column want_col (0-based, heap copy) of the first line whose column key_col
 * equals key, or, with key NULL, of the nth data line (*nth counts down).
 * Lines starting with '#' are comments.
 */
static char *
tsv_field(const char *path, const char *key, size_t key_col, size_t want_col,
          size_t *nth)
{
	size_t len = 0;
	char  *text = read_file(path, &len), *save = NULL, *line, *res = NULL;

	if (text == NULL)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line != NULL && res == NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char  *cols[8] = {0};
		size_t ncol = 0;
		char  *p = line;

		if (*line == '#' || *line == '\0' || *line == '\r')
			continue;
		line[strcspn(line, "\r")] = '\0';
		while (ncol < 8) {
			cols[ncol++] = p;
			p = strchr(p, '\t');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (want_col >= ncol || key_col >= ncol)
			continue;
		if (key != NULL) {
			if (strcmp(cols[key_col], key) == 0)
				res = strdup(cols[want_col]);
		} else if (strcasecmp(cols[want_col], "join_code") != 0 &&
		           strcasecmp(cols[want_col], "join code") != 0) {
			if (*nth == 0)
				res = strdup(cols[want_col]);
			else
				(*nth)--;
		}
	}
	free(text);
	return res;
}

const char *
itest_join_code(size_t index)
{
	size_t nth = index;

	return itest_keep(tsv_field(itest_env("JOIN_CODES"), NULL, 0, 1, &nth),
	                  free);
}

bool
itest_demo_account(const char *role, char **email, char **password)
{
	const char *path = itest_env("DEMO_ACCOUNTS");

	*email = itest_keep(tsv_field(path, role, 0, 1, NULL), free);
	*password = itest_keep(tsv_field(path, role, 0, 2, NULL), free);
	return *email != NULL && *password != NULL;
}

/* The demo module. */

/*
 * {"answers":{...}}: with right, exactly the correct choices; otherwise the
 * first wrong choice of a single-choice question and every wrong choice of
 * a multiple-choice one, so that no question counts as right.
 */
static json_t *
module_answers(const json_t *questions, bool right)
{
	json_t *answers = json_object(), *q, *c;
	size_t  i, k;

	json_array_foreach (questions, i, q) {
		json_t *picked = json_array();
		bool    multiple = json_is_true(json_object_get(q, "multiple"));

		json_array_foreach (json_object_get(q, "choices"), k, c) {
			bool correct =
			    json_is_true(json_object_get(c, "correct"));

			if (correct != right)
				continue;
			if (!right && !multiple && json_array_size(picked) > 0)
				continue;
			json_array_append(picked, json_object_get(c, "id"));
		}
		json_object_set_new(answers,
		                    json_string_value(json_object_get(q, "id")),
		                    picked);
	}
	return json_pack("{s:o}", "answers", answers);
}

static void
module_load(void)
{
	const char *dir = itest_env("CONTENT_DIR");
	char *path = itest_fmt("%s/modules/%s/module.json", dir, ITEST_MODULE);
	json_error_t jerr;
	json_t      *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t      *sections, *questions, *s, *body;
	size_t       i;

	if (doc == NULL)
		fail_msg("cannot read %s: %s (line %d)", path, jerr.text,
		         jerr.line);
	module.doc = doc;
	module.title = json_string_value(json_object_get(doc, "title"));
	module.pass_mark =
	    (long)json_integer_value(json_object_get(doc, "pass_mark"));
	module.validity_months =
	    (long)json_integer_value(json_object_get(doc, "validity_months"));
	module.estimated_minutes =
	    (long)json_integer_value(json_object_get(doc, "estimated_minutes"));
	sections = json_object_get(doc, "sections");
	questions = json_object_get(json_object_get(doc, "quiz"), "questions");
	if (module.title == NULL || !json_is_array(sections) ||
	    json_array_size(sections) == 0 || json_array_size(sections) > 64 ||
	    !json_is_array(questions) || json_array_size(questions) == 0)
		fail_msg("%s does not have the expected shape", path);
	json_array_foreach (sections, i, s) {
		module.section_ids[i] =
		    json_string_value(json_object_get(s, "id"));
		if (module.section_ids[i] == NULL)
			fail_msg("%s: section %zu has no id", path, i);
	}
	module.nsections = json_array_size(sections);
	module.nquestions = json_array_size(questions);
	body = module_answers(questions, true);
	module.right_body = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	body = module_answers(questions, false);
	module.wrong_body = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	assert_non_null(module.right_body);
	assert_non_null(module.wrong_body);
	module_loaded = true;
}

json_t *
itest_module_json(const char *slug)
{
	char        *path = itest_fmt("%s/modules/%s/module.json",
	                              itest_env("CONTENT_DIR"), slug);
	json_error_t jerr;
	json_t      *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (doc == NULL)
		fail_msg("cannot read %s: %s (line %d)", path, jerr.text,
		         jerr.line);
	return itest_keep_json(doc);
}

json_t *
itest_quiz_start(const char *token, const char *slug)
{
	struct itest_resp *r = itest_post_json(
	    itest_fmt("/api/v1/modules/%s/quiz", slug), token, NULL);

	if (r->status != 200 && r->status != 201)
		fail_msg("POST /modules/%s/quiz: %ld %s", slug, r->status,
		         r->body);
	return itest_expect_json(r, r->status);
}

const char *
itest_shown_choice_id(const json_t *shown, const json_t *c)
{
	json_t *sc;
	size_t  i;

	json_array_foreach (json_object_get(shown, "choices"), i, sc)
		if (json_equal(json_object_get(sc, "text"),
		               json_object_get(c, "text")))
			return itest_jstr(sc, "id");
	fail_msg("choice \"%s\" of question %s is not shown",
	         json_string_value(json_object_get(c, "text")),
	         json_string_value(json_object_get(shown, "id")));
	return NULL;
}

char *
itest_quiz_body(const char *slug, const json_t *started, bool right)
{
	json_t *doc = itest_module_json(slug);
	json_t *bank =
	    json_object_get(json_object_get(doc, "quiz"), "questions");
	json_t *answers = json_object(), *shown, *q, *b, *c, *body;
	size_t  i, k, n;

	json_array_foreach (json_object_get(started, "questions"), i, shown) {
		const char *qid =
		    json_string_value(json_object_get(shown, "id"));
		json_t *picked = json_array();

		json_array_foreach (bank, k, b)
			if (strcmp(json_string_value(json_object_get(b, "id")),
			           qid) == 0)
				break;
		q = json_array_get(bank, k);
		if (q == NULL)
			fail_msg("drawn question %s is not in %s's module.json",
			         qid, slug);
		n = 0;
		json_array_foreach (json_object_get(q, "choices"), k, c) {
			bool correct =
			    json_is_true(json_object_get(c, "correct"));

			/* Wrong: one wrong choice, so no question is right. */
			if (correct != right || (!right && n > 0))
				continue;
			json_array_append_new(
			    picked,
			    json_string(itest_shown_choice_id(shown, c)));
			n++;
		}
		json_object_set_new(answers, qid, picked);
	}
	body = json_pack("{s:O, s:o}", "attempt_id",
	                 json_object_get(started, "attempt_id"), "answers",
	                 answers);
	return itest_keep(json_dumps(itest_keep_json(body), JSON_COMPACT),
	                  free);
}

char *
itest_quiz_answers(const char *token, const char *slug, bool right)
{
	return itest_quiz_body(slug, itest_quiz_start(token, slug), right);
}

const struct itest_module *
itest_module(void)
{
	if (!module_loaded)
		module_load();
	return &module;
}

void
itest_complete_sections(const char *token)
{
	const struct itest_module *m = itest_module();

	for (size_t i = 0; i < m->nsections; i++) {
		struct itest_resp *r =
		    itest_put(itest_fmt("/api/v1/modules/%s/sections/%s",
		                        ITEST_MODULE, m->section_ids[i]),
		              token, NULL);

		itest_expect_status(r, 204);
	}
}

/* JWTs. */

const unsigned char *
itest_secret(size_t *len)
{
	assert_non_null(secret);
	*len = secret_len;
	return secret;
}

json_t *
itest_claims(long user_id, long exp_offset)
{
	time_t  now = time(NULL);
	json_t *c =
	    json_pack("{s:s, s:s, s:I, s:I}", "sub", itest_fmt("%ld", user_id),
	              "jti", itest_random_hex(16), "iat", (json_int_t)now,
	              "exp", (json_int_t)(now + exp_offset));

	assert_non_null(c);
	return itest_keep(c, json_free);
}

char *
itest_b64url(const void *data, size_t len)
{
	size_t cap = sodium_base64_ENCODED_LEN(
	    len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(cap);

	assert_non_null(out);
	sodium_bin2base64(out, cap, data, len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return itest_keep(out, free);
}

char *
itest_jwt_raw(const char *header_json, const char *payload_json,
              const char *alg_sig)
{
	char *input =
	    itest_fmt("%s.%s", itest_b64url(header_json, strlen(header_json)),
	              itest_b64url(payload_json, strlen(payload_json)));
	unsigned char        mac[crypto_auth_hmacsha512_BYTES];
	size_t               maclen = 0;
	size_t               klen;
	const unsigned char *key = itest_secret(&klen);
	unsigned char        other[32];

	if (strcmp(alg_sig, "HS256") == 0 ||
	    strcmp(alg_sig, "HS256-otherkey") == 0) {
		crypto_auth_hmacsha256_state st;

		if (strcmp(alg_sig, "HS256-otherkey") == 0) {
			randombytes_buf(other, sizeof(other));
			key = other;
			klen = sizeof(other);
		}
		crypto_auth_hmacsha256_init(&st, key, klen);
		crypto_auth_hmacsha256_update(&st, (unsigned char *)input,
		                              strlen(input));
		crypto_auth_hmacsha256_final(&st, mac);
		maclen = crypto_auth_hmacsha256_BYTES;
	} else if (strcmp(alg_sig, "HS512") == 0) {
		crypto_auth_hmacsha512_state st;

		crypto_auth_hmacsha512_init(&st, key, klen);
		crypto_auth_hmacsha512_update(&st, (unsigned char *)input,
		                              strlen(input));
		crypto_auth_hmacsha512_final(&st, mac);
		maclen = crypto_auth_hmacsha512_BYTES;
	} else if (strcmp(alg_sig, "none") != 0) {
		fail_msg("unknown signature kind %s", alg_sig);
	}
	if (maclen == 0)
		return itest_fmt("%s.", input);
	return itest_fmt("%s.%s", input, itest_b64url(mac, maclen));
}

static void
jwt_release(void *p)
{
	jwt_free(p);
}

char *
itest_jwt_lib(jwt_alg_t alg, const json_t *claims)
{
	jwt_t               *j = NULL;
	char                *tok, *text = itest_dump(claims);
	size_t               klen;
	const unsigned char *key = itest_secret(&klen);

	assert_int_equal(jwt_new(&j), 0);
	itest_keep(j, jwt_release);
	assert_int_equal(jwt_add_grants_json(j, text), 0);
	if (alg == JWT_ALG_NONE)
		assert_int_equal(jwt_set_alg(j, alg, NULL, 0), 0);
	else
		assert_int_equal(jwt_set_alg(j, alg, key, (int)klen), 0);
	tok = jwt_encode_str(j);
	assert_non_null(tok);
	return itest_keep(tok, free);
}

json_t *
itest_jwt_part(const char *token, int part)
{
	const char   *start = token, *end;
	unsigned char raw[8192];
	size_t        rawlen = 0;
	json_t       *j;

	for (int i = 0; i < part; i++) {
		start = strchr(start, '.');
		assert_non_null(start);
		start++;
	}
	end = strchr(start, '.');
	if (end == NULL)
		end = start + strlen(start);
	assert_int_equal(
	    sodium_base642bin(raw, sizeof(raw), start, (size_t)(end - start),
	                      NULL, &rawlen, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	    0);
	j = json_loadb((char *)raw, rawlen, 0, NULL);
	assert_non_null(j);
	return itest_keep(j, json_free);
}

/* Database. */

static PGresult *
db_query(PGconn **conn, const char *sql, const char *p1, const char *p2)
{
	const char *params[2] = {p1, p2};
	int         n = p1 == NULL ? 0 : (p2 == NULL ? 1 : 2);
	PGresult   *res;

	*conn = PQconnectdb(itest_env("DATABASE_URL"));
	if (PQstatus(*conn) != CONNECTION_OK) {
		print_error("DATABASE_URL: %s\n", PQerrorMessage(*conn));
		PQfinish(*conn);
		*conn = NULL;
		fail();
		return NULL;
	}
	res = PQexecParams(*conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1 ||
	    PQnfields(res) < 1) {
		print_error("query failed: %s\n  %s\n", sql,
		            PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(*conn);
		*conn = NULL;
		fail();
		return NULL;
	}
	return res;
}

long
itest_db_exec(const char *sql, const char *p1, const char *p2)
{
	const char *params[2] = {p1, p2};
	int         n = p1 == NULL ? 0 : (p2 == NULL ? 1 : 2);
	PGconn     *conn = PQconnectdb(itest_env("DATABASE_URL"));
	PGresult   *res;
	long        rows;

	if (PQstatus(conn) != CONNECTION_OK) {
		print_error("DATABASE_URL: %s\n", PQerrorMessage(conn));
		PQfinish(conn);
		fail();
		return -1;
	}
	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		print_error("statement failed: %s\n  %s\n", sql,
		            PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(conn);
		fail();
		return -1;
	}
	rows = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return rows;
}

long
itest_db_long(const char *sql, const char *p1, const char *p2)
{
	PGconn   *conn = NULL;
	PGresult *res = db_query(&conn, sql, p1, p2);
	long      v = -1;

	if (!PQgetisnull(res, 0, 0))
		v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return v;
}

char *
itest_db_text(const char *sql, const char *p1, const char *p2)
{
	PGconn   *conn = NULL;
	PGresult *res = db_query(&conn, sql, p1, p2);
	char     *v = NULL;

	if (!PQgetisnull(res, 0, 0))
		v = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(conn);
	return itest_keep(v, free);
}
