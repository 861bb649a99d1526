#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#include "banned.h"

#define PG_INTERVAL 0.25  /* seconds between redraws */
#define PG_WIDTH 20

static double pg_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pg_init_stream(struct pg *pg, FILE *out)
{
	memset(pg, 0, sizeof(*pg));
	pg->out = out;
	pg->start = pg_now();
	pg->last_draw = pg->start;
}

void pg_init(struct pg *pg, int enable)
{
	pg_init_stream(pg, enable && isatty(STDERR_FILENO) ? stderr : NULL);
}

void pg_update(struct pg *pg, unsigned long long done, unsigned long long total,
	       unsigned long records)
{
	struct strbuf line = STRBUF_INIT;
	double t, elapsed, rate;
	int fill = 0;

	if (!pg->out)
		return;
	if (records && records - pg->last_check < PG_CHECK_ROWS && done != total)
		return;
	pg->last_check = records;
	t = pg_now();
	if (t - pg->last_draw < PG_INTERVAL && done != total)
		return;
	pg->last_draw = t;
	elapsed = t - pg->start;
	rate = elapsed > 0 ? (double)records / elapsed : 0;

	sb_init(&line, 96);
	sb_adds(&line, "\r[");
	if (total)
		fill = (int)((double)done / (double)total * PG_WIDTH);
	if (fill > PG_WIDTH)
		fill = PG_WIDTH;
	for (int i = 0; i < PG_WIDTH; i++)
		sb_addch(&line, i < fill ? '#' : '.');
	sb_addch(&line, ']');
	if (total)
		sb_addf(&line, " %3d%%  %.1f/%.1f MB", (int)(100.0 * (double)done / (double)total),
			(double)done / 1e6, (double)total / 1e6);
	else
		sb_addf(&line, "  %.1f MB", (double)done / 1e6);
	sb_adds(&line, "  ");
	sb_add_count(&line, (unsigned long long)rate);
	sb_adds(&line, " rows/s");
	if (total && done > 0 && done < total && elapsed > 0) {
		double left = elapsed * (double)(total - done) / (double)done;
		unsigned long s = (unsigned long)(left + 0.5);
		sb_addf(&line, "  %lu:%02lu left", s / 60, s % 60);
	}
	sb_adds(&line, "\033[K");
	fputs(line.buf, pg->out);
	fflush(pg->out);
	pg->drawn = 1;
	sb_release(&line);
}

void pg_finish(struct pg *pg)
{
	if (pg->out && pg->drawn) {
		fputs("\r\033[K", pg->out);
		fflush(pg->out);
	}
	pg->drawn = 0;
}

void pg_ing_progress(unsigned long long done, unsigned long long total,
		     unsigned long records, void *ctx)
{
	pg_update(ctx, done, total, records);
}
