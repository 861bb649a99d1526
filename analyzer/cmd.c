/* cmd: what the analyze and compare commands share (see cmd.h). */
#include "cmd.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"
#include "plot.h"

#include "banned.h"

void cmd_report_init(struct cmd_report *r)
{
	memset(r, 0, sizeof(*r));
	sb_init(&r->headline, 0);
}

void cmd_report_release(struct cmd_report *r)
{
	free(r->out_dir);
	sb_release(&r->headline);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

char *cmd_default_out_dir(const char *prefix, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *base = strrchr(path, '/');
	const char *dot;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	sb_adds(&sb, "reports/");
	if (prefix)
		sb_adds(&sb, prefix);
	for (const char *c = base; *c && c != dot; c++)
		sb_addch(&sb, (*c == ' ' || *c == '\t' || (unsigned char)*c < 0x20) ? '_' : *c);
	if (sb.len == strlen("reports/"))
		sb_adds(&sb, "report");
	return sb_detach(&sb, NULL);
}

/* Render the charts in stage unless !o->render; *rendered says whether gnuplot produced the PNGs. */
static int render(const struct cmd_options *o, const char *stage, int *rendered, int *no_gnuplot,
		  struct strbuf *err)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int st;
	*rendered = 0;
	if (!o->render)
		return NR_EX_OK;
	st = pl_render(stage, jobs > 0 ? (int)jobs : 1, o->render_timeout_s, err);
	if (st == PL_NO_GNUPLOT) {
		/* the report says how to render by hand */
		*no_gnuplot = 1;
		sb_reset(err);
		return NR_EX_OK;
	}
	if (st == NR_EX_OK)
		*rendered = 1;
	return st;
}

/* The pieces of a cmd_writer, taken in index order by whichever thread is free. */
struct pieces {
	const struct cmd_writer *w;
	const char *stage;
	atomic_size_t next;
	int *st;                 /* st[i], errs[i]: piece i's */
	struct strbuf *errs;
};

static void *pieces_run(void *arg)
{
	struct pieces *p = arg;
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->w->nr_pieces;)
		p->st[i] = p->w->piece(p->w->ctx, p->stage, i, &p->errs[i]);
	return NULL;
}

/* Write w's pieces on up to jobs threads (the calling one included); the first failure by index is the result. */
static int write_pieces(const struct cmd_writer *w, const char *stage, int jobs, struct strbuf *err)
{
	struct pieces p;
	pthread_t tid[2];
	int started = 0, st = NR_EX_OK;
	p.w = w;
	p.stage = stage;
	atomic_init(&p.next, 0);
	p.st = xcalloc(w->nr_pieces + 1, sizeof(*p.st));
	p.errs = xcalloc(w->nr_pieces + 1, sizeof(*p.errs));
	for (size_t i = 0; i < w->nr_pieces; i++)
		sb_init(&p.errs[i], 0);
	while (started < jobs - 1 && started < (int)ARRAY_SIZE(tid) && (size_t)started + 1 < w->nr_pieces &&
	       pthread_create(&tid[started], NULL, pieces_run, &p) == 0)
		started++;
	pieces_run(&p);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < w->nr_pieces; i++) {
		if (p.st[i] && !st) {
			st = p.st[i];
			sb_add(err, p.errs[i].buf, p.errs[i].len);
		}
		sb_release(&p.errs[i]);
	}
	free(p.st);
	free(p.errs);
	return st;
}

int cmd_write_report(const struct cmd_options *o, const char *dir, const char *const *keep, size_t nkeep,
		     const struct cmd_writer *w, int *no_gnuplot, struct strbuf *err)
{
	struct outdir od = { 0 };
	int rendered = 0, jobs = an_jobs(&o->an);
	int st = od_begin(&od, dir, keep, nkeep, err);
	if (st)
		return st;
	st = w->prepare ? w->prepare(w->ctx, od.stage, err) : NR_EX_OK;
	if (!st)
		st = write_pieces(w, od.stage, jobs, err);
	if (!st)
		st = render(o, od.stage, &rendered, no_gnuplot, err);
	if (!st)
		st = w->docs(w->ctx, od.stage, rendered, err);
	if (!st) {
		st = od_commit(&od, err);
	} else {
		od_unstage_message(&od, err);
		od_abort(&od);
	}
	return st;
}
