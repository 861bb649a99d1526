/* cmd_analyze: netreach analyze (see cmd.h). */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "report.h"

#include "banned.h"

struct analyze_ctx {
	const struct cmd_options *o;
	struct nr_data *data;
	const struct an_result *r;
};

static void report_options(const struct analyze_ctx *x, int rendered, struct rp_options *rpo)
{
	memset(rpo, 0, sizeof(*rpo));
	rpo->rendered = rendered;
	rpo->timestamp = x->o->timestamp;
	rpo->show_names = x->o->show_names;
}

static int prepare_charts(void *vctx, const char *stage, struct strbuf *err)
{
	struct analyze_ctx *x = vctx;
	return pl_prepare(stage, x->data, err);
}

/*
 * The pieces, the costliest first so that two threads end together: the
 * world map, the home map, the tables, the other charts.
 */
#define PIECE_TABLES 2
static const int piece_chart[] = { 0, 1, -1, 2 };

static int write_piece(void *vctx, const char *stage, size_t i, struct strbuf *err)
{
	struct analyze_ctx *x = vctx;
	struct rp_options rpo;
	if (i != PIECE_TABLES)
		return pl_write_part(x->r, stage, x->data, piece_chart[i], err);
	report_options(x, 0, &rpo);
	return rp_write_tables(x->r, stage, &rpo, err);
}

static int write_docs(void *vctx, const char *stage, int rendered, struct strbuf *err)
{
	struct analyze_ctx *x = vctx;
	struct rp_options rpo;
	report_options(x, rendered, &rpo);
	return rp_write_docs(x->r, stage, &rpo, err);
}

int cmd_analyze(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out, struct strbuf *err)
{
	struct an_result r;
	struct analyze_ctx x = { o, data, &r };
	const struct cmd_writer w = { &x, prepare_charts, ARRAY_SIZE(piece_chart), write_piece, write_docs };
	/* the run's inputs: a report directory that holds one is never replaced */
	size_t nk = o->nr_inputs + 3;
	const char **keep;
	int st;

	out->out_dir = o->out_dir ? xstrdup(o->out_dir) : cmd_default_out_dir(NULL, o->inputs[0]);
	st = an_run(data, &o->an, o->inputs, o->nr_inputs, &r, err);
	if (st)
		return st;
	if (r.notes)
		out->notes = xstrdup(r.notes);
	keep = xcalloc(nk, sizeof(*keep));
	memcpy(keep, o->inputs, o->nr_inputs * sizeof(*keep));
	keep[o->nr_inputs] = o->an.profile_path;
	keep[o->nr_inputs + 1] = o->an.ing.locations_path;
	keep[o->nr_inputs + 2] = o->an.regions_path;
	st = cmd_write_report(o, out->out_dir, keep, nk, &w, &out->no_gnuplot, err);
	free(keep);
	if (!st) {
		rp_headline(&out->headline, &r);
		sb_addch(&out->headline, '\n');
		rp_headline_base(&out->headline, &r);
		if (out->headline.len && out->headline.buf[out->headline.len - 1] == '\n')
			sb_setlen(&out->headline, out->headline.len - 1);
	}
	an_result_release(&r);
	return st;
}
