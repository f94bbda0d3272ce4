/* Service settings.  Add new keys in alphabetical order: config_usage() and
 * config_log() print them in table order. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacity.h"
#include "log.h"

#include <sodium.h>

enum setting_type { SETTING_INT, SETTING_STRING };

struct setting {
	const char       *key;
	const char       *env;
	enum setting_type type;
	size_t            offset;
	const char       *def;
	long              min, max;
	const char       *help;
};

#define S_INT(k, e, f, d, lo, hi, h)                                           \
	{                                                                      \
		k, e, SETTING_INT, offsetof(struct config, f), d, lo, hi, h    \
	}
#define S_STR(k, e, f, d, h)                                                   \
	{                                                                      \
		k, e, SETTING_STRING, offsetof(struct config, f), d, 0, 0, h   \
	}

static const struct setting settings[] = {
    S_STR("access-log", "HGKM_ACCESS_LOG", access_log, "-",
          "access log file, - for stderr"),
    S_STR("database-url", "HGKM_DATABASE_URL", database_url, "",
          "libpq connection string"),
    S_STR("error-log", "HGKM_ERROR_LOG", error_log, "-",
          "error log file, - for stderr"),
    S_STR("jwt-secret-file", "HGKM_JWT_SECRET_FILE", jwt_secret_file, "",
          "file holding the HS256 secret (at least 32 bytes); "
          "HGKM_JWT_SECRET overrides it"),
    S_STR("mail-from", "HGKM_MAIL_FROM", mail_from,
          "HGKM leerplatform <noreply@localhost>", "From: of mail we send"),
    S_STR("media-dir", "HGKM_MEDIA_DIR", media_dir, "var/run/media",
          "directory of uploaded scenario media (content-addressed)"),
    S_STR("public-url", "HGKM_PUBLIC_URL", public_url, "http://127.0.0.1:8080",
          "public base URL, for verification links"),
    S_INT("register-limit", "HGKM_REGISTER_LIMIT", register_limit, "20", 1,
          1000000, "registrations per client address per hour"),
    S_STR("reports-database-url", "HGKM_REPORTS_DATABASE_URL",
          reports_database_url, "",
          "libpq connection string for the board and region reports "
          "(a streaming replica); empty: the database-url connection"),
    S_STR("sendmail", "HGKM_SENDMAIL", sendmail, "/usr/sbin/sendmail -t -i",
          "sendmail-compatible command that reads one mail on stdin"),
    S_STR("socket", "HGKM_SOCKET", socket, "var/run/run/hgkm.sock",
          "unix socket that nginx talks FastCGI to"),
    S_STR("socket-group", "HGKM_SOCKET_GROUP", socket_group, "",
          "group of the socket (mode 0660), e.g. www-data; empty: the "
          "service's own group"),
    S_INT("start-wait", "HGKM_START_WAIT", start_wait, "15", 0, 300,
          "seconds to wait at start for a database server that does not "
          "answer yet (booting)"),
    S_INT("statement-timeout", "HGKM_STATEMENT_TIMEOUT", statement_timeout,
          "5000", 100, 600000, "database statement timeout, milliseconds"),
    S_INT("token-ttl", "HGKM_TOKEN_TTL", token_ttl, "43200", 60, 43200,
          "token lifetime, seconds (at most 12 hours)"),
    S_INT("workers", "HGKM_WORKERS", workers, "0", 0, 256,
          "FastCGI worker processes; 0 means four per core, at most 32 "
          "(lowered at start to what PostgreSQL's max_connections allows)"),
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static int set_value(struct config *c, const struct setting *s,
                     const char *value, const char *origin);

static int
set_value(struct config *c, const struct setting *s, const char *value,
          const char *origin)
{
	char *field = (char *)c + s->offset;

	if (s->type == SETTING_INT) {
		char *end;
		long  v;

		errno = 0;
		v = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || v < s->min ||
		    v > s->max) {
			fprintf(stderr,
			        "config: bad value for %s (%s): \"%s\" (want "
			        "%ld..%ld)\n",
			        s->key, origin, value, s->min, s->max);
			return -1;
		}
		*(int *)(void *)field = (int)v;
		return 0;
	}
	if (strlen(value) > 4096) {
		fprintf(stderr, "config: value for %s (%s) is too long\n",
		        s->key, origin);
		return -1;
	}
	/* A later source (environment, option) replaces an earlier one. */
	free(*(char **)(void *)field);
	*(char **)(void *)field = strdup(value);
	if (*(char **)(void *)field == NULL)
		return -1;
	return 0;
}

