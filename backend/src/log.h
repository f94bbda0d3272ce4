/* Error and access logs: one line per event, written with one write(2). */
#ifndef LOG_H
#define LOG_H

/* Opens the log files (NULL or "-" means stderr).  Returns -1 on failure. */
int log_open(const char *error_path, const char *access_path);

/*
 * Opens the same paths again (after logrotate moved them) and swaps the
 * new descriptors in; a file that cannot be opened keeps its old
 * descriptor, with one line about it.  Not for a signal handler: callers
 * set a flag there and call this from their loop.
 */
void log_reopen(void);

/* An error-log line: time, pid, level and the formatted message. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Drops info lines from now on: a command-line tool's stderr is for what
 * its user must read. */
void log_info_off(void);

/* One access-log line: method, path, status, microseconds, user id (0 when
 * anonymous).  The path is written with control characters escaped. */
void log_access(const char *method, const char *path, int status,
                long long micros, long long user_id);

#endif
