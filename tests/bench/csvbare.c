/*
 * csvbare: the baseline for scripts/bench-ingest. One pass of libcsv over a
 * file with no-op callbacks, the same chunk size (256 KiB) and read loop as
 * ing_read, so the ratio measures what ingestion adds on top of libcsv.
 *
 *   csvbare FILE   prints: rows seconds
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define CHUNK_SIZE (256 * 1024)

static void on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
}

static void on_row(int c, void *data)
{
	(void)c;
	++*(unsigned long *)data;
}

int main(int argc, char **argv)
{
	struct csv_parser p;
	struct timespec a, b;
	unsigned long rows = 0;
	char *buf;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: csvbare FILE\n");
		return 64;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 66;
	}
	buf = malloc(CHUNK_SIZE);
	if (!buf)
		return 71;
	clock_gettime(CLOCK_MONOTONIC, &a);
	csv_init(&p, 0);
	while ((n = read(fd, buf, CHUNK_SIZE)) > 0) {
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &rows) != (size_t)n) {
			fprintf(stderr, "csvbare: %s\n", csv_strerror(csv_error(&p)));
			return 65;
		}
	}
	csv_fini(&p, on_field, on_row, &rows);
	csv_free(&p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	{
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		/* rows, wall seconds, CPU seconds (user + system), peak RSS KiB */
		printf("%lu\t%.3f\t%.3f\t%ld\n", rows,
		       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		       ru.ru_maxrss);
	}
	free(buf);
	close(fd);
	return 0;
}
