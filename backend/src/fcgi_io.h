/* The only module that talks to libfcgi: the socket, request parameters,
 * the body and the response bytes. */
#ifndef FCGI_IO_H
#define FCGI_IO_H

#include <fcgiapp.h>

#include "http.h"

/*
 * Creates the unix socket nginx connects to, mode 0660: libfcgi's record
 * parser must only ever see nginx (CVE-2025-23016), so never a TCP port.
 * Returns the listening descriptor or -1.
 */
int fcgi_listen(const char *path, int backlog);

/* Copies the CGI parameters the service uses into r (arena strings). */
void fcgi_read_params(FCGX_Request *fr, struct request *r);

/*
 * Reads the body, at most `limit` bytes.  Returns 0, 413 when the body is
 * larger than the limit, or 400 when it is shorter than CONTENT_LENGTH.
 * Checks CONTENT_LENGTH before allocating anything.
 */
int fcgi_read_body(FCGX_Request *fr, struct request *r, size_t limit);

/* Writes status line, headers and body.  Returns -1 when the client went
 * away (nothing else to do then). */
int fcgi_send(FCGX_Request *fr, const struct request *r,
              const struct response *res);

#endif
