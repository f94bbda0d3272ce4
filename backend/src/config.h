/* Service settings: one table of keys, environment variables and bounds. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#define CONFIG_JWT_MIN 32
#define CONFIG_JWT_MAX 512

struct config {
	int           workers; /* 0 until resolved: 4 per core */
	char         *socket;
	char         *socket_group; /* "" = the process's group */
	int           start_wait;   /* seconds to wait for the database */
	char         *database_url;
	char         *reports_database_url; /* "" = use database_url */
	char         *jwt_secret_file;
	char         *media_dir;
	char         *mail_from;
	char         *sendmail;
	char         *public_url;
	char         *error_log;
	char         *access_log;
	int           register_limit; /* registrations per address per hour */
	int           token_ttl;      /* seconds, at most 12 hours */
	int           statement_timeout; /* milliseconds */
	unsigned char jwt_key[CONFIG_JWT_MAX];
	size_t        jwt_key_len;
};

/*
 * Loads defaults, then the environment, then `--key value` options from
 * argv.  On a bad value, writes one line naming the key and the value to
 * stderr and returns -1.  The strings it sets live as long as the process.
 */
int config_load(struct config *c, int argc, char **argv);

/*
 * Loads the JWT secret (HGKM_JWT_SECRET, else jwt-secret-file).  Returns -1
 * with one sentence in `why` that names the setting and what to do when it
 * is missing, unreadable, too short or too long.
 */
int config_load_secret(struct config *c, char *why, size_t whylen);

/* Frees the strings config_load set. */
void config_free(struct config *c);

/* Writes the effective settings to the error log, secrets masked. */
void config_log(const struct config *c);

/* Writes the table of settings (key, variable, default, meaning). */
void config_usage(void);

#endif
