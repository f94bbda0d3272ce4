/* Unit tests of the start checks (preflight.c), the worker count
 * (capacity.c), the JWT secret's problems (config.c) and media files on
 * disk (media.c), on temporary directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capacity.h"
#include "config.h"
#include "media.h"
#include "preflight.h"

/* A fresh temporary directory (malloc'ed path). */
static char *
temp_dir(void)
{
	char *d = strdup("/tmp/hgkm-preflight-XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void
remove_dir(const char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/* The one line a check added: its kind and that it names `must`. */
static void
assert_one_line(const struct preflight *p, enum preflight_kind kind,
                const char *must)
{
	assert_int_equal(p->n, 1);
	assert_int_equal(p->line[0].kind, kind);
	if (strstr(p->line[0].text, must) == NULL)
		fail_msg("\"%s\" does not name \"%s\"", p->line[0].text, must);
}

/* Four per core, at least 4, never more than 32 (PostgreSQL's default
 * max_connections is 100). */
static void
test_default_workers(void **state)
{
	(void)state;
	assert_int_equal(capacity_default_workers(1), 4);
	assert_int_equal(capacity_default_workers(2), 8);
	assert_int_equal(capacity_default_workers(8), 32);
	assert_int_equal(capacity_default_workers(24), 32);
	assert_int_equal(capacity_default_workers(0), 4);
	assert_int_equal(capacity_default_workers(-1), 4);
}

/* workers x per_worker + 1 (mailer) + 10 (headroom) must fit within
 * max_connections - superuser_reserved_connections. */
static void
test_workers_that_fit(void **state)
{
	(void)state;
	/* Debian's defaults: 100 - 3 - 10 - 1 = 86 free. */
	assert_int_equal(capacity_workers_that_fit(32, 100, 3, 1), 32);
	assert_int_equal(capacity_workers_that_fit(96, 100, 3, 1), 86);
	assert_int_equal(capacity_workers_that_fit(86, 100, 3, 1), 86);
	assert_int_equal(capacity_workers_that_fit(87, 100, 3, 1), 86);
	/* A reports connection per worker halves it. */
	assert_int_equal(capacity_workers_that_fit(64, 100, 3, 2), 43);
	assert_int_equal(capacity_workers_that_fit(8, 100, 3, 2), 8);
	/* Nothing fits: still one worker, or there is no service. */
	assert_int_equal(capacity_workers_that_fit(8, 12, 3, 1), 1);
	assert_int_equal(capacity_workers_that_fit(8, 15, 3, 1), 1);
	assert_int_equal(capacity_workers_that_fit(8, 16, 3, 1), 2);
}

static void
test_media_dir(void **state)
{
	struct preflight p;
	char            *d = temp_dir();
	char             path[512];

	(void)state;
	preflight_init(&p);
	preflight_media_dir(&p, d);
	assert_one_line(&p, PREFLIGHT_OK, d);

	/* The probe file is gone again. */
	snprintf(path, sizeof(path), "ls -A '%s' | grep -q .", d);
	assert_int_not_equal(system(path), 0);

	snprintf(path, sizeof(path), "%s/missing", d);
	preflight_init(&p);
	preflight_media_dir(&p, path);
	assert_one_line(&p, PREFLIGHT_PROBLEM, path);
	assert_non_null(strstr(p.line[0].text, "No such file or directory"));
	assert_non_null(strstr(p.line[0].text, "media-dir"));

	snprintf(path, sizeof(path), "%s/file", d);
	write_file(path, "x", 0600);
	preflight_init(&p);
	preflight_media_dir(&p, path);
	assert_one_line(&p, PREFLIGHT_PROBLEM, "is not a directory");

	/* Root may write anywhere; anyone else is refused a read-only
	 * directory. */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/ro", d);
		assert_int_equal(mkdir(path, 0500), 0);
		preflight_init(&p);
		preflight_media_dir(&p, path);
		assert_one_line(&p, PREFLIGHT_PROBLEM, "cannot create a file");
	}
	remove_dir(d);
	free(d);
}

static void
test_log_file(void **state)
{
	struct preflight p;
	char            *d = temp_dir();
	char             path[512];
	struct stat      st;

	(void)state;
	preflight_init(&p);
	preflight_log_file(&p, "error-log", "-");
	assert_one_line(&p, PREFLIGHT_OK, "standard error");

	snprintf(path, sizeof(path), "%s/log/error.log", d);
	preflight_init(&p);
	preflight_log_file(&p, "error-log", path);
	assert_one_line(&p, PREFLIGHT_PROBLEM, path);
	assert_non_null(strstr(p.line[0].text, "error-log"));
	assert_non_null(strstr(p.line[0].text, "cannot open"));

	snprintf(path, sizeof(path), "%s/access.log", d);
	preflight_init(&p);
	preflight_log_file(&p, "access-log", path);
	assert_one_line(&p, PREFLIGHT_OK, path);
	assert_int_equal(stat(path, &st), 0);
	remove_dir(d);
	free(d);
}

static void
test_socket_dir(void **state)
{
	struct preflight p;
	char            *d = temp_dir();
	char             path[512], longpath[200];

	(void)state;
	snprintf(path, sizeof(path), "%s/hgkm.sock", d);
	preflight_init(&p);
	preflight_socket_dir(&p, path);
	assert_one_line(&p, PREFLIGHT_OK, path);

	snprintf(path, sizeof(path), "%s/run/hgkm.sock", d);
	preflight_init(&p);
	preflight_socket_dir(&p, path);
	assert_one_line(&p, PREFLIGHT_PROBLEM, "does not exist");

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	preflight_init(&p);
	preflight_socket_dir(&p, longpath);
	assert_one_line(&p, PREFLIGHT_PROBLEM, "longer than");
	remove_dir(d);
	free(d);
}

static void
test_socket_group(void **state)
{
	struct preflight p;
	struct group    *own = getgrgid(getegid());
	gid_t            gid;

	(void)state;
	preflight_init(&p);
	preflight_socket_group(&p, "", &gid);
	assert_int_equal(p.n, 0);
	assert_int_equal(gid, (gid_t)-1);

	preflight_socket_group(&p, "no-such-group-hgkm", &gid);
	assert_one_line(&p, PREFLIGHT_PROBLEM, "no-such-group-hgkm");
	assert_non_null(strstr(p.line[0].text, "no such group"));
	assert_int_equal(gid, (gid_t)-1);

	assert_non_null(own);
	preflight_init(&p);
	preflight_socket_group(&p, own->gr_name, &gid);
	assert_one_line(&p, PREFLIGHT_OK, "socket-group");
	assert_int_equal(gid, getegid());
}

static void
test_mail_command(void **state)
{
	struct preflight p;
	char            *d = temp_dir();
	char             path[512], cmd[600];

	(void)state;
	preflight_init(&p);
	preflight_mail_command(&p, "/bin/sh -c true", NULL);
	assert_one_line(&p, PREFLIGHT_OK, "/bin/sh");

	/* Missing: a problem that does not stop the start (mail waits). */
	snprintf(path, sizeof(path), "%s/sendmail", d);
	snprintf(cmd, sizeof(cmd), "  %s -t -i", path);
	preflight_init(&p);
	preflight_mail_command(&p, cmd, NULL);
	assert_one_line(&p, PREFLIGHT_MAIL, path);
	assert_non_null(strstr(p.line[0].text, "outbox"));

	/* There, but not executable. */
	write_file(path, "#!/bin/sh\n", 0644);
	preflight_init(&p);
	preflight_mail_command(&p, cmd, NULL);
	assert_one_line(&p, PREFLIGHT_MAIL, path);

	assert_int_equal(chmod(path, 0755), 0);
	preflight_init(&p);
	preflight_mail_command(&p, cmd, NULL);
	assert_one_line(&p, PREFLIGHT_OK, path);

	/* A bare name is looked up in PATH, as /bin/sh would. */
	snprintf(cmd, sizeof(cmd), "/nonexistent:%s", d);
	preflight_init(&p);
	preflight_mail_command(&p, "sendmail -t", cmd);
	assert_one_line(&p, PREFLIGHT_OK, path);
	preflight_init(&p);
	preflight_mail_command(&p, "sendmail -t", "/nonexistent");
	assert_one_line(&p, PREFLIGHT_MAIL, "sendmail");

	preflight_init(&p);
	preflight_mail_command(&p, "   ", NULL);
	assert_one_line(&p, PREFLIGHT_MAIL, "HGKM_SENDMAIL");
	remove_dir(d);
	free(d);
}

/* The secret's problems are one sentence naming the file (the service
 * used to print them only to stderr and stop at the first). */
static void
test_secret_problems(void **state)
{
	struct config c;
	char         *d = temp_dir();
	char          path[512], why[512];

	(void)state;
	unsetenv("HGKM_JWT_SECRET");
	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/jwt.key", d);
	c.jwt_secret_file = path;
	assert_int_equal(config_load_secret(&c, why, sizeof(why)), -1);
	assert_non_null(strstr(why, path));
	assert_non_null(strstr(why, "cannot open"));

	write_file(path, "too-short", 0600);
	assert_int_equal(config_load_secret(&c, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "at least 32"));

	write_file(path, "0123456789abcdef0123456789abcdef0123456789", 0600);
	assert_int_equal(config_load_secret(&c, why, sizeof(why)), 0);
	assert_int_equal(c.jwt_key_len, 42);
	remove_dir(d);
	free(d);
}

/* A stored media file is 0640 under any umask: nginx reads it through
 * the directory's group (it was 0600 under umask 077, and nginx answered
 * 403). */
static void
test_media_store_mode(void **state)
{
	char       *d = temp_dir();
	char        path[512], cmd[600];
	struct stat st;
	mode_t      old = umask(077);

	(void)state;
	assert_int_equal(media_store(d, "abc.png", "png!", 4, 7), 0);
	umask(old);
	snprintf(path, sizeof(path), "%s/abc.png", d);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, MEDIA_FILE_MODE);
	assert_int_equal(st.st_size, 4);
	/* Only the final file: no temporary one left behind. */
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = abc.png", d);
	assert_int_equal(system(cmd), 0);

	snprintf(path, sizeof(path), "%s/missing", d);
	assert_int_equal(media_store(path, "abc.png", "png!", 4, 7), -1);
	remove_dir(d);
	free(d);
}

/* Something planted at the temporary name the store once used (a symlink
 * at "dir/.name.tag.tmp") is neither followed nor truncated, and the
 * stored file is a regular file, not that symlink renamed. */
static void
test_media_store_no_follow(void **state)
{
	char       *d = temp_dir();
	char        victim[512], planted[512], path[512], got[16] = {0};
	struct stat st;
	FILE       *f;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", d);
	snprintf(planted, sizeof(planted), "%s/.abc.png.7.tmp", d);
	write_file(victim, "keep", 0600);
	assert_int_equal(symlink(victim, planted), 0);
	assert_int_equal(media_store(d, "abc.png", "png!", 4, 7), 0);

	f = fopen(victim, "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), 4);
	fclose(f);
	assert_string_equal(got, "keep");
	assert_int_equal(lstat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/abc.png", d);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 4);
	unlink(planted);
	remove_dir(d);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_workers),
	    cmocka_unit_test(test_workers_that_fit),
	    cmocka_unit_test(test_media_dir),
	    cmocka_unit_test(test_log_file),
	    cmocka_unit_test(test_socket_dir),
	    cmocka_unit_test(test_socket_group),
	    cmocka_unit_test(test_mail_command),
	    cmocka_unit_test(test_secret_problems),
	    cmocka_unit_test(test_media_store_mode),
	    cmocka_unit_test(test_media_store_no_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
