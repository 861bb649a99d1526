/*
 * ingestbench: drive ing_read outside the CLI.
 *   ingestbench FILE...                 ing_read with a counting callback;
 *                                       prints rows and seconds per file
 *   ingestbench --inspect FILE [--locations F] [--column ROLE=HEADER]...
 *                                       ing_inspect to stdout (what
 *                                       `netreach inspect` prints)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ingest.h"
#include "util.h"

#include "banned.h"

struct counts {
	unsigned long rows, ok, bytes;
};

static int count_row(const struct ing_row *row, void *ctx)
{
	struct counts *c = ctx;
	c->rows++;
	c->ok += row->status == ING_ROW_OK;
	c->bytes += row->location_len;
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct ing_options opt;
	struct strbuf err = STRBUF_INIT;
	const char *inspect = NULL;
	int ret = 0;

	memset(&opt, 0, sizeof(opt));
	sb_init(&err, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--inspect") && i + 1 < argc) {
			inspect = argv[++i];
		} else if (!strcmp(argv[i], "--locations") && i + 1 < argc) {
			opt.locations_path = argv[++i];
		} else if (!strcmp(argv[i], "--column") && i + 1 < argc) {
			char *eq = strchr(argv[++i], '=');
			int role;
			if (!eq) {
				fprintf(stderr, "ingestbench: --column ROLE=HEADER\n");
				return 64;
			}
			*eq = '\0';
			role = ing_role_parse(argv[i]);
			if (role < 0) {
				fprintf(stderr, "ingestbench: unknown role '%s'\n", argv[i]);
				return 64;
			}
			opt.column[role] = eq + 1;
		}
	}
	if (inspect) {
		ret = ing_inspect(stdout, inspect, &opt, &err);
		if (ret)
			fprintf(stderr, "netreach: %s\n", err.buf);
		sb_release(&err);
		return ret;
	}
	for (int i = 1; i < argc; i++) {
		struct counts c = { 0, 0, 0 };
		struct ing_info info;
		struct rusage ru;
		double t0;
		if (!strcmp(argv[i], "--locations") || !strcmp(argv[i], "--column")) {
			i++;
			continue;
		}
		t0 = now();
		ret = ing_read(argv[i], &opt, count_row, NULL, &c, &info, &err);
		if (ret) {
			fprintf(stderr, "netreach: %s\n", err.buf);
			ing_info_release(&info);
			break;
		}
		getrusage(RUSAGE_SELF, &ru);
		/* file, rows, wall seconds, CPU seconds (user + system), peak RSS KiB */
		printf("%s\t%lu\t%.3f\t%.3f\t%ld\n", argv[i], c.rows, now() - t0,
		       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		       ru.ru_maxrss);
		ing_info_release(&info);
	}
	sb_release(&err);
	return ret;
}
