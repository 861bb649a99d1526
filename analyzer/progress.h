#ifndef PROGRESS_H
#define PROGRESS_H

/*
 * progress: a one-line progress bar on stderr while reading an export:
 *
 *   [#########.........]  47%  12.3/26.0 MB  182,344 rows/s  0:07 left
 *
 * Shown only when enabled and stderr is a terminal; otherwise every call
 * is a no-op. Redrawn at most a few times per second: the clock is read
 * at most once per PG_CHECK_ROWS records (and on each call that reports
 * no records at all, e.g. before the header). pg_finish erases the line.
 *
 * Ownership: struct pg is the caller's (no heap memory); it holds the FILE
 * it writes to, which it neither opens nor closes.
 */

#include <stdio.h>

#define PG_CHECK_ROWS 4096

struct pg {
	FILE *out;               /* NULL when disabled */
	double start, last_draw; /* monotonic seconds */
	unsigned long last_check;/* records at the last clock check */
	int drawn;               /* something is on the line */
};

/* Set up a bar on stderr; enabled only if enable and stderr is a tty. */
void pg_init(struct pg *pg, int enable);

/* Same with an explicit stream and no tty test (for tests). */
void pg_init_stream(struct pg *pg, FILE *out);

/* Report progress: done of total bytes (total 0 if unknown), records so far. */
void pg_update(struct pg *pg, unsigned long long done, unsigned long long total,
	       unsigned long records);

/* Erase the bar (if drawn); pg may be reused after pg_init. */
void pg_finish(struct pg *pg);

/* An ing_progress_fn: ctx is a struct pg *. */
void pg_ing_progress(unsigned long long done, unsigned long long total,
		     unsigned long records, void *ctx);

#endif
