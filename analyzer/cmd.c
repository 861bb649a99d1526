/* cmd: what the analyze and compare commands share (see cmd.h). */
#include "cmd.h"

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

int cmd_write_report(const struct cmd_options *o, const char *dir, const char *const *keep, size_t nkeep,
		     cmd_write_fn charts, cmd_write_fn report, void *ctx, int *no_gnuplot, struct strbuf *err)
{
	struct outdir od = { 0 };
	int rendered = 0;
	int st = od_begin(&od, dir, keep, nkeep, err);
	if (st)
		return st;
	st = charts(ctx, od.stage, -1, err);
	if (!st)
		st = render(o, od.stage, &rendered, no_gnuplot, err);
	if (!st)
		st = report(ctx, od.stage, rendered, err);
	if (!st) {
		st = od_commit(&od, err);
	} else {
		od_unstage_message(&od, err);
		od_abort(&od);
	}
	return st;
}
