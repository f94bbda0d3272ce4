/* The only module that talks to libfcgi: the socket, request parameters,
 * the body and the response bytes. */
#ifndef FCGI_IO_H
#define FCGI_IO_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "http.h"

/* A worker's FastCGI request slot, reused for every request it accepts. */
struct fcgi_conn;

/*
 * Creates the unix socket nginx connects to, mode 0660, given to `group`
 * unless it is (gid_t)-1: libfcgi's record parser must only ever see
 * nginx (CVE-2025-23016), so never a TCP port.  Returns the listening
 * descriptor (close-on-exec, non-blocking) or -1.
 */
int fcgi_listen(const char *path, int backlog, gid_t group);

/* Takes over a listening socket that the previous master handed down
 * through exec (a reload): checks that fd is a unix socket bound to path.
 * Returns fd or -1. */
int fcgi_adopt(int fd, const char *path);

/* A request slot on the listening socket; NULL when libfcgi refuses. */
struct fcgi_conn *fcgi_open(int listen_fd);

/*
 * Waits for the next request with wait_mask in place (signals_setup: the
 * stop and reopen signals are let in only here).  0: a request; 1: a
 * signal came or another worker took the connection (check the flags and
 * call again); -1: the socket failed.
 */
int fcgi_accept(struct fcgi_conn *fc, const sigset_t *wait_mask);

/* Ends the accepted request (the answer has been sent). */
void fcgi_finish(struct fcgi_conn *fc);

/* Frees the slot and its buffers. */
void fcgi_close(struct fcgi_conn *fc);

/* Copies the CGI parameters the service uses into r (arena strings). */
void fcgi_read_params(struct fcgi_conn *fc, struct request *r);

/*
 * Reads the body, at most `limit` bytes.  Returns 0, 413 when the body is
 * larger than the limit, or 400 when it is shorter than CONTENT_LENGTH.
 * Checks CONTENT_LENGTH before allocating anything.
 */
int fcgi_read_body(struct fcgi_conn *fc, struct request *r, size_t limit);

/* Writes status line, headers and body.  Returns -1 when the client went
 * away (nothing else to do then). */
int fcgi_send(struct fcgi_conn *fc, const struct request *r,
              const struct response *res);

#endif
