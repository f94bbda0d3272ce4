/* Shared replies of the handlers. */
#include "handlers.h"

#include <time.h>

#include "../log.h"

void
reply_db_error(struct request *r, struct response *res, enum db_status st)
{
	switch (st) {
	case DB_NOT_FOUND:
		http_error(r, res, 404, "not_found", "Niet gevonden.");
		break;
	case DB_CONFLICT:
		http_error(r, res, 409, "conflict", "Dit bestaat al.");
		break;
	case DB_UNAVAILABLE:
		http_error(r, res, 503, "unavailable",
		           "De database is tijdelijk niet bereikbaar.");
		break;
	default:
		/* db.c has logged the detail. */
		http_error(r, res, 500, "internal", "Er ging iets mis aan onze kant.");
		break;
	}
}

void
reply_invalid_field(struct request *r, struct response *res, const char *field,
                    const char *reason)
{
	json_t *fields = json_object();

	json_object_set_new(fields, field, json_string(reason));
	http_error_full(r, res, 400, "validation_failed",
	                "De invoer klopt niet.", fields, NULL);
}

bool
handler_slug_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (n >= 64 || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		                 c == '-'))
			return false;
	}
	return true;
}

const char *
handler_rfc3339(struct arena *a, long long t)
{
	time_t    tt = (time_t)t;
	struct tm tm;
	char      buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, buf);
}
