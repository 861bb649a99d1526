#include "plot.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "data.h"
#include "geocode.h"
#include "i18n.h"
#include "plot_int.h"
#include "stats.h"

#include "banned.h"

static void write_meta(struct pl_writer *w)
{
	const struct gc_place *h = &w->r->home.place;
	const char *cont = st_continent_name(h->continent);
	/* every chart text that names them puts them after a preposition ("from %s", "in %s") */
	pl_labelz(&w->data, pl_home_in(w->r));
	sb_addch(&w->data, '\t');
	pl_labelz(&w->data, h->admin1 && *h->admin1 ? i18n_admin1_dative(h->cc, h->admin1_code, h->admin1) : _("the home region"));
	sb_addch(&w->data, '\t');
	pl_labelz(&w->data, h->country && *h->country ? i18n_country_dative(h->cc, h->country) : _("the home country"));
	sb_addch(&w->data, '\t');
	pl_labelz(&w->data, cont ? _(cont) : _("the home continent"));
	sb_addch(&w->data, '\n');
	pl_put_file(w, "meta.tsv", &w->data);
}

/*
 * Create DIR/charts (its path into charts, which w->dir then points to)
 * and get the outlines from data (nd_*, each file read once per command):
 * *world always (when data), *home when home is not NULL, w->lakes; NULL
 * when there is no data. Returns w->st. Writes no file.
 */
static int pw_begin(struct pl_writer *w, struct strbuf *charts, const char *dir, struct nr_data *data,
		    const struct geo_outlines **world, const struct geo_outlines **home)
{
	sb_addf(charts, "%s/charts", dir);
	*world = NULL;
	if (home)
		*home = NULL;
	if (mkdir(charts->buf, 0777) && errno != EEXIST) {
		sb_addf(w->err, "'%s': cannot create: %s", charts->buf, strerror(errno));
		return w->st = NR_EX_CANTCREAT;
	}
	w->dir = charts->buf;
	w->data_dir = data ? data->dir : NULL;
	sb_init(&w->gp, 4096);
	sb_init(&w->data, 4096);
	if (data) {
		w->st = nd_world_outlines(data, world, w->err);
		if (!w->st && home)
			w->st = nd_home_outlines(data, home, w->err);
		if (!w->st)
			w->st = nd_lakes(data, &w->lakes, w->err);
	}
	return w->st;
}

static void pw_end(struct pl_writer *w, struct strbuf *charts)
{
	sb_release(&w->gp);
	sb_release(&w->data);
	sb_release(charts);
}

int pl_write(const struct an_result *r, const char *dir, struct nr_data *data, struct strbuf *err)
{
	static const int order[PL_PARTS] = { 2, 0, 1 }; /* the small charts (and meta.tsv) first */
	int st = NR_EX_OK;
	for (int i = 0; i < PL_PARTS && !st; i++)
		st = pl_write_part(r, dir, data, order[i], err);
	return st;
}

int pl_prepare(const char *dir, struct nr_data *data, struct strbuf *err)
{
	struct pl_writer w = { NULL, NULL, err, NR_EX_OK, STRBUF_INIT, STRBUF_INIT, NULL, NULL };
	struct strbuf charts = STRBUF_INIT;
	const struct geo_outlines *world, *home;
	pw_begin(&w, &charts, dir, data, &world, &home);
	pw_end(&w, &charts);
	return w.st;
}

/* The parts, the costliest first (a part that starts late should be short): the world map, the home map, the rest. */
int pl_write_part(const struct an_result *r, const char *dir, struct nr_data *data, int part, struct strbuf *err)
{
	struct pl_writer w = { r, NULL, err, NR_EX_OK, STRBUF_INIT, STRBUF_INIT, NULL, NULL };
	struct strbuf charts = STRBUF_INIT;
	const struct geo_outlines *world, *home;

	pw_begin(&w, &charts, dir, data, &world, &home);
	if (!w.st && part == 0)
		pl_chart_world(&w, world);
	else if (!w.st && part == 1)
		pl_chart_home(&w, home);
	else if (!w.st) {
		write_meta(&w);
		if (!w.st)
			pl_chart_reach(&w);
		if (!w.st)
			pl_chart_bands(&w);
		if (!w.st)
			pl_chart_cdf(&w);
		if (!w.st)
			pl_chart_items(&w, "countries", _("Top countries"), _("Countries with the most connections (top 15)"),
				       r->summary.countries, r->summary.nr_countries, 0,
				       _("No connection could be placed in a country."));
		if (!w.st)
			pl_chart_items(&w, "admin1", _("Top states and regions"),
				       _("States, provinces and regions with the most connections (top 15)"),
				       r->summary.admin1, r->summary.nr_admin1, 1,
				       _("No connection could be placed in a state or region."));
		if (!w.st)
			pl_chart_timeline(&w);
	}
	pw_end(&w, &charts);
	return w.st;
}

int pl_compare_write(const struct an_result *b, const struct an_result *a, const struct pl_compare *c,
		     const char *dir, struct nr_data *data, struct strbuf *err)
{
	struct pl_writer w = { a, NULL, err, NR_EX_OK, STRBUF_INIT, STRBUF_INIT, NULL, NULL };
	struct strbuf charts = STRBUF_INIT;
	const struct geo_outlines *world;

	pw_begin(&w, &charts, dir, data, &world, NULL);
	if (!w.st)
		write_meta(&w);
	if (!w.st)
		pl_chart_compare_reach(&w, b, a);
	if (!w.st)
		pl_chart_compare_countries(&w, a, c);
	if (!w.st)
		pl_chart_compare_map(&w, world, b, c);
	if (!w.st)
		pl_chart_compare_cdf(&w, b, a);
	if (!w.st)
		pl_chart_compare_timeline(&w, b, a);
	pw_end(&w, &charts);
	return w.st;
}
