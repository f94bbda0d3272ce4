/* hgkm-account create-admin (issue 14): the built tool run as the operator
 * runs it, against the test stack's database, then used through nginx. */
#include "itest.h"
#include "itest_org.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#define LOGIN "/api/v1/auth/login"
#define RESET "/api/v1/auth/reset"
#define ACTION "create-admin (hgkm-account)"
#define LINK_INTRO                                                             \
	"one-time link to choose the password (works once, valid for 24 "      \
	"hours):\n"
/* The web's texts of the password policy (auth.c), which the tool shows. */
#define TOO_SHORT "Het wachtwoord moet minstens 12 tekens lang zijn."
#define TOO_COMMON "Dit wachtwoord is te bekend; kies een ander."
#define TOO_LONG "Het wachtwoord is te lang."
/* A guard against a hung tool, not a speed check. */
#define WAIT_MS 120000

/* What a run of the tool left: exit status (-1: killed), its output. */
struct tool_run {
	int   status;
	char *out; /* stdout, or everything the terminal showed (pty) */
	char *err;
};

static void test_account_tool_password_stdin(void **state);
static void test_account_tool_link(void **state);
static void test_account_tool_existing_address(void **state);
static void test_account_tool_weak_password(void **state);
static void test_account_tool_bad_input(void **state);
static void test_account_tool_database_down(void **state);
static void test_account_tool_terminal(void **state);
static void test_account_tool_terminal_interrupt(void **state);
static void test_account_tool_not_traceable(void **state);

/* As root, the tool on a terminal runs as the service user, as an
 * operator runs it in production (the stack's user hgkm; none: root). */
#define SERVICE_USER "hgkm"

/* build/asan/hgkm-account unless HGKM_ACCOUNT_TOOL names another. */
static const char *
tool_path(void)
{
	const char *p = getenv("HGKM_ACCOUNT_TOOL");

	if (p == NULL || p[0] == '\0')
		p = "build/asan/hgkm-account";
	if (access(p, X_OK) != 0)
		fail_msg("%s cannot be run (build it: make FLAVOR=asan all)",
		         p);
	return p;
}

/* In the child: the settings (NULL: unset), then the tool. */
static void
exec_tool(const char *path, const char *const *args, const char *db_url,
          const char *public_url)
{
	char *argv[16];
	int   n = 0;

	argv[n++] = (char *)"hgkm-account";
	for (; args[n - 1] != NULL && n < 15; n++)
		argv[n] = (char *)args[n - 1];
	argv[n] = NULL;
	if (db_url != NULL)
		setenv("HGKM_DATABASE_URL", db_url, 1);
	else
		unsetenv("HGKM_DATABASE_URL");
	if (public_url != NULL)
		setenv("HGKM_PUBLIC_URL", public_url, 1);
	else
		unsetenv("HGKM_PUBLIC_URL");
	execv(path, argv);
	_exit(127);
}

/* Appends what fd has to *buf (grown with realloc); false at its end. */
static bool
drain(int fd, char **buf, size_t *len)
{
	char    chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	char   *grown;

	/* EIO: a pty whose other side is closed. */
	if (n <= 0)
		return n < 0 && errno == EINTR;
	grown = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(grown);
	memcpy(grown + *len, chunk, (size_t)n);
	*len += (size_t)n;
	grown[*len] = '\0';
	*buf = grown;
	return true;
}

static int
wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Runs the tool with args (NULL-terminated), `input` on a pipe as its
 * stdin (NULL: empty), and the settings given (NULL: unset).  Owned by
 * the test.
 */
