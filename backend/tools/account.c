/* hgkm-account: the operator's account tool; creates the first
 * administrator, which nobody can do through the API (see --help). */

/*
 * Everything a person types is checked by the rules the API uses (the
 * canonical address of validate.c, the password policy and hashing of
 * auth.c), and the link is made by the code that makes the API's reset
 * links (store_link_create, auth_link_url), so that the account is like
 * any other.  The
 * account, its link and its audit entry are one transaction
 * (store_admin_create).  An address that has an account is refused, never
 * changed: the operator must not be able to make someone an administrator
 * by knowing their address.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "store/store.h"
#include "validate.h"

#define EXIT_CREATED 0
#define EXIT_REFUSED 1 /* the address has an account; the database failed */
#define EXIT_USAGE 2   /* wrong arguments, settings or input */

#define LINK_SECONDS (24 * 3600)
#define NAME_MAX_CHARS 200 /* as POST /api/v1/users */
#define DEFAULT_NAME "Beheerder"
#define AUDIT_ACTION "create-admin (hgkm-account)"
#define STATEMENT_TIMEOUT_MS 10000
/* One byte more than the policy allows, so that a longer line is "too
 * long" by auth_password_problem(), and its NUL. */
#define PASSWORD_BUF (AUTH_PASSWORD_MAX + 2)

struct options {
	const char *email;
	const char *name;
	bool        password_stdin;
	bool        help;
};

static void        usage(void);
static int         parse_args(int argc, char **argv, struct options *o);
static const char *email_reason(enum email_check c);
static bool        name_ok(const char *name);
static const char *public_url_of(struct arena *a);
static int         read_line(int fd, char *buf, size_t cap);
static int         read_password(const char *email, char *pw, char *again);
static const char *password_problem(const char *pw);
static enum db_status
password_hash_of(const char *email, char hash[crypto_pwhash_STRBYTES], int *rc);
static int report(const char *email, enum db_status st, long long id,
                  const char *link);
static int create_admin(const struct options *o);

/* --help */
static void
usage(void)
{
	fputs(
	    "usage: hgkm-account create-admin EMAIL [--name NAME] "
	    "[--password-stdin]\n"
	    "       hgkm-account --help\n"
	    "\n"
	    "create-admin      create an administrator account: role admin, "
	    "no\n"
	    "                  school, board or region, the address counts as\n"
	    "                  verified.  Without --password-stdin the account "
	    "has\n"
	    "                  no usable password; a one-time link to choose "
	    "one\n"
	    "                  is printed, valid for 24 hours.\n"
	    "--name NAME       the name the platform shows "
	    "(default: " DEFAULT_NAME ")\n"
	    "--password-stdin  read the password from standard input (one "
	    "line);\n"
	    "                  on a terminal it is asked twice, without echo\n"
	    "\n"
	    "An address that already has an account is refused; that account "
	    "is\n"
	    "never changed.  Each account made is written to the audit log.\n"
	    "\n"
	    "settings (environment):\n"
	    "  HGKM_DATABASE_URL  libpq connection string of the platform's "
	    "database\n"
	    "  HGKM_PUBLIC_URL    the site's address, for the link\n"
	    "                     (e.g. https://leren.example.nl)\n"
	    "\n"
	    "exit status: 0 created; 1 not created (the address has an "
	    "account,\n"
	    "or the database failed); 2 wrong arguments, settings or input\n",
	    stdout);
}

/* 0, or -1 after saying what is wrong. */
static int
parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->name = DEFAULT_NAME;
	if (argc < 2) {
		fputs("hgkm-account: no command given\n", stderr);
		return -1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		o->help = true;
		return 0;
	}
	if (strcmp(argv[1], "create-admin") != 0) {
		fprintf(stderr, "hgkm-account: unknown command '%s'\n",
		        argv[1]);
		return -1;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
		} else if (strcmp(a, "--password-stdin") == 0) {
			o->password_stdin = true;
		} else if (strcmp(a, "--name") == 0) {
			if (i + 1 == argc) {
				fputs("hgkm-account: --name needs a value\n",
				      stderr);
				return -1;
			}
			o->name = argv[++i];
		} else if (strncmp(a, "--name=", 7) == 0) {
			o->name = a + 7;
		} else if (a[0] == '-') {
			fprintf(stderr, "hgkm-account: unknown option '%s'\n",
			        a);
			return -1;
		} else if (o->email != NULL) {
			fputs("hgkm-account: give one EMAIL only\n", stderr);
			return -1;
		} else {
			o->email = a;
		}
	}
	if (!o->help && o->email == NULL) {
		fputs("hgkm-account: create-admin needs an EMAIL\n", stderr);
		return -1;
	}
	return 0;
}

