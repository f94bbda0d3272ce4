/* Uploaded media files on disk: written whole or not at all, readable by
 * nginx's group (it serves them through X-Accel-Redirect). */
#ifndef MEDIA_H
#define MEDIA_H

#include <stddef.h>

/* The mode of every stored media file, whatever the umask: the service
 * writes, the directory's group (setgid: www-data) reads. */
#define MEDIA_FILE_MODE 0640

/*
 * Stores buf as dir/name: a temporary file in dir, synced, given
 * MEDIA_FILE_MODE, then renamed over the final name, so that nginx never
 * serves half a file.  The temporary name is random; `tag` (the pid) in it
 * tells whose it was.  Returns 0, or -1 with errno set and nothing left.
 */
int media_store(const char *dir, const char *name, const void *buf, size_t len,
                int tag);

#endif
