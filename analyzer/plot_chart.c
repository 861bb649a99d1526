#include "plot_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "i18n.h"
#include "stats.h"

#include "banned.h"

/*
 * plot's charts: bars (reach, distance bands, countries, admin-1), the
 * distance CDF and the timeline, and the compare charts of the same kinds.
 */

#define TOP_N 15              /* bars in the countries and admin-1 charts */
#define CDF_PHONE_H 1300      /* the distance chart's height on the phone: its key stands above the plot */

static const double reach_colours[ST_REACH_COUNT] = {
	0x1f4e79, 0x2e75b6, 0x4a90c8, 0x75a9d6, 0x9dc3e6, 0xc6dcef,
};

static void gp_head(struct strbuf *gp, const char *stem, const char *what)
{
	pl_gp_head(gp, stem, what, PL_PHONE_HEIGHT);
}

/* "set xlabel 'text' font ',16'" and the like for an axis (xlabel, ylabel, y2label) */
static void gp_axis_label(struct strbuf *gp, const char *axis, const char *text)
{
	sb_addf(gp, "set %s nr_wrap(", axis);
	pl_gp_strz(gp, text);
	sb_adds(gp, ", 41) font ',16'\n");
}

/* A chart that says there is nothing to draw. msg is our own (translated) text. */
static void gp_no_data(struct strbuf *gp, const char *msg)
{
	sb_adds(gp, "unset border\nunset tics\nunset xlabel\nunset ylabel\n");
	sb_adds(gp, "set xrange [0:1]\nset yrange [0:1]\n");
	sb_adds(gp, "set label 103 ");
	pl_gp_strz(gp, msg);
	sb_adds(gp, " at graph 0.5, graph 0.5 center font ',20' textcolor rgb '" C_TEXT "' noenhanced\n");
	sb_adds(gp, "plot 2 notitle\n");
}

/* The chart file (STEM.gp) of a chart that says there is nothing to draw; msg as gp_no_data. */
static void put_no_data(struct pl_writer *w, const char *file, const char *msg)
{
	gp_no_data(&w->gp, msg);
	pl_put_file(w, file, &w->gp);
}

/* A share as a percentage for a data file (0 when not finite). */
static double pct_of(double share)
{
	return isfinite(share) ? share * 100.0 : 0.0;
}

/* "12.5%" / "12,5 %": a share for people, in the report's language */
static void add_pct1(struct strbuf *out, double share)
{
	struct strbuf n = STRBUF_INIT;
	i18n_fixed(&n, pct_of(share), 1);
	i18n_percent(out, n.buf);
	sb_release(&n);
}

/* "5 (12.5%)" in a data file's text column */
static void add_count_share(struct strbuf *out, unsigned long n, double share)
{
	i18n_count(out, n);
	sb_adds(out, " (");
	add_pct1(out, share);
	sb_addch(out, ')');
}

/* ---- 1. reach ----------------------------------------------------------- */

/* The frame of a horizontal bar chart: n rows top down, x from xmin to xmax. xlabel is our own (translated) text. */
static void gp_hbar_frame(struct strbuf *gp, size_t n, double xmin, double xmax, const char *xlabel)
{
	pl_gp_margins(gp, 0.31, 0.95, 0.10, 0.87, 0.03, 0.95, 0.11);
	sb_addf(gp, "set yrange [%zu.5:-0.5]\n", n ? n - 1 : 0);
	sb_addf(gp, "set xrange [%.6g:%.6g]\nnr_x0 = %.6g\n", xmin, xmax, xmin);
	/* on the phone each bar's name stands above it (nr_name: no tic label), the bar a little lower and thinner */
	sb_adds(gp, "set ytics scale 0 font ',16'\nnr_name(s) = nr_phone ? '' : s\nnr_bar = nr_phone ? 0.2 : 0.36\n"
		    "nr_dy = nr_phone ? 0.15 : 0\n");
	sb_adds(gp, "set xtics out font ',14'\n");
	gp_axis_label(gp, "xlabel", xlabel);
	sb_adds(gp, "set grid xtics lc rgb '" C_GRID "' lw 1 dt 1\nset grid noytics\nset border 1\n");
}

/* A share axis that ends at 100% although the range goes on (room for the bar texts). */
static void gp_share_axis(struct strbuf *gp)
{
	sb_adds(gp, "set xtics 0,20,100\nset border 0\n");
	sb_adds(gp, "set arrow 9 from 0, graph 0 to 100, graph 0 nohead lw 1 lc rgb '" C_TEXT "' back\n");
}