static struct tool_run *
run_with(const char *const *args, const char *input, const char *db_url,
         const char *public_url)
{
	const char      *path = tool_path();
	struct tool_run *r = itest_keep(calloc(1, sizeof(*r)), free);
	int              in[2], out[2], err[2];
	size_t           lens[2] = {0, 0};
	char            *bufs[2] = {NULL, NULL};
	bool             open[2] = {true, true};
	pid_t            pid;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		exec_tool(path, args, db_url, public_url);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	/* A tool that stops early must not kill the suite. */
	signal(SIGPIPE, SIG_IGN);
	if (input != NULL &&
	    write(in[1], input, strlen(input)) != (ssize_t)strlen(input))
		assert_int_equal(errno, EPIPE);
	close(in[1]);
	while (open[0] || open[1]) {
		struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};

		p[0].fd = open[0] ? out[0] : -1;
		p[1].fd = open[1] ? err[0] : -1;
		if (poll(p, 2, WAIT_MS) <= 0) {
			kill(pid, SIGKILL);
			fail_msg("hgkm-account did not finish");
		}
		for (int i = 0; i < 2; i++)
			if (p[i].revents != 0)
				open[i] = drain(p[i].fd, &bufs[i], &lens[i]);
	}
	close(out[0]);
	close(err[0]);
	r->status = wait_status(pid);
	r->out = itest_keep(bufs[0] ? bufs[0] : calloc(1, 1), free);
	r->err = itest_keep(bufs[1] ? bufs[1] : calloc(1, 1), free);
	return r;
}

/* The tool with the test stack's database and site. */
static struct tool_run *
run_tool(const char *const *args, const char *input)
{
	return run_with(args, input, itest_env("DATABASE_URL"),
	                itest_env("BASE_URL"));
}

/* Waits until the terminal has shown `text` (kept in *all). */
static void
pty_wait_for(int master, char **all, size_t *len, const char *text)
{
	while (*all == NULL || strstr(*all, text) == NULL) {
		struct pollfd p = {master, POLLIN, 0};

		if (poll(&p, 1, WAIT_MS) <= 0 || !drain(master, all, len))
			fail_msg(
			    "the terminal never showed '%s'; it showed: %s",
			    text, *all ? *all : "");
	}
}

/* Starts create-admin EMAIL --password-stdin with a new pty as its
 * controlling terminal, stdin, stdout and stderr; *master is our side,
 * *slave the terminal's, still open here. */