/* validate.c's refusals, in English for the operator. */
static const char *
email_reason(enum email_check c)
{
	switch (c) {
	case EMAIL_NOT_ASCII:
		return "it has characters outside ASCII; write an "
		       "international domain in its xn-- form";
	case EMAIL_RESERVED:
		return "the domain " EMAIL_ERASED_DOMAIN
		       " is kept for erased accounts";
	case EMAIL_OK:
	case EMAIL_INVALID:
	default:
		return "it is not an email address (one @, a domain such as "
		       "school.nl, no spaces, at most 254 characters)";
	}
}

/* The API's rule for names (valid UTF-8 is jansson's part there). */
static bool
name_ok(const char *name)
{
	size_t len = strlen(name);

	return utf8_invalid_at(name, len) == len && validate_plain_text(name) &&
	       utf8_chars(name) <= NAME_MAX_CHARS;
}

/* HGKM_PUBLIC_URL without a trailing '/', or NULL after saying why. */
static const char *
public_url_of(struct arena *a)
{
	const char *url = getenv("HGKM_PUBLIC_URL");
	size_t      len;

	if (url == NULL || url[0] == '\0') {
		fputs(
		    "hgkm-account: HGKM_PUBLIC_URL is not set; the link needs "
		    "the site's address (e.g. https://leren.example.nl)\n",
		    stderr);
		return NULL;
	}
	len = strlen(url);
	if ((strncmp(url, "https://", 8) != 0 &&
	     strncmp(url, "http://", 7) != 0) ||
	    len > 512 || strpbrk(url, " \t\r\n#?") != NULL) {
		fputs(
		    "hgkm-account: HGKM_PUBLIC_URL must be the site's address, "
		    "such as https://leren.example.nl\n",
		    stderr);
		return NULL;
	}
	while (len > 0 && url[len - 1] == '/')
		len--;
	return arena_strndup(a, url, len);
}

/*
 * One line from fd, byte by byte with read(2), so that no stdio buffer
 * keeps a copy of the password and nothing after the line is consumed.
 * Keeps at most cap - 1 bytes (the rest of a longer line is left unread)
 * and drops the line end.  Returns the bytes kept, or -1 at end of input
 * before any byte.
 */
static int
read_line(int fd, char *buf, size_t cap)
{
	size_t  n = 0;
	ssize_t got = 0;
	char    c;

	while (n < cap - 1 && (got = read(fd, &c, 1)) == 1 && c != '\n')
		buf[n++] = c;
	if (n == 0 && got <= 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (int)n;
}

/* The terminal's settings while echo is off, for the signal handler. */
static struct termios        saved_tty;
static volatile sig_atomic_t echo_off;

/* Echo comes back before a signal ends the program. */
static void
restore_tty_and_die(int sig)
{
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The signals that end a program at a terminal; while echo is off, each
 * restores the terminal first. */
static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NTTY_SIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

/* Installs restore_tty_and_die (old: NULL) or puts back what was there. */
static void
tty_signal_handlers(struct sigaction old[NTTY_SIGNALS], bool install)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_tty_and_die;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NTTY_SIGNALS; i++)
		sigaction(tty_signals[i], install ? &sa : &old[i],
		          install ? &old[i] : NULL);
}

/*
 * The password into pw (PASSWORD_BUF bytes): one line of standard input,
 * or on a terminal asked twice without echo (the second time into again)
 * and compared.  0, or -1 after saying what is wrong.
 */