/* Horizontal bars: data rows "label \t value \t bar text \t colour"; value in [0, xmax]. */
static void gp_hbars(struct strbuf *gp, const char *file, size_t n, double xmax, const char *xlabel, int colour_col)
{
	gp_hbar_frame(gp, n, 0, xmax, xlabel);
	if (xmax > 100)
		gp_share_axis(gp); /* the range goes on for the bar texts, the axis stops at 100% */
	/* on the phone: the value at the right end of the name's line, the range no wider than the bars need */
	sb_addf(gp, "nr_xr = %.6g\nif (nr_phone) set xrange [0:nr_xr]\n", xmax > 100 ? 100 : xmax);
	if (colour_col)
		sb_addf(gp, "plot '%s' using ($2/2):($0 + nr_dy):($2/2):(nr_bar):4:yticlabels(nr_name(strcol(1))) with boxxyerror fc rgb variable, \\\n",
			file);
	else
		sb_addf(gp, "plot '%s' using ($2/2):($0 + nr_dy):($2/2):(nr_bar):yticlabels(nr_name(strcol(1))) with boxxyerror fc rgb '" C_MID "', \\\n",
			file);
	sb_adds(gp, "     '' using (nr_phone ? nr_off : $2):0:3 with labels left offset 0.8,0 font ',15' textcolor rgb '#000000' noenhanced, \\\n"
		    "     '' using (nr_phone ? nr_x0 : nr_off):($0 - 0.28):1 with labels left font ',14' textcolor rgb '" C_TEXT "' noenhanced, \\\n"
		    "     '' using (nr_phone ? nr_xr : nr_off):($0 - 0.28):3 with labels right font ',14' textcolor rgb '#000000' noenhanced\n");
}

/* The label of reach band i in the charts (plain text; goes through pl_labelz()). */
static void reach_band_label(struct strbuf *t, const struct an_result *r, int i)
{
	char km[32];
	snprintf(km, sizeof(km), "%.0f", r->radius_km);
	st_reach_label(t, i, ST_LABEL_CHART, km, pl_home_in(r), &r->home.place);
}

void pl_chart_reach(struct pl_writer *w)
{
	const struct an_result *r = w->r;
	const struct st_summary *s = &r->summary;
	struct strbuf t = STRBUF_INIT;

	gp_head(&w->gp, "reach", "how far the network reaches");
	pl_gp_title(&w->gp, _("How far your network reaches from %s"), "home",
		    _("Share of your connections in each ring; a connection beyond 161 km is also beyond home"), NULL);
	if (!r->resolved) {
		put_no_data(w, "reach.gp", _("No connection could be placed, so there is no reach to show."));
		return;
	}
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct st_band *b = &s->reach[i];
		sb_reset(&t);
		reach_band_label(&t, r, i);
		pl_labelz(&w->data, t.buf);
		{
			struct strbuf x = STRBUF_INIT, y = STRBUF_INIT, z = STRBUF_INIT;
			i18n_count(&x, b->count);
			i18n_count(&y, b->base);
			add_pct1(&z, b->share);
			sb_addf(&w->data, "\t%.4f\t", pct_of(b->share));
			/* TRANSLATORS: the text of a reach bar, "12 of 40 (30.0%)" */
			sb_addf(&w->data, _("%1$s of %2$s (%3$s)"), x.buf, y.buf, z.buf);
			sb_addf(&w->data, "\t%.0f\n", reach_colours[i]);
			sb_release(&x);
			sb_release(&y);
			sb_release(&z);
		}
	}
	pl_put_file(w, "reach.tsv", &w->data);
	/* xgettext:no-c-format */
	gp_hbars(&w->gp, "reach.tsv", ST_REACH_COUNT, 118, _("Share of connections (%)"), 1);
	pl_put_file(w, "reach.gp", &w->gp);
	sb_release(&t);
}

/* ---- 2. distance bands ---------------------------------------------------- */

void pl_chart_bands(struct pl_writer *w)
{
	const struct st_summary *s = &w->r->summary;
	double max = 0;
	gp_head(&w->gp, "distance-bands", "connections by distance from home");
	pl_gp_title(&w->gp, _("Distance from %s"), "home",
		    _("Connections placed in a town or city, by distance band (161 km = 100 miles)"), NULL);
	if (!s->located) {
		put_no_data(w, "distance-bands.gp", _("No connection is placed in a town or city, so there are no distances to show."));
		return;
	}
	for (int i = 0; i < ST_DIST_BANDS; i++) {
		const struct st_band *b = &s->dist_band[i];
		double pct = pct_of(b->share);
		if (pct > max)
			max = pct;
		pl_labelz(&w->data, _(st_dist_bands[i].chart));
		sb_addf(&w->data, "\t%.4f\t", pct);
		add_count_share(&w->data, b->count, b->share);
		sb_addch(&w->data, '\n');
	}
	pl_put_file(w, "distance-bands.tsv", &w->data);
	pl_gp_margins(&w->gp, 0.09, 0.97, 0.12, 0.87, 0.13, 0.97, 0.22);
	sb_addf(&w->gp, "set xrange [-0.6:%d.6]\n", ST_DIST_BANDS - 1);
	sb_addf(&w->gp, "set yrange [0:%.6g]\n", max < 5 ? 10.0 : ceil(max * 1.15 / 5) * 5);
	sb_adds(&w->gp, "set xtics scale 0 font ',16'\nset ytics out font ',14'\nif (nr_phone) set xtics rotate by 40 right\n");
	/* xgettext:no-c-format */
	gp_axis_label(&w->gp, "ylabel", _("Share of connections (%)"));
	gp_axis_label(&w->gp, "xlabel", _("Distance from home"));
	sb_adds(&w->gp, "set grid ytics lc rgb '" C_GRID "' lw 1 dt 1\nset boxwidth 0.7\n");
	sb_adds(&w->gp, "plot 'distance-bands.tsv' using 0:2:xticlabels(1) with boxes fc rgb '" C_MID "', \\\n"
			"     '' using (nr_phone ? nr_off : $0):2:3 with labels offset 0,1 font ',15' textcolor rgb '#000000' noenhanced, \\\n"
			"     '' using (nr_phone ? $0 : nr_off):2:(nr_wrap(strcol(3), 5)) with labels offset 0,2 font ',15' textcolor rgb '#000000' noenhanced\n");
	pl_put_file(w, "distance-bands.gp", &w->gp);
}