static pid_t
spawn_on_terminal(const char *email, int *master, int *slave)
{
	const char *const args[] = {"create-admin", email, "--password-stdin",
	                            NULL};
	const char       *path = tool_path();
	const char       *db_url = itest_env("DATABASE_URL");
	const char       *public_url = itest_env("BASE_URL");
	pid_t             pid;

	assert_int_equal(openpty(master, slave, NULL, NULL, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		ioctl(*slave, TIOCSCTTY, 0);
		dup2(*slave, 0);
		dup2(*slave, 1);
		dup2(*slave, 2);
		close(*master);
		if (*slave > 2)
			close(*slave);
		if (getuid() == 0) {
			struct passwd *pw = getpwnam(SERVICE_USER);

			if (pw != NULL && (setgroups(0, NULL) != 0 ||
			                   setgid(pw->pw_gid) != 0 ||
			                   setuid(pw->pw_uid) != 0))
				_exit(127);
		}
		exec_tool(path, args, db_url, public_url);
	}
	return pid;
}

/*
 * Runs create-admin EMAIL --password-stdin on a terminal and types `first`
 * and `second` at its two prompts.  r->out is everything the terminal
 * showed.
 */
static struct tool_run *
run_on_terminal(const char *email, const char *first, const char *second)
{
	struct tool_run *r = itest_keep(calloc(1, sizeof(*r)), free);
	char            *all = NULL;
	size_t           len = 0;
	int              master, slave;
	pid_t            pid = spawn_on_terminal(email, &master, &slave);

	close(slave);
	/* Typed only once asked: the tool has turned echo off by then. */
	pty_wait_for(master, &all, &len, "Password for ");
	assert_int_equal(write(master, first, strlen(first)),
	                 (ssize_t)strlen(first));
	assert_int_equal(write(master, "\n", 1), 1);
	pty_wait_for(master, &all, &len, "Repeat the password: ");
	assert_int_equal(write(master, second, strlen(second)),
	                 (ssize_t)strlen(second));
	assert_int_equal(write(master, "\n", 1), 1);
	for (;;) {
		struct pollfd p = {master, POLLIN, 0};

		if (poll(&p, 1, WAIT_MS) <= 0) {
			kill(pid, SIGKILL);
			fail_msg("hgkm-account did not finish");
		}
		if (!drain(master, &all, &len))
			break;
	}
	close(master);
	r->status = wait_status(pid);
	r->out = itest_keep(all, free);
	r->err = r->out;
	return r;
}

/* The id in "admin account EMAIL created (id N)\n", which must be the
 * first line of stdout, exactly. */
static long
created_id(const struct tool_run *r, const char *email)
{
	const char *prefix = itest_fmt("admin account %s created (id ", email);
	long        id = 0;
	char        rest[4] = "";

	if (r->status != 0 || strncmp(r->out, prefix, strlen(prefix)) != 0 ||
	    sscanf(r->out + strlen(prefix), "%ld%3[)\n]", &id, rest) != 2 ||
	    strcmp(rest, ")\n") != 0 || id <= 0)
		fail_msg("hgkm-account: status %d, stdout '%s', stderr '%s'",
		         r->status, r->out, r->err);
	return id;
}

static long
users_with(const char *canonical)
{
	return itest_db_long(
	    "SELECT count(*) FROM users WHERE email_canonical = $1", canonical,
	    NULL);
}

static long
audit_rows(long id)
{
	return itest_db_long("SELECT count(*) FROM audit_log WHERE action = $1"
	                     " AND target = $2",
	                     ACTION, itest_fmt("user:%ld", id));
}

/* The account is an administrator of nothing in particular, verified,
 * with one audit entry without an actor. */
static void
expect_admin_row(long id, const char *email, const char *name)
{
	const char *ids = itest_fmt("%ld", id);

	assert_string_equal(
	    itest_db_text("SELECT email || '|' || name || '|' || role || '|' ||"
	                  " email_verified || '|' || (school_id IS NULL"
	                  " AND board_id IS NULL AND region_id IS NULL)"
	                  " FROM users WHERE id = $1",
	                  ids, NULL),
	    itest_fmt("%s|%s|admin|true|true", email, name));
	assert_int_equal(
	    itest_db_long("SELECT count(*) FROM audit_log WHERE action = $1"
	                  " AND target = $2 AND actor_id IS NULL",
	                  ACTION, itest_fmt("user:%ld", id)),
	    1);
}

static void
expect_login_fails(const char *email, const char *password)
{
	itest_expect_error(itest_login(email, password), 401,
	                   "invalid_credentials");
}

/* POST /boards and /schools with the token: 201 both. */
static void
make_board_and_school(const char *token)
{
	json_t *board = itest_keep_json(json_pack(
	    "{s:s, s:s}", "name", itest_fmt("IT-bestuur %s", org_tag()),
	    "number", itest_fmt("9%08u", randombytes_uniform(100000000))));
	json_t *j = itest_expect_json(
	    itest_post_json("/api/v1/boards", token, itest_dump(board)), 201);
	json_t *school = itest_keep_json(json_pack(
	    "{s:I, s:s, s:s, s:s}", "board_id", (json_int_t)itest_jint(j, "id"),
	    "name", itest_fmt("IT-school %s", org_tag()), "brin",
	    org_unique_brin(), "municipality",
	    itest_fmt("IT-gemeente %s", org_tag())));

	j = itest_expect_json(
	    itest_post_json("/api/v1/schools", token, itest_dump(school)), 201);
	assert_true(itest_jint(j, "id") > 0);
}

/* The operator gives the password: the admin logs in and works at once. */
static void
test_account_tool_password_stdin(void **state)
{
	const char       *email = itest_unique_email();
	const char       *password = itest_strong_password();
	const char *const args[] = {"create-admin",     email,
	                            "--name",           "Eerste Beheerder",
	                            "--password-stdin", NULL};
	struct tool_run  *r = run_tool(args, itest_fmt("%s\n", password));
	long              id = created_id(r, email);

	(void)state;
	/* One line, no link; the password is never shown. */
	assert_string_equal(
	    r->out,
	    itest_fmt("admin account %s created (id %ld)\n", email, id));
	assert_null(strstr(r->err, password));
	expect_admin_row(id, email, "Eerste Beheerder");
	assert_int_equal(itest_db_long("SELECT count(*) FROM account_tokens"
	                               " WHERE user_id = $1",
	                               itest_fmt("%ld", id), NULL),
	                 0);
	make_board_and_school(itest_login_token(email, password));
}

/* Without a password: a one-time link of the API's reset mechanism. */
static void
test_account_tool_link(void **state)
{
	const char       *email = itest_unique_email();
	const char       *password = itest_strong_password();
	const char *const args[] = {"create-admin", email, NULL};
	struct tool_run  *r = run_tool(args, NULL);
	long              id = created_id(r, email);
	const char       *prefix =
	    itest_fmt("%s/account.html#reset=", itest_env("BASE_URL"));
	const char   *link = strchr(r->out, '\n') + 1;
	char          token[65], hash[65];
	unsigned char h[crypto_hash_sha256_BYTES];
	json_t       *body;

	(void)state;
	expect_admin_row(id, email, "Beheerder");
	/* "...created (id N)\n", the line that says what the link is, the
	 * link. */
	assert_int_equal(strncmp(link, LINK_INTRO, strlen(LINK_INTRO)), 0);
	link += strlen(LINK_INTRO);
	assert_int_equal(strncmp(link, prefix, strlen(prefix)), 0);
	assert_int_equal(strlen(link + strlen(prefix)), 65);
	assert_int_equal(sscanf(link + strlen(prefix), "%64[0-9a-f]", token),
	                 1);
	assert_string_equal(link + strlen(prefix) + 64, "\n");
	/* Only its SHA-256 is stored, for a day. */
	crypto_hash_sha256(h, (const unsigned char *)token, 64);
	sodium_bin2hex(hash, sizeof(hash), h, sizeof(h));
	assert_int_equal(
	    itest_db_long(
	        "SELECT count(*) FROM account_tokens WHERE user_id = $1"
	        " AND token_hash = $2 AND purpose = 'reset_password'"
	        " AND used_at IS NULL"
	        " AND expires_at > now() + interval '23 hours'"
	        " AND expires_at <= now() + interval '24 hours'",
	        itest_fmt("%ld", id), hash),
	    1);
	assert_int_equal(itest_db_long("SELECT count(*) FROM account_tokens"
	                               " WHERE token_hash = $1",
	                               token, NULL),
	                 0);
	/* No password works before the link is used. */
	expect_login_fails(email, "!");
	expect_login_fails(email, password);
	body = itest_keep_json(
	    json_pack("{s:s, s:s}", "token", token, "password", password));
	itest_expect_status(itest_post_json(RESET, NULL, itest_dump(body)),
	                    204);
	make_board_and_school(itest_login_token(email, password));
	/* Once only: the link does not set another password. */
	body = itest_keep_json(json_pack("{s:s, s:s}", "token", token,
	                                 "password", "Een-Ander-Wachtwoord-7"));
	itest_expect_error(itest_post_json(RESET, NULL, itest_dump(body)), 400,
	                   "validation_failed");
	expect_login_fails(email, "Een-Ander-Wachtwoord-7");
	(void)itest_login_token(email, password);
}

/* An address with an account is refused, in any case of its letters, and
 * that account stays as it was. */
static void
test_account_tool_existing_address(void **state)
{
	struct itest_user *teacher = itest_new_teacher();
	const char        *upper = itest_fmt("%s", teacher->email);
	const char        *ids = itest_fmt("%ld", teacher->id);
	const char        *before, *admin_email = itest_unique_email();
	const char *const  args[] = {"create-admin", upper, "--password-stdin",
	                             NULL};
	const char *const  again[] = {"create-admin", admin_email,
	                              "--password-stdin", NULL};
	const char *const  link_args[] = {"create-admin", admin_email, NULL};
	struct tool_run   *r;
	long               admin_id;

	(void)state;
	for (char *p = (char *)upper; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	before = itest_db_text("SELECT row_to_json(u)::text FROM users u"
	                       " WHERE id = $1",
	                       ids, NULL);
	r = run_tool(args, "Een-Nieuw-Beheer-Wachtwoord-1\n");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "already has an account"));
	assert_string_equal(r->out, "");
	assert_string_equal(itest_db_text("SELECT row_to_json(u)::text"
	                                  " FROM users u WHERE id = $1",
	                                  ids, NULL),
	                    before);
	assert_int_equal(users_with(teacher->email), 1);
	assert_int_equal(audit_rows(teacher->id), 0);
	expect_login_fails(upper, "Een-Nieuw-Beheer-Wachtwoord-1");
	(void)itest_login_token(teacher->email, teacher->password);

	/* The same admin twice: no second link, no password set. */
	admin_id = created_id(run_tool(link_args, NULL), admin_email);
	r = run_tool(again, "Een-Nieuw-Beheer-Wachtwoord-2\n");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "already has an account"));
	assert_int_equal(users_with(admin_email), 1);
	assert_int_equal(audit_rows(admin_id), 1);
	assert_string_equal(itest_db_text("SELECT password_hash FROM users"
	                                  " WHERE id = $1",
	                                  itest_fmt("%ld", admin_id), NULL),
	                    "!");
	r = run_tool(link_args, NULL);
	assert_int_equal(r->status, 1);
	assert_int_equal(itest_db_long("SELECT count(*) FROM account_tokens"
	                               " WHERE user_id = $1",
	                               itest_fmt("%ld", admin_id), NULL),
	                 1);
}