static int
read_password(const char *email, char *pw, char *again)
{
	struct sigaction old[NTTY_SIGNALS];
	struct termios   quiet;
	int              n1, n2 = -1;

	if (!isatty(STDIN_FILENO)) {
		if (read_line(STDIN_FILENO, pw, PASSWORD_BUF) < 0) {
			fputs("hgkm-account: --password-stdin: no password on "
			      "standard input\n",
			      stderr);
			return -1;
		}
		return 0;
	}
	if (tcgetattr(STDIN_FILENO, &saved_tty) != 0) {
		perror("hgkm-account: terminal");
		return -1;
	}
	quiet = saved_tty;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	tty_signal_handlers(old, true);
	echo_off = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
		echo_off = 0;
		tty_signal_handlers(old, false);
		perror("hgkm-account: terminal");
		return -1;
	}
	fprintf(stderr, "Password for %s: ", email);
	n1 = read_line(STDIN_FILENO, pw, PASSWORD_BUF);
	fputs("\n", stderr);
	if (n1 >= 0) {
		fputs("Repeat the password: ", stderr);
		n2 = read_line(STDIN_FILENO, again, PASSWORD_BUF);
		fputs("\n", stderr);
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	echo_off = 0;
	tty_signal_handlers(old, false);
	if (n1 < 0 || n2 < 0) {
		fputs("hgkm-account: no password given\n", stderr);
		return -1;
	}
	if (n1 != n2 || sodium_memcmp(pw, again, (size_t)n1) != 0) {
		fputs("hgkm-account: the two passwords differ\n", stderr);
		return -1;
	}
	return 0;
}

/* NULL when the password may be used; else why not (the web's Dutch text
 * for the policy). */
static const char *
password_problem(const char *pw)
{
	const char *problem = auth_password_problem(pw);
	size_t      len = strlen(pw);

	if (problem != NULL)
		return problem;
	/* A browser sends UTF-8 only: any other password could never be
	 * typed at the login. */
	if (utf8_invalid_at(pw, len) != len)
		return "the password is not UTF-8 text, so no browser could "
		       "send it";
	return NULL;
}

/*
 * Reads the password (read_password), checks it and hashes it into hash;
 * the text is locked in memory and wiped.  DB_OK, or DB_ERROR when hashing
 * failed; *rc is EXIT_USAGE when the password was refused.
 */
static enum db_status
password_hash_of(const char *email, char hash[crypto_pwhash_STRBYTES], int *rc)
{
	char          *pw = sodium_malloc(PASSWORD_BUF);
	char          *again = sodium_malloc(PASSWORD_BUF);
	const char    *problem;
	enum db_status st = DB_OK;

	if (pw == NULL || again == NULL) {
		fputs("hgkm-account: out of memory\n", stderr);
		st = DB_ERROR;
	} else if (read_password(email, pw, again) != 0) {
		*rc = EXIT_USAGE;
	} else if ((problem = password_problem(pw)) != NULL) {
		fprintf(stderr, "hgkm-account: %s\n", problem);
		*rc = EXIT_USAGE;
	} else if (auth_password_hash(pw, hash) != 0) {
		fputs("hgkm-account: hashing the password failed (out of "
		      "memory?)\n",
		      stderr);
		st = DB_ERROR;
	}
	/* sodium_free() wipes; NULL is nothing to free. */
	sodium_free(pw);
	sodium_free(again);
	return st;
}

/* Says what became of the account; the exit status. */
static int
report(const char *email, enum db_status st, long long id, const char *link)
{
	switch (st) {
	case DB_OK:
		printf("admin account %s created (id %lld)\n", email, id);
		if (link != NULL)
			printf("one-time link to choose the password (works "
			       "once, valid for 24 hours):\n%s\n",
			       link);
		return EXIT_CREATED;
	case DB_CONFLICT:
		fprintf(stderr,
		        "hgkm-account: %s already has an account; nothing was "
		        "changed (an existing account is never made an "
		        "administrator here)\n",
		        email);
		break;
	case DB_UNAVAILABLE:
		fputs("hgkm-account: the database cannot be reached (libpq's "
		      "reason is above); nothing was changed\n",
		      stderr);
		break;
	case DB_NOT_FOUND:
	case DB_ERROR:
	default:
		fputs("hgkm-account: the database refused (see above); nothing "
		      "was changed\n",
		      stderr);
		break;
	}
	return EXIT_REFUSED;
}