/* ---- 3./4. countries and admin-1 ----------------------------------------- */

void pl_chart_items(struct pl_writer *w, const char *stem, const char *title, const char *subtitle,
		    const struct st_item *it, size_t n, int with_cc, const char *none)
{
	struct strbuf f = STRBUF_INIT, t = STRBUF_INIT;
	size_t shown = n < TOP_N ? n : TOP_N;
	double max = 0;
	sb_addf(&f, "%s.tsv", stem);
	gp_head(&w->gp, stem, title);
	pl_gp_title(&w->gp, title, NULL, subtitle, NULL);
	if (!shown) {
		gp_no_data(&w->gp, none);
	} else {
		for (size_t i = 0; i < shown; i++) {
			double pct = pct_of(it[i].share);
			sb_reset(&t);
			/* countries and admin-1 regions in the report's language */
			sb_adds(&t, it[i].name ? i18n_area(it[i].code, it[i].name) : it[i].code);
			if (with_cc && it[i].cc) {
				sb_adds(&t, " (");
				sb_adds(&t, it[i].cc);
				sb_adds(&t, ")");
			}
			pl_labelz(&w->data, t.buf);
			sb_addf(&w->data, "\t%.4f\t", pct);
			add_count_share(&w->data, it[i].count, it[i].share);
			sb_addch(&w->data, '\n');
			if (pct > max)
				max = pct;
		}
		pl_put_file(w, f.buf, &w->data);
		/* xgettext:no-c-format */
		gp_hbars(&w->gp, f.buf, shown, max * 1.3 + 1, _("Share of connections (%)"), 0);
	}
	pl_put_filef(w, &w->gp, "%s.gp", stem);
	sb_release(&f);
	sb_release(&t);
}

/* ---- 5. distance CDF ------------------------------------------------------ */

/*
 * The step data of the distance CDF c (st_cdf) into out: "km \t percent"
 * from (1 km, 0) up through each step (under 1 km drawn at 1 km, so the
 * steps under it are one), then flat to 20,040 km. Writes nothing when c
 * has no contact.
 */
static void cdf_data(struct strbuf *out, const struct st_cdf *c)
{
	if (!c->total)
		return;
	sb_adds(out, "1.0\t0.0000\n");
	for (size_t i = 0; i < c->n; i++) {
		if (i + 1 < c->n && c->km[i + 1] <= 1.0)
			continue; /* the log axis starts at 1 km */
		sb_addfixed(out, c->km[i] < 1.0 ? 1.0 : c->km[i], 1);
		sb_addch(out, '\t');
		sb_addfixed(out, 100.0 * (double)c->cum[i] / (double)c->total, 4);
		sb_addch(out, '\n');
	}
	sb_addf(out, "20040.0\t%.4f\n", 100.0);
}

/* Axes of a distance CDF: log km from 1 to 20,040, percent, marks at 50, 161 and 1,000 km. bmargin in screen units. */
static void gp_cdf_axes(struct strbuf *gp, double bmargin)
{
	pl_gp_margins(gp, 0.09, 0.97, bmargin, 0.87, 0.13, 0.96, bmargin > 0.15 ? 330.0 / CDF_PHONE_H : 0.12);
	sb_adds(gp, "set logscale x 10\nset xrange [1:20040]\nset yrange [0:105]\n");
	{
		struct strbuf k1 = STRBUF_INIT, k2 = STRBUF_INIT;
		i18n_count(&k1, 1000);
		i18n_count(&k2, 10000);
		sb_adds(gp, "set xtics ('1' 1, '10' 10, '100' 100, ");
		pl_gp_string(gp, k1.buf, k1.len);
		sb_adds(gp, " 1000, ");
		pl_gp_string(gp, k2.buf, k2.len);
		sb_adds(gp, " 10000) out font ',14'\n");
		sb_release(&k1);
		sb_release(&k2);
	}
	sb_adds(gp, "set mxtics 10\nset ytics 0,20,100 out font ',14'\n");
	gp_axis_label(gp, "xlabel", _("Distance from home (km, log scale; under 1 km drawn at 1 km)"));
	/* xgettext:no-c-format */
	gp_axis_label(gp, "ylabel", _("Connections living at most this far away (%)"));
	sb_adds(gp, "set grid xtics ytics lc rgb '" C_GRID "' lw 1 dt 1\n");
	for (int i = 0; i < ST_DIST_BANDS - 1; i++) /* the upper edges of the distance bands */
		sb_addf(gp, "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 lc rgb '#7f7f7f'\n", i + 1,
			st_dist_bands[i].max_km, st_dist_bands[i].max_km);
	sb_adds(gp, "set label 11 '50 km' at 50, graph 0.03 right offset -0.5,0 font ',13' textcolor rgb '#555555'\n");
	sb_adds(gp, "set label 12 ");
	pl_gp_strz(gp, _("161 km (100 mi)"));
	sb_adds(gp, " at 160.9344, graph (nr_phone ? 0.09 : 0.03) left offset 0.5,0 font ',13' textcolor rgb '#555555'\n");
	sb_adds(gp, "set label 13 '800 km' at 800, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'\n");
	{
		struct strbuf k = STRBUF_INIT;
		i18n_count(&k, 3000);
		sb_adds(&k, " km");
		sb_adds(gp, "set label 17 ");
		pl_gp_string(gp, k.buf, k.len);
		sb_adds(gp, " at 3000, graph 0.03 left offset 0.5,0 font ',13' textcolor rgb '#555555'\n");
		sb_release(&k);
	}
}