/* The registration's policy, with its Dutch text; no account is made. */
static void
test_account_tool_weak_password(void **state)
{
	static const struct {
		const char *password, *message;
	} cases[] = {
	    {"kort-1", TOO_SHORT},
	    {"Wachtwoord12", TOO_COMMON},
	    {"", TOO_SHORT},
	};
	char  *long_pw = itest_keep(malloc(1100 + 2), free);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]) + 2; i++) {
		const char       *email = itest_unique_email();
		const char *const args[] = {"create-admin", email,
		                            "--password-stdin", NULL};
		const char       *input, *message;
		struct tool_run  *r;

		if (i < sizeof(cases) / sizeof(cases[0])) {
			input = itest_fmt("%s\n", cases[i].password);
			message = cases[i].message;
		} else if (i == sizeof(cases) / sizeof(cases[0])) {
			memset(long_pw, 'x', 1100);
			strcpy(long_pw + 1100, "\n");
			input = long_pw;
			message = TOO_LONG;
		} else {
			input = NULL; /* nothing on stdin */
			message = "no password on standard input";
		}
		r = run_tool(args, input);
		if (r->status != 2 || strstr(r->err, message) == NULL)
			fail_msg("case %zu: status %d, stderr '%s'", i,
			         r->status, r->err);
		assert_string_equal(r->out, "");
		assert_int_equal(users_with(email), 0);
	}
}

