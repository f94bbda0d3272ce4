/* Media files on disk: temporary file, fchmod, fsync, rename. */
#include "media.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int
media_store(const char *dir, const char *name, const void *buf, size_t len,
            int tag)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int  fd, saved;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.%d.XXXXXX", dir, name, tag) >=
	        (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	        (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A new file of an unguessable name (O_CREAT|O_EXCL, mode 0600 until
	 * the fchmod): nothing planted in the directory (a symlink at a
	 * predictable name) is followed or truncated.  The rename replaces
	 * the directory entry itself, never what a symlink points to. */
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	/* open's mode is masked by the umask (systemd's UMask=, a shell's
	 * 077): nginx would answer 403. */
	if (fchmod(fd, MEDIA_FILE_MODE) != 0 ||
	    write(fd, buf, len) != (ssize_t)len || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}