void pl_chart_cdf(struct pl_writer *w)
{
	struct st_cdf cdf;

	pl_gp_head(&w->gp, "distance-cdf", "cumulative distance from home", CDF_PHONE_H);
	pl_gp_title(&w->gp, _("How close your connections live to %s"), "home",
		    _("Share of connections living within a given distance (log scale)"), NULL);
	st_summary_cdf(&w->r->summary, &cdf);
	cdf_data(&w->data, &cdf);
	if (!cdf.total) {
		st_cdf_release(&cdf);
		put_no_data(w, "distance-cdf.gp", _("No connection is placed in a town or city, so there are no distances to show."));
		return;
	}
	pl_put_file(w, "distance-cdf.tsv", &w->data);

	/* marks: x, y, text for the points we annotate (our own text and numbers): the share within each band edge */
	for (int i = 0; i < ST_DIST_BANDS - 1; i++) {
		const struct st_band_def *e = &st_dist_bands[i];
		double y = 0.0; /* the bands of stats.h: (min, max] from 0 up to this edge */
		for (int k = 0; k <= i; k++)
			y += 100.0 * w->r->summary.dist_band[k].share;
		if (e->max_km == ST_100_MILES_KM)
			y = 100.0 * (double)cdf.within_100mi / (double)cdf.total; /* exactly 100 miles, as the reference */
		{
			struct strbuf t = STRBUF_INIT;
			char n[32];
			snprintf(n, sizeof(n), "%.0f", y);
			i18n_percent(&t, n);
			sb_addf(&w->data, "%.4f\t%.4f\t", e->max_km, y);
			sb_addf(&w->data, _("%1$s within %2$s"), t.buf, _(e->mark));
			sb_addch(&w->data, '\n');
			sb_release(&t);
		}
	}
	st_cdf_release(&cdf);
	pl_put_file(w, "distance-cdf-you.tsv", &w->data);

	/* on the phone the key stands under the subtitle, above the plot: inside, it would cover the labels */
	sb_adds(&w->gp, "set key top left font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_adds(&w->gp, "if (nr_phone) {\n\tset key at screen 0.5, screen nr_top center top font ',13' spacing 2.3 width -4\n"
			"\tnr_top = nr_top - 270.0 / nr_ph\n}\n");
	gp_cdf_axes(&w->gp, 0.19);
	{
		struct strbuf t = STRBUF_INIT, n = STRBUF_INIT;
		i18n_fixed(&n, 62.8, 1);
		i18n_percent(&t, n.buf);
		sb_reset(&n);
		sb_addf(&n, _("Facebook friends (not a professional network), average US county: %s within 100 miles"), t.buf);
		sb_adds(&w->gp, "set label 14 nr_wrap(");
		pl_gp_string(&w->gp, n.buf, n.len);
		sb_adds(&w->gp, ", 41) at screen 0.5, screen ");
		pl_gp_ph(&w->gp, 0.058, 150.0 / CDF_PHONE_H);
		sb_adds(&w->gp, " center font ',14' textcolor rgb '#000000'\n");
		sb_adds(&w->gp, "set label 15 nr_wrap('(Bailey et al., \"Measuring Social Connectedness\", NBER w23608, 2017)', 46) "
				"at screen 0.5, screen ");
		pl_gp_ph(&w->gp, 0.028, 50.0 / CDF_PHONE_H);
		sb_adds(&w->gp, " center font ',13' textcolor rgb '#555555'\n");
		sb_adds(&w->gp, "set object 1 circle at 160.9344, 62.8 size screen 0.011 fc rgb '#000000' fs empty border "
				"lc rgb '#000000' lw 2.5 front\n");
		/*
		 * Your shares are labelled right of and below their marks (under a rising
		 * curve, where the plot is empty); the Facebook reference left of and above
		 * its ring, so the two never crowd each other at 100 miles.
		 */
		sb_reset(&n);
		sb_addf(&n, _("Facebook friends: %s"), t.buf);
		sb_adds(&w->gp, "set label 16 ");
		pl_gp_string(&w->gp, n.buf, n.len);
		sb_adds(&w->gp, " at 160.9344, 62.8 right offset -1.8,1.2 font ',14' textcolor rgb '#000000' front\n");
		sb_release(&t);
		sb_release(&n);
	}
	sb_adds(&w->gp, "plot 'distance-cdf.tsv' using 1:2 with steps lw 3.5 lc rgb '" C_DARK "' title nr_wrap(");
	pl_gp_strz(&w->gp, _("Your connections"));
	sb_adds(&w->gp, ", 24), \\\n     'distance-cdf-you.tsv' using 1:2 with points pt 7 ps 1.6 lc rgb '" C_ACCENT "' title nr_wrap(");
	pl_gp_strz(&w->gp, _("Your share within 50, 161, 800, 3,000 km"));
	/* on the phone the shares stand under their marks, in lines of 11 characters */
	sb_adds(&w->gp, ", 24), \\\n     '' using (nr_phone ? nr_off : $1):2:3 with labels left offset 1.2,-1.2 font ',14' textcolor rgb '" C_ACCENT "' noenhanced, \\\n"
			"     '' using (nr_phone ? $1 : nr_off):2:(nr_wrap(strcol(3), 11)) with labels center offset 0,-1.5 font ',14' textcolor rgb '" C_ACCENT "' noenhanced, \\\n"
			"     NaN with points pt 6 ps 2 lw 2.5 lc rgb '#000000' title nr_wrap(");
	pl_gp_strz(&w->gp, _("Facebook friends, average US county (reference)"));
	sb_adds(&w->gp, ", 24)\n");
	pl_put_file(w, "distance-cdf.gp", &w->gp);
}

/* ---- 8. timeline ------------------------------------------------------------ */

/*
 * Margins and a time x axis over the months first..last (year * 12 +
 * month - 1), at least six shown, with explicit tics on month starts
 * (at most about 12 labels). Data files give dates as YYYY-MM-01.
 */
static void gp_month_axis(struct strbuf *gp, int first, int last)
{
	static const int steps[] = { 1, 2, 3, 6, 12, 24, 60, 120 };
	int span, step = 120, m, k = 0;
	/* at least six months shown, so that one month is not one huge bar */
	while (last - first < 5) {
		first--;
		if (last - first < 5)
			last++;
	}
	first--; /* the range starts mid-month before the first bar */
	pl_gp_margins(gp, 0.08, 0.92, 0.13, 0.87, 0.13, 0.87, 0.14);
	sb_adds(gp, "set xdata time\nset timefmt '%Y-%m-%d'\n");
	sb_addf(gp, "set xrange ['%04d-%02d-14':'%04d-%02d-18']\n", first / 12, first % 12 + 1, last / 12,
		last % 12 + 1);
	span = last - first;
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (span / steps[i] <= 12) {
			step = steps[i];
			break;
		}
	sb_adds(gp, "set xtics out font ',14' (");
	for (m = first + 1; m <= last; m++) {
		if (step >= 12 ? m % 12 || (m / 12) % (step / 12) : (m - (first + 1)) % step)
			continue;
		if (step >= 12)
			sb_addf(gp, "%s'%04d' '%04d-01-01'", k++ ? ", " : "", m / 12, m / 12);
		else {
			const char *abbr = i18n_month_abbr(m % 12);
			sb_addf(gp, "%s\"", k++ ? ", " : "");
			pl_gp_text(gp, abbr, strlen(abbr), '"');
			sb_addf(gp, "\\n%04d\" '%04d-%02d-01'", m / 12, m / 12, m % 12 + 1);
		}
	}
	sb_adds(gp, ")\n");
	/* a dozen labels side by side do not fit on the phone */
	sb_adds(gp, "if (nr_phone) set xtics rotate by 60 right\n");
}

void pl_chart_timeline(struct pl_writer *w)
{
	const struct st_summary *s = &w->r->summary;
	unsigned long max = 0;
	gp_head(&w->gp, "timeline", "connections over time");
	pl_gp_title(&w->gp, _("When you connected"), NULL,
		    _("Bars: connections added per month · Line: share of all your connections so far living beyond %s"), "home");
	if (!s->nr_timeline) {
		put_no_data(w, "timeline.gp", _("No connection dates in the export, so there is no timeline to show."));
		return;
	}
	for (size_t i = 0; i < s->nr_timeline; i++) {
		const struct st_month *m = &s->timeline[i];
		sb_addf(&w->data, "%04d-%02d-01\t%lu\t%.4f\n", m->month / 12, m->month % 12 + 1, m->added,
			pct_of(m->cumulative_beyond_home_share));
		if (m->added > max)
			max = m->added;
	}
	pl_put_file(w, "timeline.tsv", &w->data);
	gp_month_axis(&w->gp, s->timeline[0].month, s->timeline[s->nr_timeline - 1].month);
	sb_addf(&w->gp, "set yrange [0:%.6g]\n", ceil((double)max * 1.15) + 1);
	sb_adds(&w->gp, "set ytics nomirror out font ',14'\nset y2range [0:105]\nset y2tics 0,20,100 out font ',14'\n");
	sb_adds(&w->gp, "set border 11\n");
	gp_axis_label(&w->gp, "ylabel", _("Connections added per month"));
	/* xgettext:no-c-format */
	gp_axis_label(&w->gp, "y2label", _("Beyond home, cumulative (%)"));
	sb_adds(&w->gp, "set grid ytics lc rgb '" C_GRID "' lw 1 dt 1\n");
	sb_adds(&w->gp, "set boxwidth 2000000 absolute\n");
	sb_adds(&w->gp, "set key top left font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_adds(&w->gp, "plot 'timeline.tsv' using 1:2 with boxes fc rgb '" C_LIGHT "' title ");
	pl_gp_strz(&w->gp, _("Added this month"));
	sb_addf(&w->gp, ", \\\n     '' using 1:3 axes x1y2 with %s lw 3.5 lc rgb '" C_ACCENT "' title ",
		s->nr_timeline <= 36 ? "linespoints pt 7 ps 1.2" : "lines");
	/* xgettext:no-c-format */
	pl_gp_strz(&w->gp, _("Beyond home so far (%)"));
	sb_addch(&w->gp, '\n');
	pl_put_file(w, "timeline.gp", &w->gp);
}

/* ---- compare charts ------------------------------------------------------------ */

/* Reach bands of both exports as paired bars (before above after). */
void pl_chart_compare_reach(struct pl_writer *w, const struct an_result *b, const struct an_result *a)
{
	struct strbuf t = STRBUF_INIT;
	gp_head(&w->gp, "compare-reach", "reach before and after");
	pl_gp_title(&w->gp, _("How far your network reaches from %s, before and after"), "home",
		    _("Share of connections in each ring, in the earlier and the later export"), NULL);
	if (!a->resolved && !b->resolved) {
		put_no_data(w, "compare-reach.gp", _("No connection could be placed in either export, so there is no reach to show."));
		return;
	}
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct st_band *x = &b->summary.reach[i], *y = &a->summary.reach[i];
		sb_reset(&t);
		reach_band_label(&t, a, i);
		pl_labelz(&w->data, t.buf);
		{
			struct strbuf v = STRBUF_INIT;
			sb_addf(&w->data, "\t%.4f\t%.4f\t", pct_of(x->share), pct_of(y->share));
			add_count_share(&v, x->count, x->share);
			/* TRANSLATORS: the texts of the paired reach bars, "Before: 12 (30.0%)" */
			sb_addf(&w->data, _("Before: %s"), v.buf);
			sb_addch(&w->data, '\t');
			sb_reset(&v);
			add_count_share(&v, y->count, y->share);
			sb_addf(&w->data, _("After: %s"), v.buf);
			sb_addch(&w->data, '\n');
			sb_release(&v);
		}
	}
	pl_put_file(w, "compare-reach.tsv", &w->data);
	/* xgettext:no-c-format */
	gp_hbar_frame(&w->gp, ST_REACH_COUNT, 0, 125, _("Share of connections (%)"));
	gp_share_axis(&w->gp);
	sb_adds(&w->gp, "set key bottom right font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_adds(&w->gp, "plot 'compare-reach.tsv' using (0):0:(0):(0):yticlabels(nr_name(strcol(1))) with boxxyerror notitle, \\\n"
			"     '' using (nr_phone ? nr_x0 : nr_off):($0 - 0.47):1 with labels left font ',14' textcolor rgb '" C_TEXT "' noenhanced notitle, \\\n"
			"     '' using ($2/2):($0-0.19):($2/2):(0.17) with boxxyerror fc rgb '" C_BEFORE "' fs pattern 4 border lc rgb '" C_BEFORE "' title ");
	pl_gp_strz(&w->gp, _("Before"));
	sb_adds(&w->gp, ", \\\n     '' using ($3/2):($0+0.19):($3/2):(0.17) with boxxyerror fc rgb '" C_AFTER "' title ");
	pl_gp_strz(&w->gp, _("After"));
	sb_adds(&w->gp, ", \\\n"
			"     '' using 2:($0-0.19):4 with labels left offset 0.6,0 font ',13' textcolor rgb '#555555' noenhanced, \\\n"
			"     '' using 3:($0+0.19):5 with labels left offset 0.6,0 font ',13' textcolor rgb '#000000' noenhanced\n");
	pl_put_file(w, "compare-reach.gp", &w->gp);
	sb_release(&t);
}

/* Countries by the size of their change in connections (count after - count before). */
void pl_chart_compare_countries(struct pl_writer *w, const struct an_result *a, const struct pl_compare *pc)
{
	const struct cmp_country **c = xcalloc(pc->nr_countries + 1, sizeof(*c));
	struct strbuf t = STRBUF_INIT;
	const char *home_cc;
	size_t n = 0, shown = 0;
	long lo = 0, hi = 0;

	/* the home country (far bigger, it would squash the rest) goes into a note below the chart */
	home_cc = a->home.place.cc ? a->home.place.cc : "";
	for (size_t i = 0; i < pc->nr_countries; i++) {
		const struct cmp_country *x = &pc->countries[i];
		if (strcmp(x->it->code, home_cc)) {
			c[n++] = x;
			continue;
		}
		if (x->change) {
			struct strbuf y = STRBUF_INIT;
			sb_addf(&y, "%s", x->change > 0 ? "+" : "−");
			i18n_count(&y, (unsigned long long)labs(x->change));
			sb_adds(&y, " (");
			i18n_count(&y, x->before);
			sb_adds(&y, " → ");
			i18n_count(&y, x->after);
			sb_adds(&y, ")");
			/* TRANSLATORS: under the compare countries chart; %1$s is the home country, %2$s its change "+12 (40 → 52)" */
			sb_addf(&t, _("Not shown: %1$s (home) %2$s"), x->it->name ? i18n_area(x->it->code, x->it->name) : x->it->code, y.buf);
			sb_release(&y);
		}
	}
	while (shown < n && shown < TOP_N && c[shown]->change)
		shown++;

	gp_head(&w->gp, "compare-countries", "countries with the largest change");
	pl_gp_title(&w->gp, _("Countries with the largest change, outside %s"), "home_country",
		    _("Connections gained or lost per country between the two exports (top 15 by size of change)"), NULL);
	if (t.len) {
		pl_label(&w->data, t.buf, t.len, 4 * LABEL_MAX);
		sb_addch(&w->data, '\n');
		pl_put_file(w, "compare-countries-note.tsv", &w->data);
		sb_adds(&w->gp, "stats 'compare-countries-note.tsv' using (note = strcol(1), 0) nooutput\n");
		sb_adds(&w->gp, "set label 104 nr_wrap(note, 46) at screen 0.02, screen ");
		pl_gp_ph(&w->gp, 0.03, 0.025);
		sb_adds(&w->gp, " left font ',14' textcolor rgb '" C_TEXT "' noenhanced\n");
	}
	if (!shown) {
		put_no_data(w, "compare-countries.gp", _("No country outside the home country gained or lost connections."));
		goto out;
	}
	for (size_t i = 0; i < shown; i++) {
		pl_labelz(&w->data, c[i]->it->name ? i18n_area(c[i]->it->code, c[i]->it->name) : c[i]->it->code);
		sb_addf(&w->data, "\t%ld\t%s", c[i]->change, c[i]->change > 0 ? "+" : "−");
		i18n_count(&w->data, (unsigned long long)labs(c[i]->change));
		sb_adds(&w->data, " (");
		i18n_count(&w->data, c[i]->before);
		sb_adds(&w->data, " → ");
		i18n_count(&w->data, c[i]->after);
		sb_addf(&w->data, ")\t%.0f\t%ld\n", c[i]->change > 0 ? (double)0xc55a11 : (double)0x7f7f7f,
			c[i]->change > 0 ? c[i]->change : 0);
		if (c[i]->change < lo)
			lo = c[i]->change;
		if (c[i]->change > hi)
			hi = c[i]->change;
	}
	pl_put_file(w, "compare-countries.tsv", &w->data);
	{
		/* room right of the longest bar (or of zero) for its text */
		double span = (double)(hi - lo) > 0 ? (double)(hi - lo) : 1.0;
		gp_hbar_frame(&w->gp, shown, lo < 0 ? (double)lo - 0.05 * span : 0, (double)hi + 0.45 * span + 1,
			      _("Change in connections"));
		if (t.len)
			sb_adds(&w->gp, "if (nr_phone) set bmargin at screen 0.16\n"); /* room for the note under the axis */
	}
	sb_adds(&w->gp, "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 1.5 lc rgb '#555555' front\n");
	sb_adds(&w->gp, "plot 'compare-countries.tsv' using ($2/2):($0 + nr_dy):(abs($2)/2):(nr_bar):4:yticlabels(nr_name(strcol(1))) "
			"with boxxyerror fc rgb variable, \\\n"
			"     '' using 5:($0 + nr_dy):3 with labels left offset 0.8,0 font ',15' textcolor rgb '#000000' noenhanced, \\\n"
			"     '' using (nr_phone ? nr_x0 : nr_off):($0 - 0.28):1 with labels left font ',14' textcolor rgb '" C_TEXT "' noenhanced\n");
	pl_put_file(w, "compare-countries.gp", &w->gp);
out:
	free(c);
	sb_release(&t);
}

/* Both exports' distance distributions on one log axis. */
void pl_chart_compare_cdf(struct pl_writer *w, const struct an_result *b, const struct an_result *a)
{
	unsigned long nb, na;
	struct st_cdf cdf;
	gp_head(&w->gp, "compare-distance", "distance from home, before and after");
	pl_gp_title(&w->gp, _("How close your connections live to %s, before and after"), "home",
		    _("Share of connections living within a given distance (log scale); a line further right reaches farther"),
		    NULL);
	st_summary_cdf(&b->summary, &cdf);
	cdf_data(&w->data, &cdf);
	nb = cdf.total;
	st_cdf_release(&cdf);
	if (nb)
		pl_put_file(w, "compare-distance-before.tsv", &w->data);
	st_summary_cdf(&a->summary, &cdf);
	cdf_data(&w->data, &cdf);
	na = cdf.total;
	st_cdf_release(&cdf);
	if (na)
		pl_put_file(w, "compare-distance-after.tsv", &w->data);
	if (!nb && !na) {
		put_no_data(w, "compare-distance.gp", _("No connection is placed in a town or city, so there are no distances to show."));
		return;
	}
	gp_cdf_axes(&w->gp, 0.12);
	sb_adds(&w->gp, "set key top left font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_addf(&w->gp, "plot %s with steps lw 3.5 dt 2 lc rgb '" C_BEFORE "' title ",
		nb ? "'compare-distance-before.tsv' using 1:2" : "NaN");
	pl_gp_strz(&w->gp, _("Before"));
	sb_addf(&w->gp, ", \\\n     %s with steps lw 3.5 lc rgb '" C_AFTER "' title ",
		na ? "'compare-distance-after.tsv' using 1:2" : "NaN");
	pl_gp_strz(&w->gp, _("After"));
	sb_addch(&w->gp, '\n');
	pl_put_file(w, "compare-distance.gp", &w->gp);
}

/* Cumulative connections by month of both exports. */
void pl_chart_compare_timeline(struct pl_writer *w, const struct an_result *b, const struct an_result *a)
{
	const struct st_summary *s[2] = { &b->summary, &a->summary };
	static const char *const files[2] = { "compare-timeline-before.tsv", "compare-timeline-after.tsv" };
	unsigned long max = 0;
	int first = INT32_MAX, last = INT32_MIN;
	gp_head(&w->gp, "compare-timeline", "connections over time in both exports");
	pl_gp_title(&w->gp, _("When you connected, in both exports"), NULL,
		    _("Connections placed on the map, counted by the month you connected (exports without dates have no line)"),
		    NULL);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < s[k]->nr_timeline; i++) {
			const struct st_month *m = &s[k]->timeline[i];
			sb_addf(&w->data, "%04d-%02d-01\t%lu\n", m->month / 12, m->month % 12 + 1, m->cumulative);
			if (m->cumulative > max)
				max = m->cumulative;
		}
		if (s[k]->nr_timeline) {
			pl_put_file(w, files[k], &w->data);
			if (s[k]->timeline[0].month < first)
				first = s[k]->timeline[0].month;
			if (s[k]->timeline[s[k]->nr_timeline - 1].month > last)
				last = s[k]->timeline[s[k]->nr_timeline - 1].month;
		}
	}
	if (first > last) {
		put_no_data(w, "compare-timeline.gp", _("No connection dates in either export, so there is no timeline to show."));
		return;
	}
	gp_month_axis(&w->gp, first, last);
	sb_addf(&w->gp, "set yrange [0:%.6g]\n", ceil((double)max * 1.1) + 1);
	sb_adds(&w->gp, "set ytics out font ',14'\nset border 3\n");
	gp_axis_label(&w->gp, "ylabel", _("Connections so far"));
	sb_adds(&w->gp, "set grid ytics lc rgb '" C_GRID "' lw 1 dt 1\n");
	sb_adds(&w->gp, "set key top left reverse Left font ',15' box lc rgb '#bbbbbb' opaque\n");
	/* the later export underneath (most of the earlier one is in it), the earlier one on top */
	if (s[1]->nr_timeline) {
		sb_adds(&w->gp, "plot 'compare-timeline-after.tsv' using 1:2 with fillsteps fs solid 1.0 fc rgb '" C_LIGHT
				"' notitle, \\\n     '' using 1:2 with steps lw 3 lc rgb '" C_AFTER "' title ");
		pl_gp_strz(&w->gp, _("After"));
	} else {
		sb_adds(&w->gp, "plot NaN with steps lw 3 lc rgb '" C_AFTER "' title ");
		pl_gp_strz(&w->gp, _("After (no dates)"));
	}
	sb_adds(&w->gp, ", \\\n     ");
	if (s[0]->nr_timeline) {
		sb_adds(&w->gp, "'compare-timeline-before.tsv' using 1:2 with steps lw 3 dt 2 lc rgb '" C_BEFORE "' title ");
		pl_gp_strz(&w->gp, _("Before"));
	} else {
		sb_adds(&w->gp, "NaN with steps lw 3 dt 2 lc rgb '" C_BEFORE "' title ");
		pl_gp_strz(&w->gp, _("Before (no dates)"));
	}
	sb_addch(&w->gp, '\n');
	pl_put_file(w, "compare-timeline.gp", &w->gp);
}