/* Wrong use: exit 2 with the reason, nothing made. */
static void
test_account_tool_bad_input(void **state)
{
	const char              *email = itest_unique_email();
	static const char *const help[] = {"--help", NULL};
	static const char *const none[] = {NULL};
	static const char *const no_email[] = {"create-admin", NULL};
	const char *const unknown[] = {"create-admin", email, "--role", "admin",
	                               NULL};
	static const char *const bad_email[] = {"create-admin", "geen-adres",
	                                        NULL};
	static const char *const erased[] = {"create-admin",
	                                     "x@verwijderd.invalid", NULL};
	const char *const        bad_name[] = {"create-admin", email, "--name",
	                                       "Twee\nregels", NULL};
	const char *const        plain[] = {"create-admin", email, NULL};
	struct tool_run         *r = run_tool(help, NULL);

	(void)state;
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "create-admin EMAIL"));
	assert_non_null(strstr(r->out, "HGKM_PUBLIC_URL"));
	assert_int_equal(run_tool(none, NULL)->status, 2);
	assert_int_equal(run_tool(no_email, NULL)->status, 2);
	r = run_tool(unknown, NULL);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "unknown option '--role'"));
	r = run_tool(bad_email, NULL);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "is not an email address"));
	r = run_tool(erased, NULL);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "kept for erased accounts"));
	r = run_tool(bad_name, NULL);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "--name must be"));
	/* A link needs the site's address; the database its URL. */
	r = run_with(plain, NULL, itest_env("DATABASE_URL"), NULL);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "HGKM_PUBLIC_URL is not set"));
	r = run_with(plain, NULL, NULL, itest_env("BASE_URL"));
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "HGKM_DATABASE_URL is not set"));
	assert_int_equal(users_with(email), 0);
}

