/* The only module that talks to libfcgi: the socket, request parameters,
 * the body and the response bytes. */
#ifndef FCGI_IO_H
#define FCGI_IO_H

#include <stddef.h>

#include "http.h"

/* A worker's FastCGI request slot, reused for every request it accepts. */
struct fcgi_conn;

/*
 * Creates the unix socket nginx connects to, mode 0660: libfcgi's record
 * parser must only ever see nginx (CVE-2025-23016), so never a TCP port.
 * Returns the listening descriptor or -1.
 */
int fcgi_listen(const char *path, int backlog);

/* A request slot on the listening socket; NULL when libfcgi refuses. */
struct fcgi_conn *fcgi_open(int listen_fd);

/* Waits for the next request: 0, or -1 when the worker should stop (the
 * socket closed, or fcgi_stop was called). */
int fcgi_accept(struct fcgi_conn *fc);

/* Ends the accepted request (the answer has been sent). */
void fcgi_finish(struct fcgi_conn *fc);

/* Frees the slot and its buffers. */
void fcgi_close(struct fcgi_conn *fc);

/* From a signal handler: makes fcgi_accept give up instead of retrying. */
void fcgi_stop(void);

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
