/* Request and response helpers: error bodies, cookies and header parsing. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSON_TYPE "application/json; charset=utf-8"

static int hexval(int c);

void
http_json_text(struct request *r, struct response *res, int status,
               const char *text)
{
	(void)r;
	res->status = status;
	res->content_type = JSON_TYPE;
	res->body = text;
	res->body_len = strlen(text);
}

void
http_json(struct request *r, struct response *res, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (s == NULL) {
		/* Only on OOM or an invalid string inside: a server bug. */
		res->status = 0;
		return;
	}
	http_json_text(r, res, status, arena_strdup(r->arena, s));
	free(s);
}

void
http_error_full(struct request *r, struct response *res, int status,
                const char *code, const char *message, json_t *fields,
                json_t *errors)
{
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", message);
	json_t *top;

	if (fields != NULL)
		json_object_set_new(err, "fields", fields);
	if (errors != NULL)
		json_object_set_new(err, "errors", errors);
	top = json_pack("{s:o}", "error", err);
	http_json(r, res, status, top);
	json_decref(top);
}

void
http_error(struct request *r, struct response *res, int status,
           const char *code, const char *message)
{
	http_error_full(r, res, status, code, message, NULL, NULL);
}

void
http_body(struct request *r, struct response *res, int status,
          const char *content_type, const void *body, size_t len)
{
	char *copy = arena_alloc(r->arena, len + 1);

	memcpy(copy, body, len);
	res->status = status;
	res->content_type = content_type;
	res->body = copy;
	res->body_len = len;
}

void
http_no_content(struct response *res)
{
	res->status = 204;
	res->content_type = NULL;
	res->body = NULL;
	res->body_len = 0;
}

void
http_not_modified(struct response *res)
{
	http_no_content(res);
	res->status = 304;
}

int
http_header_add(struct request *r, struct response *res, const char *name,
                const char *value)
{
	char *v;

	if (res->nheaders >= HTTP_MAX_HEADERS)
		return -1;
	v = arena_strdup(r->arena, value);
	for (char *p = v; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = v;
	res->nheaders++;
	return 0;
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 415:
		return "Unsupported Media Type";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

bool
http_is_json_type(const char *ct)
{
	return http_is_type(ct, "application/json");
}

bool
http_is_type(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL || strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

const char *
http_cookie_get(struct arena *a, const char *header, const char *name)
{
	size_t      nlen = strlen(name);
	const char *p = header, *end;

	if (header == NULL)
		return NULL;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = p;
		while (*end != '\0' && *end != ';')
			end++;
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t      vlen = (size_t)(end - v);

			while (vlen > 0 &&
			       (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			return vlen == 0 ? NULL : arena_strndup(a, v, vlen);
		}
		p = end;
	}
	return NULL;
}

const char *
http_bearer_token(struct arena *a, const char *header)
{
	const char *p;

	if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
		return NULL;
	p = header + 7;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	return arena_strdup(a, p);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

const char *
http_query_get(struct arena *a, const char *query, const char *name)
{
	size_t      nlen = strlen(name);
	const char *p = query, *end;

	if (query == NULL)
		return NULL;
	while (*p != '\0') {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) >= nlen && strncmp(p, name, nlen) == 0 &&
		    (p[nlen] == '=' || p + nlen == end)) {
			const char *v = p + nlen + (p[nlen] == '=' ? 1 : 0);
			char       *out = arena_alloc(a, (size_t)(end - v) + 1);
			size_t      o = 0;

			for (; v < end; v++) {
				if (*v == '+') {
					out[o++] = ' ';
				} else if (*v == '%') {
					int hi, lo;

					if (end - v < 3)
						return NULL;
					hi = hexval(v[1]);
					lo = hexval(v[2]);
					if (hi < 0 || lo < 0 ||
					    (hi == 0 && lo == 0))
						return NULL;
					out[o++] = (char)(hi * 16 + lo);
					v += 2;
				} else {
					out[o++] = *v;
				}
			}
			out[o] = '\0';
			return out;
		}
		p = *end == '&' ? end + 1 : end;
	}
	return NULL;
}

long long
http_parse_content_length(const char *s)
{
	char              *end;
	unsigned long long v;

	if (s == NULL || *s == '\0')
		return -1;
	if (!isdigit((unsigned char)*s))
		return -2;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > (unsigned long long)1 << 40)
		return -2;
	return (long long)v;
}