/* libpq's reason, exit 1. */
static void
test_account_tool_database_down(void **state)
{
	const char *const args[] = {"create-admin", itest_unique_email(),
	                            "--password-stdin", NULL};
	struct tool_run  *r = run_with(
	     args, "Een-Sterk-Wachtwoord-77\n",
	     "host=/nonexistent-hgkm port=1 dbname=hgkm user=hgkm_app", NULL);

	(void)state;
	assert_int_equal(r->status, 1);
	assert_string_equal(r->out, "");
	assert_non_null(strstr(r->err, "/nonexistent-hgkm/.s.PGSQL.1"));
	assert_non_null(strstr(r->err, "nothing was changed"));
}

/* On a terminal: asked twice, never echoed; two different answers make
 * nothing. */
static void
test_account_tool_terminal(void **state)
{
	const char      *email = itest_unique_email();
	const char      *password = itest_strong_password();
	struct tool_run *r = run_on_terminal(email, password, password);
	const char      *line = strstr(r->out, "admin account ");

	(void)state;
	if (r->status != 0 || line == NULL)
		fail_msg("status %d, terminal: %s", r->status, r->out);
	assert_null(strstr(r->out, password));
	/* The pty ends lines with \r\n. */
	assert_int_equal(
	    strncmp(line, itest_fmt("admin account %s created (id ", email),
	            strlen(email) + 27),
	    0);
	(void)itest_login_token(email, password);

	email = itest_unique_email();
	r = run_on_terminal(email, password, "Een-Ander-Wachtwoord-9");
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->out, "the two passwords differ"));
	assert_null(strstr(r->out, password));
	assert_int_equal(users_with(email), 0);
}

/* Interrupted at the prompt: the terminal echoes again, nothing is made. */
static void
test_account_tool_terminal_interrupt(void **state)
{
	const char    *email = itest_unique_email();
	char          *all = NULL;
	size_t         len = 0;
	struct termios t;
	int            master, slave, st, waited = 0;
	pid_t          pid = spawn_on_terminal(email, &master, &slave);

	(void)state;
	pty_wait_for(master, &all, &len, "Password for ");
	itest_keep(all, free);
	assert_int_equal(tcgetattr(slave, &t), 0);
	assert_int_equal(t.c_lflag & ECHO, 0);
	assert_int_equal(write(master, "\x03", 1), 1); /* ^C */
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (++waited > WAIT_MS / 10) {
			kill(pid, SIGKILL);
			fail_msg("^C did not end hgkm-account");
		}
		usleep(10000);
	}
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGINT);
	assert_int_equal(tcgetattr(slave, &t), 0);
	assert_int_not_equal(t.c_lflag & ECHO, 0);
	close(master);
	close(slave);
	assert_int_equal(users_with(email), 0);
}

/* The uid in /proc/PID/status's "Uid:" line (real uid). */
static long
proc_uid(pid_t pid)
{
	char  path[64], line[256];
	long  uid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

/* While it waits for the password, the tool is not dumpable: the kernel
 * gives its /proc/PID files (mem, environ; ptrace) to root, not to the user it
 * runs as, so another process of that user cannot read or trace it. */
static void
test_account_tool_not_traceable(void **state)
{
	const char *email = itest_unique_email();
	char       *all = NULL;
	size_t      len = 0;
	struct stat st;
	long        uid;
	int         master, slave;
	pid_t       pid = spawn_on_terminal(email, &master, &slave);

	(void)state;
	pty_wait_for(master, &all, &len, "Password for ");
	itest_keep(all, free);
	uid = proc_uid(pid);
	assert_int_equal(stat(itest_fmt("/proc/%d/mem", (int)pid), &st), 0);
	kill(pid, SIGKILL);
	wait_status(pid);
	close(master);
	close(slave);
	if (uid == 0)
		skip(); /* root owns /proc/PID either way (no user hgkm) */
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(users_with(email), 0);
}

int
itest_run_account_tool(void)
{
	const struct CMUnitTest tests[] = {
	    ITEST(test_account_tool_password_stdin),
	    ITEST(test_account_tool_link),
	    ITEST(test_account_tool_existing_address),
	    ITEST(test_account_tool_weak_password),
	    ITEST(test_account_tool_bad_input),
	    ITEST(test_account_tool_database_down),
	    ITEST(test_account_tool_terminal),
	    ITEST(test_account_tool_terminal_interrupt),
	    ITEST(test_account_tool_not_traceable),
	};

	return cmocka_run_group_tests_name("account_tool", tests, NULL, NULL);
}