static int
create_admin(const struct options *o)
{
	static const struct db_stmt *const tables[] = {
	    store_org_stmts, store_accounts_stmts, NULL};
	char                   canonical[EMAIL_MAX + 1];
	char                   hash[crypto_pwhash_STRBYTES];
	const char            *conninfo, *public_url = NULL, *secret = NULL;
	const char            *link = NULL, *stored, *name;
	struct store_new_admin in = {.email = o->email,
	                             .canonical = canonical,
	                             .name = o->name,
	                             .link_seconds = LINK_SECONDS,
	                             .audit_action = AUDIT_ACTION};
	struct arena           a;
	struct db              db;
	struct store_ctx       ctx = {.db = &db, .arena = &a};
	enum email_check       ec;
	enum db_status         st;
	long long              id = 0;
	int                    rc = EXIT_CREATED;

	ec = strlen(o->email) > EMAIL_MAX
	         ? EMAIL_INVALID
	         : email_canonical(o->email, canonical);
	if (ec != EMAIL_OK) {
		fprintf(stderr, "hgkm-account: '%s' cannot be used: %s\n",
		        o->email, email_reason(ec));
		return EXIT_USAGE;
	}
	if (!name_ok(o->name)) {
		fprintf(stderr,
		        "hgkm-account: --name must be 1 to %d characters of "
		        "UTF-8 text without control characters\n",
		        NAME_MAX_CHARS);
		return EXIT_USAGE;
	}
	conninfo = getenv("HGKM_DATABASE_URL");
	if (conninfo == NULL || conninfo[0] == '\0') {
		fputs("hgkm-account: HGKM_DATABASE_URL is not set (a libpq "
		      "connection string)\n",
		      stderr);
		return EXIT_USAGE;
	}
	if (auth_init() < 0) {
		fputs("hgkm-account: libsodium does not start\n", stderr);
		return EXIT_REFUSED;
	}
	arena_init(&a, 16 * 1024);
	if (!o->password_stdin && (public_url = public_url_of(&a)) == NULL) {
		arena_destroy(&a);
		return EXIT_USAGE;
	}
	log_info_off();
	db_init(&db, conninfo, tables, STATEMENT_TIMEOUT_MS);
	/* Connected, and the address free, before a password is asked. */
	st = db_ensure(&db);
	if (st == DB_OK)
		st = store_user_id_by_email(&ctx, canonical, &id, &stored,
		                            &name);
	if (st == DB_OK)
		st = DB_CONFLICT;
	else if (st == DB_NOT_FOUND && o->password_stdin)
		st = password_hash_of(o->email, hash, &rc);
	else if (st == DB_NOT_FOUND)
		st = DB_OK;
	if (rc == EXIT_USAGE)
		goto done; /* the password was refused, and why said */
	if (st == DB_OK) {
		in.password_hash = o->password_stdin ? hash : NULL;
		st = store_admin_create(&ctx, &in, &id, &secret);
	}
	if (st == DB_OK && secret != NULL)
		link = auth_link_url(&a, public_url, store_link_reset.anchor,
		                     secret);
	sodium_memzero(hash, sizeof(hash));
	rc = report(o->email, st, id, link);
done:
	db_close(&db);
	arena_destroy(&a);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;

	/* The tool runs as the service user while an operator types a
	 * password: a compromised service process of that same user must not
	 * ptrace it or read its memory (/proc/PID/mem); no core dump of it
	 * either. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		perror("hgkm-account: prctl(PR_SET_DUMPABLE)");
		return EXIT_USAGE;
	}
	if (parse_args(argc, argv, &o) != 0) {
		fputs("usage: hgkm-account create-admin EMAIL [--name NAME] "
		      "[--password-stdin]\n"
		      "(hgkm-account --help tells more)\n",
		      stderr);
		return EXIT_USAGE;
	}
	if (o.help) {
		usage();
		return EXIT_CREATED;
	}
	return create_admin(&o);
}
