/*
 * Error and access logs.  Lines are formatted into a buffer and written with
 * one write(2) on an O_APPEND descriptor, so the lines of several worker
 * processes never interleave.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE 2048

static int error_fd = STDERR_FILENO;
static int access_fd = STDERR_FILENO;
/* The paths, for log_reopen; "" = stderr. */
static char error_path_kept[1024];
static char access_path_kept[1024];
static bool info_off;

static int    open_log(const char *path, int *fd);
static void   reopen_one(const char *path, int *fd);
static size_t stamp(char *buf, size_t len);
static void   vlog(const char *level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static int
open_log(const char *path, int *fd)
{
	int f;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	f = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (f < 0)
		return -1;
	*fd = f;
	return 0;
}

int
log_open(const char *error_path, const char *access_path)
{
	if (open_log(error_path, &error_fd) < 0)
		return -1;
	if (error_fd != STDERR_FILENO)
		snprintf(error_path_kept, sizeof(error_path_kept), "%s",
		         error_path);
	if (open_log(access_path, &access_fd) < 0)
		return -1;
	if (access_fd != STDERR_FILENO)
		snprintf(access_path_kept, sizeof(access_path_kept), "%s",
		         access_path);
	return 0;
}

/* The new file first, then the old descriptor goes: a line written in
 * between lands in one of the two, never nowhere. */
static void
reopen_one(const char *path, int *fd)
{
	int f, old;

	if (path[0] == '\0')
		return;
	f = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (f < 0) {
		log_error("log: cannot reopen %s: %s; still writing to the "
		          "old file",
		          path, strerror(errno));
		return;
	}
	old = *fd;
	*fd = f;
	close(old);
}

void
log_reopen(void)
{
	reopen_one(error_path_kept, &error_fd);
	reopen_one(access_path_kept, &access_fd);
}

static size_t
stamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm       tm;
	size_t          n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(buf + n, len - n, ".%03ldZ [%d] ",
	                      ts.tv_nsec / 1000000, (int)getpid());
	return n;
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char   line[LOG_LINE];
	size_t n = stamp(line, sizeof(line));
	int    m;

	m = snprintf(line + n, sizeof(line) - n, "%s: ", level);
	if (m > 0)
		n += (size_t)m;
	m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (m > 0)
		n += (size_t)m < sizeof(line) - n ? (size_t)m
		                                  : sizeof(line) - n - 1;
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(error_fd, line, n) < 0) {
		/* Nowhere left to report it. */
	}
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

void
log_info_off(void)
{
	info_off = true;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (info_off)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void
log_access(const char *method, const char *path, int status, long long micros,
           long long user_id)
{
	char   line[LOG_LINE], safe[512];
	size_t n, o = 0;

	for (const char *p = path ? path : "-";
	     *p != '\0' && o < sizeof(safe) - 5; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == ' ' || c == '"')
			o += (size_t)snprintf(safe + o, sizeof(safe) - o,
			                      "%%%02X", c);
		else
			safe[o++] = (char)c;
	}
	safe[o] = '\0';
	n = stamp(line, sizeof(line));
	n += (size_t)snprintf(
	    line + n, sizeof(line) - n, "%s %s %d %lldus user=%lld\n",
	    method ? method : "-", safe, status, micros, user_id);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (write(access_fd, line, n) < 0) {
		/* Nowhere left to report it. */
	}
}
