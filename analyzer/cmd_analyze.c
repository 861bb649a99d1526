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

static int write_charts(void *vctx, const char *stage, int rendered, struct strbuf *err)
{
	struct analyze_ctx *x = vctx;
	return pl_write(x->r, stage, x->data, err);
}

static int write_report(void *vctx, const char *stage, int rendered, struct strbuf *err)
{
	struct analyze_ctx *x = vctx;
	struct rp_options rpo = { 0 };
	rpo.rendered = rendered;
	rpo.timestamp = x->o->timestamp;
	rpo.show_names = x->o->show_names;
	return rp_write(x->r, stage, &rpo, err);
}

int cmd_analyze(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out, struct strbuf *err)
{
	struct an_result r;
	struct analyze_ctx x = { o, data, &r };
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
	st = cmd_write_report(o, out->out_dir, keep, nk, write_charts, write_report, &x, &out->no_gnuplot, err);
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
