/*
 * fpbench: time geo_footprint_run on a list of points.
 *
 *   fpbench POINTS VERTICES JOBS [COUNTRIES.tsv]
 *
 * POINTS: one "lat lon" a line; VERTICES: of the disk polygons used for the
 * countries count (0: the default). Prints the union and hull areas, the
 * countries count (with COUNTRIES), and the CPU and wall seconds of the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "geo.h"
#include "util.h"

#include "banned.h"

static double now(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	FILE *f;
	double *lat = NULL, *lon = NULL, a, b, c0, w0;
	size_t n = 0, alloc = 0;
	struct geo_footprint fp;
	struct geo_footprint_opts o;
	struct geo_countries *c = NULL;
	struct strbuf err = STRBUF_INIT;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: fpbench POINTS VERTICES JOBS [COUNTRIES.tsv]\n");
		return 64;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 66;
	}
	while (fscanf(f, "%lf %lf", &a, &b) == 2) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			lat = realloc(lat, alloc * sizeof(*lat));
			lon = realloc(lon, alloc * sizeof(*lon));
			if (!lat || !lon)
				abort();
		}
		lat[n] = a;
		lon[n++] = b;
	}
	fclose(f);
	sb_init(&err, 0);
	if (argc > 4 && geo_countries_open(&c, argv[4], &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 66;
	}
	o.vertices = atoi(argv[2]);
	o.jobs = atoi(argv[3]);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	w0 = now(CLOCK_MONOTONIC);
	rc = geo_footprint_run(lat, lon, n, 50.0, c, &o, &fp, &err);
	printf("%zu points, %d vertices, %d jobs: union %.1f km2, hull %.1f km2, %zu countries; cpu %.3f s, wall %.3f s\n",
	       n, o.vertices, o.jobs, fp.union_km2, fp.hull_km2, fp.countries, now(CLOCK_PROCESS_CPUTIME_ID) - c0,
	       now(CLOCK_MONOTONIC) - w0);
	if (rc)
		fprintf(stderr, "%s\n", err.buf);
	geo_countries_free(c);
	sb_release(&err);
	free(lat);
	free(lon);
	return rc;
}
