#ifndef FUZZ_H
#define FUZZ_H

/* Shared by the fuzz targets whose code under test reads a path. */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Write data to a new private file path (a "/tmp/...-XXXXXX" template,
 * filled in). Returns 0, or -1 when it cannot (nothing is left behind).
 */
static inline int fuzz_write_tmp(char *path, const uint8_t *data, size_t size)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

#endif
