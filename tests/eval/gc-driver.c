/*
 * gc-driver: resolve one location per stdin line and print the
 * `netreach geocode` TSV (used by scripts/eval-geocoder and
 * scripts/bench-geocode when build/netreach is not available).
 * Usage: gc-driver [DATA_DIR]   (default build/share/netreach)
 *        gc-driver --bench [DATA_DIR] < lines: print timings instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gazetteer.h"
#include "geocode.h"
#include "util.h"
#include "banned.h"

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int main(int argc, char **argv)
{
	int bench = argc > 1 && !strcmp(argv[1], "--bench");
	const char *dir = argc > 1 + bench ? argv[1 + bench] : "build/share/netreach";
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct gz *gz;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	double t0 = now_ms();
	int rc;

	sb_init(&err, 0);
	sb_init(&out, 1 << 16);
	rc = gz_open(&gz, dir, &err);
	if (rc) {
		fprintf(stderr, "gc-driver: %s\n", err.buf);
		return rc;
	}
	struct gc *gc = gc_new(gz);
	/* touch the index the way the first lookup does */
	gc_resolve(gc, "Berlin", 6);
	double t_open = now_ms() - t0;
	if (!bench)
		gc_write_tsv_header(&out);
	char **lines = NULL;
	size_t *lens = NULL, nlines = 0, alines = 0, alens = 0;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (bench) {
			ALLOC_GROW(lines, nlines + 1, alines);
			ALLOC_GROW(lens, nlines + 1, alens);
			lines[nlines] = xstrndup(line, (size_t)n);
			lens[nlines++] = (size_t)n;
			continue;
		}
		gc_write_tsv_row(&out, line, (size_t)n, gc_resolve(gc, line, (size_t)n));
		if (out.len > (1 << 15)) {
			fwrite(out.buf, 1, out.len, stdout);
			sb_reset(&out);
		}
	}
	if (bench) {
		struct gc *fresh = gc_new(gz);
		double t1 = now_ms(), c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
		for (size_t i = 0; i < nlines; i++)
			gc_resolve(fresh, lines[i], lens[i]);
		double t2 = now_ms(), c2 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
		size_t distinct = gc_cache_size(fresh);
		printf("cold_start_ms\t%.2f\ndistinct\t%zu\nlookups_per_sec\t%.0f\nlookups_per_cpu_sec\t%.0f\n", t_open,
		       distinct, distinct / ((t2 - t1) / 1e3), distinct / ((c2 - c1) / 1e3));
		gc_free(fresh);
		for (size_t i = 0; i < nlines; i++)
			free(lines[i]);
		free(lines);
		free(lens);
	}
	fwrite(out.buf, 1, out.len, stdout);
	free(line);
	gc_free(gc);
	gz_close(gz);
	sb_release(&err);
	sb_release(&out);
	return 0;
}