int
config_load_secret(struct config *c, char *why, size_t whylen)
{
	const char *env = getenv("HGKM_JWT_SECRET");
	ssize_t     n;
	int         fd;

	c->jwt_key_len = 0;
	if (env != NULL && *env != '\0') {
		c->jwt_key_len = strlen(env);
		if (c->jwt_key_len > CONFIG_JWT_MAX)
			c->jwt_key_len = CONFIG_JWT_MAX + 1;
		else
			memcpy(c->jwt_key, env, c->jwt_key_len);
	} else if (c->jwt_secret_file[0] != '\0') {
		fd = open(c->jwt_secret_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(
			    why, whylen,
			    "jwt-secret-file %s: cannot open (%s); it must "
			    "exist and be readable by the service user "
			    "(root:hgkm 0640)",
			    c->jwt_secret_file, strerror(errno));
			return -1;
		}
		n = read(fd, c->jwt_key, sizeof(c->jwt_key));
		close(fd);
		if (n < 0) {
			snprintf(
			    why, whylen,
			    "jwt-secret-file %s: cannot read (%s); it must "
			    "be a file readable by the service user",
			    c->jwt_secret_file, strerror(errno));
			return -1;
		}
		c->jwt_key_len = (size_t)n;
		if (c->jwt_key_len == sizeof(c->jwt_key))
			c->jwt_key_len = CONFIG_JWT_MAX + 1;
	}
	/* libjwt 1.10 accepts alg "none" whenever the key is empty, and HS256
	 * wants at least 256 bits: refuse to start without a real secret. */
	if (c->jwt_key_len < CONFIG_JWT_MIN) {
		snprintf(why, whylen,
		         "the JWT secret (HGKM_JWT_SECRET or jwt-secret-file "
		         "\"%s\") has %zu bytes; it needs at least %d (e.g. "
		         "head -c 48 /dev/urandom | base64 > the file)",
		         c->jwt_secret_file, c->jwt_key_len, CONFIG_JWT_MIN);
		return -1;
	}
	if (c->jwt_key_len > CONFIG_JWT_MAX) {
		snprintf(why, whylen,
		         "the JWT secret (HGKM_JWT_SECRET or jwt-secret-file "
		         "\"%s\") is longer than %d bytes; use a shorter one",
		         c->jwt_secret_file, CONFIG_JWT_MAX);
		return -1;
	}
	return 0;
}

int
config_load(struct config *c, int argc, char **argv)
{
	size_t i;
	int    a;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NSETTINGS; i++)
		if (set_value(c, &settings[i], settings[i].def, "default") < 0)
			return -1;
	for (i = 0; i < NSETTINGS; i++) {
		const char *v = getenv(settings[i].env);

		if (v != NULL &&
		    set_value(c, &settings[i], v, settings[i].env) < 0)
			return -1;
	}
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (strncmp(arg, "--", 2) != 0) {
			fprintf(stderr, "config: unexpected argument \"%s\"\n",
			        arg);
			return -1;
		}
		for (i = 0; i < NSETTINGS; i++)
			if (strcmp(arg + 2, settings[i].key) == 0)
				break;
		if (i == NSETTINGS) {
			fprintf(stderr, "config: unknown option \"%s\"\n", arg);
			return -1;
		}
		if (a + 1 >= argc) {
			fprintf(stderr, "config: option %s needs a value\n",
			        arg);
			return -1;
		}
		if (set_value(c, &settings[i], argv[++a], arg) < 0)
			return -1;
	}
	if (c->workers == 0)
		c->workers =
		    capacity_default_workers(sysconf(_SC_NPROCESSORS_ONLN));
	return 0;
}

void
config_free(struct config *c)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (settings[i].type == SETTING_STRING) {
			char **field =
			    (char **)(void *)((char *)c + settings[i].offset);

			free(*field);
			*field = NULL;
		}
	sodium_memzero(c->jwt_key, sizeof(c->jwt_key));
}

void
config_log(const struct config *c)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *field = (const char *)c + settings[i].offset;

		if (settings[i].type == SETTING_INT)
			log_info("config %s = %d", settings[i].key,
			         *(const int *)(const void *)field);
		else if (strstr(settings[i].key, "database-url") != NULL)
			log_info("config %s = %s", settings[i].key,
			         strstr(*(char *const *)(const void *)field,
			                "password")
			             ? "(set, contains a password: masked)"
			             : *(char *const *)(const void *)field);
		else
			log_info("config %s = %s", settings[i].key,
			         *(char *const *)(const void *)field);
	}
	log_info("config jwt secret = (%zu bytes, masked)", c->jwt_key_len);
}

void
config_usage(void)
{
	fprintf(stderr,
	        "usage: hgkm-fcgi [--key value]...\n"
	        "       hgkm-fcgi --check [--key value]...   only the start "
	        "checks: one line each, exit status 1 on any problem\n"
	        "signals: TERM stops, USR1 reopens the logs, HUP reloads the "
	        "binary\n\n");
	for (size_t i = 0; i < NSETTINGS; i++)
		fprintf(stderr, "  --%-18s %-22s default \"%s\"\n      %s\n",
		        settings[i].key, settings[i].env, settings[i].def,
		        settings[i].help);
}
