/* The only module that includes fcgiapp.h. */
#include "fcgi_io.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

struct fcgi_conn {
	FCGX_Request fr;
	int          listen_fd;
};

static const char *param(FCGX_Request *fr, struct request *r, const char *name);
static int         listen_flags(int fd);

/* Close-on-exec (a reload clears it only for the exec that hands it on),
 * and non-blocking: the workers wait in ppoll, and the one that loses the
 * race for a connection gets EAGAIN from accept instead of sleeping in it
 * where no signal reaches it. */
static int
listen_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

int
fcgi_listen(const char *path, int backlog, gid_t group)
{
	int fd;

	if (FCGX_Init() != 0)
		return -1;
	/* A stale socket from a crashed master would make bind() fail. */
	unlink(path);
	fd = FCGX_OpenSocket(path, backlog);
	if (fd < 0)
		return -1;
	if ((group != (gid_t)-1 && chown(path, (uid_t)-1, group) != 0) ||
	    chmod(path, 0660) != 0 || listen_flags(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
fcgi_adopt(int fd, const char *path)
{
	struct sockaddr_un sa;
	socklen_t          len = sizeof(sa);
	struct stat        st;

	if (FCGX_Init() != 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0 ||
	    sa.sun_family != AF_UNIX ||
	    strncmp(sa.sun_path, path, sizeof(sa.sun_path)) != 0) {
		errno = EINVAL;
		return -1;
	}
	return listen_flags(fd) < 0 ? -1 : fd;
}

struct fcgi_conn *
fcgi_open(int listen_fd)
{
	struct fcgi_conn *fc = calloc(1, sizeof(*fc));

	if (fc != NULL && FCGX_InitRequest(&fc->fr, listen_fd, 0) != 0) {
		free(fc);
		fc = NULL;
	}
	if (fc != NULL)
		fc->listen_fd = listen_fd;
	return fc;
}

int
fcgi_accept(struct fcgi_conn *fc, const sigset_t *wait_mask)
{
	struct pollfd pfd = {.fd = fc->listen_fd, .events = POLLIN};
	int           rc;

	/* A connection nginx keeps open (fastcgi_keep_conn) brings the next
	 * request itself, not the listening socket. */
	if (fc->fr.ipcFd >= 0)
		pfd.fd = fc->fr.ipcFd;
	/* Signals come in only here, between requests: libfcgi fails a
	 * request whose read, write or select is interrupted. */
	if (ppoll(&pfd, 1, NULL, wait_mask) < 0)
		return errno == EINTR ? 1 : -1;
	rc = FCGX_Accept_r(&fc->fr);
	if (rc >= 0)
		return 0;
	/* libfcgi returns -errno; EAGAIN: another worker was first. */
	return rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ? 1 : -1;
}

void
fcgi_finish(struct fcgi_conn *fc)
{
	FCGX_Finish_r(&fc->fr);
}

void
fcgi_close(struct fcgi_conn *fc)
{
	if (fc == NULL)
		return;
	FCGX_Free(&fc->fr, 1);
	free(fc);
}

static const char *
param(FCGX_Request *fr, struct request *r, const char *name)
{
	const char *v = FCGX_GetParam(name, fr->envp);

	return v == NULL ? NULL : arena_strdup(r->arena, v);
}

void
fcgi_read_params(struct fcgi_conn *fc, struct request *r)
{
	FCGX_Request *fr = &fc->fr;
	const char   *https;

	r->method = param(fr, r, "REQUEST_METHOD");
	r->path = param(fr, r, "DOCUMENT_URI");
	r->query = param(fr, r, "QUERY_STRING");
	r->content_type = param(fr, r, "CONTENT_TYPE");
	r->authorization = param(fr, r, "HTTP_AUTHORIZATION");
	r->cookie = param(fr, r, "HTTP_COOKIE");
	r->origin = param(fr, r, "HTTP_ORIGIN");
	r->if_none_match = param(fr, r, "HTTP_IF_NONE_MATCH");
	r->remote_addr = param(fr, r, "REMOTE_ADDR");
	https = FCGX_GetParam("HTTPS", fr->envp);
	r->https = https != NULL && strcasecmp(https, "on") == 0;
	r->content_length = http_parse_content_length(
	    FCGX_GetParam("CONTENT_LENGTH", fr->envp));
	if (r->method == NULL)
		r->method = "GET";
	if (r->path == NULL)
		r->path = "/";
	if (r->query == NULL)
		r->query = "";
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	if (r->content_type != NULL && r->content_type[0] == '\0')
		r->content_type = NULL;
}

int
fcgi_read_body(struct fcgi_conn *fc, struct request *r, size_t limit)
{
	FCGX_Request *fr = &fc->fr;
	size_t        want, got = 0;
	char         *buf;
	int           n;

	if (r->content_length == -2)
		return 400;
	if (r->content_length <= 0) {
		r->body = NULL;
		r->body_len = 0;
		return 0;
	}
	if ((unsigned long long)r->content_length > limit)
		return 413;
	want = (size_t)r->content_length;
	buf = arena_alloc(r->arena, want + 1);
	while (got < want) {
		n = FCGX_GetStr(buf + got, (int)(want - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < want)
		return 400;
	buf[got] = '\0';
	r->body = buf;
	r->body_len = got;
	return 0;
}

int
fcgi_send(struct fcgi_conn *fc, const struct request *r,
          const struct response *res)
{
	FCGX_Request *fr = &fc->fr;
	bool          cache_set = false;

	(void)r;
	if (FCGX_FPrintF(fr->out, "Status: %d %s\r\n", res->status,
	                 http_status_text(res->status)) < 0)
		return -1;
	if (res->content_type != NULL)
		FCGX_FPrintF(fr->out, "Content-Type: %s\r\n",
		             res->content_type);
	for (int i = 0; i < res->nheaders; i++) {
		FCGX_FPrintF(fr->out, "%s: %s\r\n", res->headers[i].name,
		             res->headers[i].value);
		if (strcasecmp(res->headers[i].name, "Cache-Control") == 0)
			cache_set = true;
	}
	/* API answers carry personal data: never cache them by default. */
	if (!cache_set)
		FCGX_PutS("Cache-Control: no-store\r\n", fr->out);
	FCGX_PutS("\r\n", fr->out);
	if (res->body_len > 0 &&
	    FCGX_PutStr(res->body, (int)res->body_len, fr->out) < 0)
		return -1;
	return FCGX_FFlush(fr->out) < 0 ? -1 : 0;
}
