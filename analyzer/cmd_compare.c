/* cmd_compare: netreach compare (see cmd.h). */
#include "cmd.h"

#include <stdlib.h>

#include "compare.h"
#include "plot.h"
#include "report.h"

#include "banned.h"

struct compare_ctx {
	const struct cmd_options *o;
	struct nr_data *data;
	const struct an_result *b, *a;
	const struct cmp_result *c;
};

static int write_charts(void *vctx, const char *stage, size_t i, struct strbuf *err)
{
	struct compare_ctx *x = vctx;
	struct pl_compare pc = { x->c->added_at, x->c->removed_at, x->c->moves, x->c->nr_moves, x->c->countries,
				 x->c->nr_countries };
	return pl_compare_write(x->b, x->a, &pc, stage, x->data, err);
}

static int write_report(void *vctx, const char *stage, int rendered, struct strbuf *err)
{
	struct compare_ctx *x = vctx;
	struct rp_options ro = { 0 };
	ro.rendered = rendered;
	ro.timestamp = x->o->timestamp;
	ro.show_names = x->o->show_names;
	return rp_compare_write(x->b, x->a, x->c, stage, &ro, err);
}

int cmd_compare(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out, struct strbuf *err)
{
	struct an_result a, b;
	struct cmp_result c;
	struct compare_ctx x = { o, data, &b, &a, &c };
	const struct cmd_writer w = { &x, NULL, 1, write_charts, write_report }; /* the charts are one piece */
	const char *before = o->inputs[0], *after = o->inputs[1];
	const char *keep[] = { before, after, o->an.profile_path, o->an.ing.locations_path, o->an.regions_path };
	int st;

	out->out_dir = o->out_dir ? xstrdup(o->out_dir) : cmd_default_out_dir("compare-", after);
	st = cmp_run(data, &o->an, before, after, &b, &a, &c, err);
	if (st)
		return st;
	st = cmd_write_report(o, out->out_dir, keep, ARRAY_SIZE(keep), &w, &out->no_gnuplot, err);
	if (!st)
		rp_compare_headline(&out->headline, &b, &a, &c);
	cmp_result_release(&c);
	an_result_release(&b);
	an_result_release(&a);
	return st;
}
