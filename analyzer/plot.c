#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "geo.h"
#include "i18n.h"
#include "text.h"

#include "banned.h"

/*
 * Palette: distinct in lightness so that it prints in grey.
 */
#define C_DARK "#1f4e79"
#define C_MID "#2e75b6"
#define C_LIGHT "#9dc3e6"
#define C_ACCENT "#c55a11"
#define C_TEXT "#333333"
#define C_GRID "#d9d9d9"

#define LABEL_MAX 40          /* bytes of a name in a chart */
#define TOP_N 15              /* bars in the countries and admin-1 charts */
#define MAX_ARCS 300          /* arcs drawn from home (to the biggest places) */
#define MAX_MOVES 200         /* arrows on the compare map (the biggest moves) */
#define CDF_PHONE_H 1300      /* the distance chart's height on the phone: its key stands above the plot */

static const double reach_colours[ST_REACH_COUNT] = {
	0x1f4e79, 0x2e75b6, 0x4a90c8, 0x75a9d6, 0x9dc3e6, 0xc6dcef,
};

void pl_label(struct strbuf *out, const char *s, size_t len, size_t max_bytes)
{
	struct strbuf t = STRBUF_INIT;
	size_t start = out->len;
	sb_init(&t, len + 4);
	txt_label(&t, s, len, max_bytes);
	for (size_t i = 0; i < t.len; i++) {
		const unsigned char *u = (const unsigned char *)t.buf + i;
		if (t.buf[i] == '"') {
			sb_adds(out, "\xe2\x80\x9d");
		} else if (i + 2 < t.len && u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) {
			i += 2; /* U+202A..U+202E: bidi embedding and override controls */
		} else if (i + 2 < t.len && u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9) {
			i += 2; /* U+2066..U+2069: bidi isolates */
		} else {
			sb_addch(out, t.buf[i]);
		}
	}
	if (out->len == start)
		sb_addch(out, '-');
	sb_release(&t);
}

static void label(struct strbuf *out, const char *s)
{
	s = s ? s : "";
	pl_label(out, s, strlen(s), LABEL_MAX);
}

/* ---- writing ------------------------------------------------------------ */

struct pw {
	const struct an_result *r;
	const char *dir;            /* DIR/charts */
	struct strbuf *err;
	int st;
	struct strbuf gp;           /* the script being written */
	struct strbuf data;         /* a data file being written */
	const char *data_dir;       /* where world/ lives; NULL: no outlines */
};

static void put_file(struct pw *w, const char *name, struct strbuf *content)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	if (w->st)
		goto out;
	sb_addf(&path, "%s/%s", w->dir, name);
	f = fopen(path.buf, "wb");
	if (!f) {
		sb_addf(w->err, "'%s': cannot create: %s", path.buf, strerror(errno));
		w->st = NR_EX_CANTCREAT;
		goto out;
	}
	if (fwrite(content->buf, 1, content->len, f) != content->len || fflush(f)) {
		sb_addf(w->err, "'%s': write failed: %s", path.buf, strerror(errno));
		w->st = NR_EX_IOERR;
	}
	if (fclose(f) && !w->st) {
		sb_addf(w->err, "'%s': write failed: %s", path.buf, strerror(errno));
		w->st = NR_EX_IOERR;
	}
out:
	sb_reset(content);
	sb_release(&path);
}

/*
 * The common head of every script: terminal, output, data format, style.
 * nr_phone = 1 (pl_render: gnuplot -d -e 'nr_phone = 1' X.gp) selects the
 * small-screen rendering X-phone.png, PL_PHONE_WIDTH x phone_h pixels with
 * every text PL_PHONE_FONTSCALE times as large; nr_wrap(s, n) breaks a text
 * into lines of at most n characters there (and leaves it whole otherwise),
 * nr_lines(s) counts its lines, nr_ph is the canvas height in pixels.
 */
static void gp_head_size(struct strbuf *gp, const char *stem, const char *what, int phone_h)
{
	sb_addf(gp, "# netreach chart: %s\n", what);
	sb_addf(gp, "# Written by netreach " NR_VERSION "; every name is in the data files. Render: gnuplot -d %s.gp\n",
		stem);
	sb_addf(gp, "# (gnuplot -d -e 'nr_phone = 1' %s.gp: the small-screen rendering %s-phone.png)\n", stem, stem);
	sb_adds(gp, "set encoding utf8\n");
	sb_adds(gp, "if (!exists(\"nr_phone\")) nr_phone = 0\n");
	sb_addf(gp, "nr_ph = nr_phone ? %d : %d\n", phone_h, PL_HEIGHT);
	sb_adds(gp, "if (nr_phone) {\n");
	sb_addf(gp, "\tset terminal pngcairo size %d,%d font 'DejaVu Sans,16' fontscale %s noenhanced linewidth 2.2\n",
		PL_PHONE_WIDTH, phone_h, PL_PHONE_FONTSCALE);
	sb_addf(gp, "\tset output '%s-phone.png'\n} else {\n", stem);
	sb_addf(gp, "\tset terminal pngcairo size %d,%d font 'DejaVu Sans,16' noenhanced linewidth 1.5\n",
		PL_WIDTH, PL_HEIGHT);
	sb_addf(gp, "\tset output '%s.png'\n}\n", stem);
	/* string functions only: a name is text to them, never code */
	sb_adds(gp, "nr_w(s, n, line) = strlen(s) == 0 ? line : nr_w2(s, n, line, strstrt(s, ' '))\n");
	sb_adds(gp, "nr_w2(s, n, line, p) = nr_w3(p ? s[1:p - 1] : s, p ? s[p + 1:] : '', n, line)\n");
	sb_adds(gp, "nr_w3(wd, rest, n, line) = strlen(line) > 0 && strlen(line) + 1 + strlen(wd) > n ? "
		    "line.\"\\n\".nr_w(rest, n, wd) : nr_w(rest, n, strlen(line) > 0 ? line.' '.wd : wd)\n");
	sb_adds(gp, "nr_wrap(s, n) = nr_phone ? nr_w(s, n, '') : s\n");
	sb_adds(gp, "nr_lines(s) = strstrt(s, \"\\n\") ? 1 + nr_lines(s[strstrt(s, \"\\n\") + 1:]) : 1\n");
	/* a label at x = nr_off is outside every range: one rendering leaves it out (gnuplot 5.4 can crash on NaN there) */
	sb_adds(gp, "nr_top = 0.87\nnr_off = 1e30\n");
	sb_adds(gp, "set termoption noenhanced\n");
	sb_adds(gp, "set datafile separator \"\\t\"\n");
	sb_adds(gp, "set datafile commentschars ''\n");
	sb_adds(gp, "set datafile missing ''\n");
	sb_adds(gp, "set border 3 lw 1 lc rgb '" C_TEXT "'\n");
	sb_adds(gp, "set tics nomirror textcolor rgb '" C_TEXT "'\n");
	sb_adds(gp, "set style fill solid 1.0 noborder\n");
	sb_adds(gp, "set key noautotitle\n");
	/* names (home, regions) come from the data file meta.tsv, never from this script */
	sb_adds(gp, "stats 'meta.tsv' using (home = strcol(1), home_region = strcol(2), "
		    "home_country = strcol(3), home_continent = strcol(4), 0) nooutput\n");
}

void pl_gp_string(struct strbuf *gp, const char *s, size_t len)
{
	sb_addch(gp, '\'');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'')
			sb_adds(gp, "''");
		else if (c == '`')
			sb_adds(gp, "\xe2\x80\x98");
		else if (c == '@')
			sb_adds(gp, "\xef\xbc\xa0");
		else if (c < 0x20 || c == 0x7f)
			sb_addch(gp, ' ');
		else
			sb_addch(gp, (char)c);
	}
	sb_addch(gp, '\'');
}

static void gp_head(struct strbuf *gp, const char *stem, const char *what)
{
	gp_head_size(gp, stem, what, PL_PHONE_HEIGHT);
}

/* A screen fraction for the laptop rendering, another on the phone: "(nr_phone ? phone : laptop)". */
static void gp_ph(struct strbuf *gp, double laptop, double phone)
{
	sb_addf(gp, "(nr_phone ? %.4g : %.4g)", phone, laptop);
}

/* The plot area's margins (screen fractions) for the laptop and the phone; the phone's top is nr_top (gp_title). */
static void gp_margins(struct strbuf *gp, double l, double r, double b, double t, double pl, double pr, double pb)
{
	sb_adds(gp, "set lmargin at screen ");
	gp_ph(gp, l, pl);
	sb_adds(gp, "\nset rmargin at screen ");
	gp_ph(gp, r, pr);
	sb_adds(gp, "\nset bmargin at screen ");
	gp_ph(gp, b, pb);
	sb_addf(gp, "\nset tmargin at screen (nr_phone ? nr_top : %.4g)\n", t);
}

/* The same for the inside of a double-quoted gnuplot string (where \\ escapes and `...` runs). */
static void gp_dq_text(struct strbuf *gp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_addch(gp, '\\');
		if (c == '`')
			sb_adds(gp, "\xe2\x80\x98");
		else if (c == '@')
			sb_adds(gp, "\xef\xbc\xa0");
		else if (c < 0x20 || c == 0x7f)
			sb_addch(gp, ' ');
		else
			sb_addch(gp, (char)c);
	}
}

static void gp_strz(struct strbuf *gp, const char *s)
{
	pl_gp_string(gp, s, strlen(s));
}

/*
 * Append a gnuplot string expression for a (translated) text whose %s (or
 * %1$s) stands for the gnuplot variable var, which holds a name read from
 * meta.tsv: "Distance from %s" -> 'Distance from '.home. "%%" is "%";
 * without var, or without %s, the text alone.
 */
static void gp_expr(struct strbuf *gp, const char *tmpl, const char *var)
{
	struct strbuf piece = STRBUF_INIT;
	int parts = 0;
	for (const char *c = tmpl;; c++) {
		size_t skip = 0;
		if (*c == '%' && c[1] == 's')
			skip = 2;
		else if (*c == '%' && c[1] == '1' && c[2] == '$' && c[3] == 's')
			skip = 4;
		if (!*c || (skip && var)) {
			if (piece.len || (!parts && !*c)) {
				if (parts++)
					sb_addch(gp, '.');
				pl_gp_string(gp, piece.len ? piece.buf : "", piece.len);
			}
			sb_reset(&piece);
			if (!*c)
				break;
			if (parts++)
				sb_addch(gp, '.');
			sb_adds(gp, var);
			c += skip - 1;
			continue;
		}
		if (*c == '%' && c[1] == '%')
			c++;
		sb_addch(&piece, *c);
	}
	sb_release(&piece);
}

/* A title and a subtitle line: translated texts, each with %s for the gnuplot variable var (a name from meta.tsv). */
static void gp_title(struct strbuf *gp, const char *title, const char *title_var, const char *subtitle,
		     const char *subtitle_var)
{
	/* on the phone: the title in lines of 24 characters, the subtitle of 37 under it, the plot below both */
	sb_adds(gp, "nr_t = nr_wrap(");
	gp_expr(gp, title, title_var);
	sb_adds(gp, ", 24)\nnr_ty = nr_phone ? 1 - 30.0 / nr_ph : 0.965\nnr_top = nr_ty - (nr_lines(nr_t) * 58 - 20.0) / nr_ph\n");
	sb_adds(gp, "set label 101 nr_t at screen 0.5, screen nr_ty center font ',24' textcolor rgb '#000000' noenhanced\n");
	if (subtitle) {
		sb_adds(gp, "nr_s = nr_wrap(");
		gp_expr(gp, subtitle, subtitle_var);
		sb_adds(gp, ", 37)\nnr_sy = nr_phone ? nr_top - 10.0 / nr_ph : 0.925\n"
			    "nr_top = nr_sy - (nr_lines(nr_s) * 39 - 10.0) / nr_ph\n");
		sb_adds(gp, "set label 102 nr_s at screen 0.5, screen nr_sy center font ',16' textcolor rgb '" C_TEXT
			    "' noenhanced\n");
	}
	sb_adds(gp, "nr_top = nr_top - 16.0 / nr_ph\n");
}

/* "set xlabel 'text' font ',16'" and the like for an axis (xlabel, ylabel, y2label) */
static void gp_axis_label(struct strbuf *gp, const char *axis, const char *text)
{
	sb_addf(gp, "set %s nr_wrap(", axis);
	gp_strz(gp, text);
	sb_adds(gp, ", 41) font ',16'\n");
}

/* A chart that says there is nothing to draw. msg is our own (translated) text. */
static void gp_no_data(struct strbuf *gp, const char *msg)
{
	sb_adds(gp, "unset border\nunset tics\nunset xlabel\nunset ylabel\n");
	sb_adds(gp, "set xrange [0:1]\nset yrange [0:1]\n");
	sb_adds(gp, "set label 103 ");
	gp_strz(gp, msg);
	sb_adds(gp, " at graph 0.5, graph 0.5 center font ',20' textcolor rgb '" C_TEXT "' noenhanced\n");
	sb_adds(gp, "plot 2 notitle\n");
}

static const char *home_name(const struct an_result *r)
{
	if (r->home.place.name && *r->home.place.name)
		return r->home.place.name;
	if (r->home.query && *r->home.query)
		return r->home.query;
	return _("home");
}

static void write_meta(struct pw *w)
{
	const struct gc_place *h = &w->r->home.place;
	const char *cont = st_continent_name(h->continent);
	label(&w->data, home_name(w->r));
	sb_addch(&w->data, '\t');
	label(&w->data, h->admin1 && *h->admin1 ? i18n_admin1(h->cc, h->admin1_code, h->admin1) : _("the home region"));
	sb_addch(&w->data, '\t');
	label(&w->data, h->country && *h->country ? i18n_country(h->cc, h->country) : _("the home country"));
	sb_addch(&w->data, '\t');
	label(&w->data, cont ? _(cont) : _("the home continent"));
	sb_addch(&w->data, '\n');
	put_file(w, "meta.tsv", &w->data);
}

/* "12.5%" / "12,5 %": a share for people, in the report's language */
static void add_pct1(struct strbuf *out, double share)
{
	struct strbuf n = STRBUF_INIT;
	i18n_fixed(&n, isfinite(share) ? share * 100.0 : 0.0, 1);
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
	gp_margins(gp, 0.31, 0.95, 0.10, 0.87, 0.03, 0.95, 0.11);
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

/* The label of reach band i in the charts (plain text; goes through label()). */
static void reach_band_label(struct strbuf *t, const struct an_result *r, int i)
{
	char km[32];
	snprintf(km, sizeof(km), "%.0f", r->radius_km);
	st_reach_label(t, i, ST_LABEL_CHART, km, home_name(r), &r->home.place);
}

/* A share as a percentage for a data file (0 when not finite). */
static double pct_of(double share)
{
	return isfinite(share) ? share * 100.0 : 0.0;
}

static void chart_reach(struct pw *w)
{
	const struct an_result *r = w->r;
	const struct st_summary *s = &r->summary;
	struct strbuf t = STRBUF_INIT;

	gp_head(&w->gp, "reach", "how far the network reaches");
	gp_title(&w->gp, _("How far your network reaches from %s"), "home",
		 _("Share of your connections in each ring; a connection beyond 161 km is also beyond home"), NULL);
	if (!r->resolved) {
		gp_no_data(&w->gp, _("No connection could be placed, so there is no reach to show."));
		put_file(w, "reach.gp", &w->gp);
		return;
	}
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct st_band *b = &s->reach[i];
		sb_reset(&t);
		reach_band_label(&t, r, i);
		label(&w->data, t.buf);
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
	put_file(w, "reach.tsv", &w->data);
	/* xgettext:no-c-format */
	gp_hbars(&w->gp, "reach.tsv", ST_REACH_COUNT, 118, _("Share of connections (%)"), 1);
	put_file(w, "reach.gp", &w->gp);
	sb_release(&t);
}

/* ---- 2. distance bands ---------------------------------------------------- */

static void chart_bands(struct pw *w)
{
	const struct st_summary *s = &w->r->summary;
	double max = 0;
	gp_head(&w->gp, "distance-bands", "connections by distance from home");
	gp_title(&w->gp, _("Distance from %s"), "home",
		 _("Connections placed in a town or city, by distance band (161 km = 100 miles)"), NULL);
	if (!s->located) {
		gp_no_data(&w->gp, _("No connection is placed in a town or city, so there are no distances to show."));
		put_file(w, "distance-bands.gp", &w->gp);
		return;
	}
	for (int i = 0; i < ST_DIST_BANDS; i++) {
		const struct st_band *b = &s->dist_band[i];
		double pct = isfinite(b->share) ? b->share * 100.0 : 0.0;
		if (pct > max)
			max = pct;
		label(&w->data, _(st_dist_bands[i].chart));
		sb_addf(&w->data, "\t%.4f\t", pct);
		add_count_share(&w->data, b->count, b->share);
		sb_addch(&w->data, '\n');
	}
	put_file(w, "distance-bands.tsv", &w->data);
	gp_margins(&w->gp, 0.09, 0.97, 0.12, 0.87, 0.13, 0.97, 0.22);
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
	put_file(w, "distance-bands.gp", &w->gp);
}

/* ---- 3./4. countries and admin-1 ----------------------------------------- */

static void chart_items(struct pw *w, const char *stem, const char *title, const char *subtitle,
			const struct st_item *it, size_t n, int with_cc, const char *none)
{
	struct strbuf f = STRBUF_INIT, t = STRBUF_INIT;
	size_t shown = n < TOP_N ? n : TOP_N;
	double max = 0;
	sb_addf(&f, "%s.tsv", stem);
	gp_head(&w->gp, stem, title);
	gp_title(&w->gp, title, NULL, subtitle, NULL);
	if (!shown) {
		gp_no_data(&w->gp, none);
	} else {
		for (size_t i = 0; i < shown; i++) {
			double pct = isfinite(it[i].share) ? it[i].share * 100.0 : 0.0;
			sb_reset(&t);
			/* countries and admin-1 regions in the report's language */
			sb_adds(&t, it[i].name ? i18n_area(it[i].code, it[i].name) : it[i].code);
			if (with_cc && it[i].cc) {
				sb_adds(&t, " (");
				sb_adds(&t, it[i].cc);
				sb_adds(&t, ")");
			}
			label(&w->data, t.buf);
			sb_addf(&w->data, "\t%.4f\t", pct);
			add_count_share(&w->data, it[i].count, it[i].share);
			sb_addch(&w->data, '\n');
			if (pct > max)
				max = pct;
		}
		put_file(w, f.buf, &w->data);
		/* xgettext:no-c-format */
		gp_hbars(&w->gp, f.buf, shown, max * 1.3 + 1, _("Share of connections (%)"), 0);
	}
	sb_reset(&f);
	sb_addf(&f, "%s.gp", stem);
	put_file(w, f.buf, &w->gp);
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
		sb_addf(out, "%.1f\t%.4f\n", c->km[i] < 1.0 ? 1.0 : c->km[i], 100.0 * (double)c->cum[i] / (double)c->total);
	}
	sb_addf(out, "20040.0\t%.4f\n", 100.0);
}

/* Axes of a distance CDF: log km from 1 to 20,040, percent, marks at 50, 161 and 1,000 km. bmargin in screen units. */
static void gp_cdf_axes(struct strbuf *gp, double bmargin)
{
	gp_margins(gp, 0.09, 0.97, bmargin, 0.87, 0.13, 0.96, bmargin > 0.15 ? 330.0 / CDF_PHONE_H : 0.12);
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
	gp_strz(gp, _("161 km (100 mi)"));
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

static void chart_cdf(struct pw *w)
{
	struct st_cdf cdf;

	gp_head_size(&w->gp, "distance-cdf", "cumulative distance from home", CDF_PHONE_H);
	gp_title(&w->gp, _("How close your connections live to %s"), "home",
		 _("Share of connections living within a given distance (log scale)"), NULL);
	st_cdf(w->r->places, w->r->nr_places, &cdf);
	cdf_data(&w->data, &cdf);
	if (!cdf.total) {
		st_cdf_release(&cdf);
		gp_no_data(&w->gp, _("No connection is placed in a town or city, so there are no distances to show."));
		put_file(w, "distance-cdf.gp", &w->gp);
		return;
	}
	put_file(w, "distance-cdf.tsv", &w->data);

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
	put_file(w, "distance-cdf-you.tsv", &w->data);

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
		gp_ph(&w->gp, 0.058, 150.0 / CDF_PHONE_H);
		sb_adds(&w->gp, " center font ',14' textcolor rgb '#000000'\n");
		sb_adds(&w->gp, "set label 15 nr_wrap('(Bailey et al., \"Measuring Social Connectedness\", NBER w23608, 2017)', 46) "
				"at screen 0.5, screen ");
		gp_ph(&w->gp, 0.028, 50.0 / CDF_PHONE_H);
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
	gp_strz(&w->gp, _("Your connections"));
	sb_adds(&w->gp, ", 24), \\\n     'distance-cdf-you.tsv' using 1:2 with points pt 7 ps 1.6 lc rgb '" C_ACCENT "' title nr_wrap(");
	gp_strz(&w->gp, _("Your share within 50, 161, 800, 3,000 km"));
	/* on the phone the shares stand under their marks, in lines of 11 characters */
	sb_adds(&w->gp, ", 24), \\\n     '' using (nr_phone ? nr_off : $1):2:3 with labels left offset 1.2,-1.2 font ',14' textcolor rgb '" C_ACCENT "' noenhanced, \\\n"
			"     '' using (nr_phone ? $1 : nr_off):2:(nr_wrap(strcol(3), 11)) with labels center offset 0,-1.5 font ',14' textcolor rgb '" C_ACCENT "' noenhanced, \\\n"
			"     NaN with points pt 6 ps 2 lw 2.5 lc rgb '#000000' title nr_wrap(");
	gp_strz(&w->gp, _("Facebook friends, average US county (reference)"));
	sb_adds(&w->gp, ", 24)\n");
	put_file(w, "distance-cdf.gp", &w->gp);
}

/* ---- maps ------------------------------------------------------------------ */

/*
 * "%.1f" of v, the same bytes as printf: v * 10 is rounded to an integer
 * half-to-even on its exact value (fma gives the rounding error of the
 * product). Returns the length, or -1 (NaN, inf, |v| >= 1e14) to let
 * printf do it. Map outlines print ~10^5 points; vsnprintf was most of
 * writing them.
 */
static int fmt_1f(char *buf, double v)
{
	double a = fabs(v), p, e, fl, d;
	uint64_t q;
	char tmp[24];
	int n = 0, k = 0;
	if (!(a < 1e14))
		return -1; /* NaN, inf, huge: printf */
	p = a * 10.0;
	e = fma(a, 10.0, -p); /* a * 10 == p + e exactly */
	fl = floor(p);
	d = (p - fl) - 0.5;   /* exact, a multiple of ulp(p): its sign decides unless 0 */
	q = (uint64_t)fl;
	if (d > 0 || (d == 0 && (e > 0 || (e == 0 && (q & 1)))))
		q++;
	if (signbit(v))
		buf[n++] = '-';
	tmp[k++] = (char)('0' + q % 10);
	tmp[k++] = '.';
	q /= 10;
	do {
		tmp[k++] = (char)('0' + q % 10);
		q /= 10;
	} while (q);
	while (k)
		buf[n++] = tmp[--k];
	return n;
}

/* "%.1f\t%.1f\n" of x and y, through fmt_1f. */
static void add_xy(struct strbuf *sb, double x, double y)
{
	char buf[64];
	int a = fmt_1f(buf, x), b;
	if (a < 0) {
		sb_addf(sb, "%.1f\t%.1f\n", x, y);
		return;
	}
	buf[a++] = '\t';
	b = fmt_1f(buf + a, y);
	if (b < 0) {
		sb_addf(sb, "%.1f\t%.1f\n", x, y);
		return;
	}
	buf[a + b] = '\n';
	sb_add(sb, buf, (size_t)(a + b + 1));
}


struct view {
	double x0, x1, y0, y1;      /* projected extent, metres */
	/*
	 * For write_rings, set by view_reach: the view is a Lambert azimuthal
	 * equal-area map centred at (lat0, lon0) and no point farther than
	 * reach_cos (the cosine of an angle) from the centre can land within
	 * it (plus write_rings' margin). reach_cos < -1: no such bound.
	 */
	double lat0, lon0, reach_cos;
};

#define DEG (M_PI / 180.0)

/*
 * Set v's reach for write_rings' margin (a quarter of the view's width
 * on every side) on the ellipsoidal LAEA centred at (lat0, lon0).
 *
 * Snyder's ellipsoidal LAEA computes on the authalic sphere (radius Rq,
 * authalic latitude beta): with D = a m1 / (Rq cos beta1),
 *   (x / D)^2 + (y D)^2 = (2 Rq sin(c / 2))^2
 * where c is the angle between the point and the centre on that sphere
 * (polar aspect: D = 1). So a point at distance rho = hypot(x, y) from the
 * centre has 2 Rq sin(c / 2) <= max(D, 1/D) rho, and max(D, 1/D) < 1.0025
 * on WGS84 (1.01 below). Within the padded view rho <= the farthest
 * corner's distance. Authalic and geodetic latitudes differ by at most
 * 0.129 degrees (0.0023 rad), so the angle between the geodetic
 * positions is at most c + 0.0045 (0.01 below). Rq = 6371007 m (6.371e6
 * below, which only makes the bound larger).
 */
static void view_reach(struct view *v, double lat0, double lon0)
{
	double pad = 0.25 * (v->x1 - v->x0), far = 0, s;
	double xs[2] = { v->x0 - pad, v->x1 + pad }, ys[2] = { v->y0 - pad, v->y1 + pad };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			far = fmax(far, hypot(xs[i], ys[k]));
	v->lat0 = lat0;
	v->lon0 = lon0;
	s = 1.01 * far / (2 * 6.371e6);
	if (!(s < 1.0) || 2 * asin(s) + 0.01 >= M_PI)
		v->reach_cos = -2;
	else
		v->reach_cos = cos(2 * asin(s) + 0.01);
}

/*
 * Whether a ring might have a point within the angle of v's reach from
 * its centre, from the ring's lon/lat box: an upper bound of
 *   cos c = sin(lat0) sin(lat) + cos(lat0) cos(lat) cos(lon - lon0)
 * over the box, each term at its largest. 0 means that no point of the
 * ring can be in the view, so it need not be projected.
 */
static int ring_may_reach(const struct view *v, const struct geo_ring *g)
{
	double la0 = 90, la1 = -90, lo0 = 180, lo1 = -180, t1, cmax, cmin, m, lon0;
	if (!(v->reach_cos >= -1.0))
		return 1;
	for (size_t k = 0; k < g->n; k++) {
		double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
		la0 = lat < la0 ? lat : la0;
		la1 = lat > la1 ? lat : la1;
		lo0 = lon < lo0 ? lon : lo0;
		lo1 = lon > lo1 ? lon : lo1;
	}
	t1 = sin(v->lat0 * DEG) * sin((v->lat0 >= 0 ? la1 : la0) * DEG);
	cmax = la0 <= 0 && la1 >= 0 ? 1.0 : cos(fmin(fabs(la0), fabs(la1)) * DEG);
	cmin = cos(fmax(fabs(la0), fabs(la1)) * DEG);
	lon0 = remainder(v->lon0, 360.0);
	if (lon0 >= lo0 && lon0 <= lo1)
		m = 1.0;
	else
		m = cos(fmin(fabs(remainder(lo0 - lon0, 360.0)), fabs(remainder(lo1 - lon0, 360.0))) * DEG);
	return t1 + cos(v->lat0 * DEG) * (m >= 0 ? cmax : cmin) * m + 1e-9 >= v->reach_cos;
}

static int in_view(const struct view *v, double x, double y, double pad)
{
	return x >= v->x0 - pad && x <= v->x1 + pad && y >= v->y0 - pad && y <= v->y1 + pad;
}

/*
 * Write the outline rings (projected, in km) into w->data, one block per
 * ring; returns the number of points written. With v, only rings with a
 * point within v (plus a margin) are kept; a ring with a point that does
 * not project is left out whole (a ring cut into pieces would be filled
 * with chords across the map). home_cc selects which rings go in (want_home
 * 1: only home_cc's, 0: all others); NULL: all.
 */
static size_t write_rings(struct pw *w, const struct geo_outlines *o, const struct geo_proj *pj,
			  const struct view *v, const char *home_cc, int want_home)
{
	double *xs = NULL, *ys = NULL;
	size_t alloc = 0, points = 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		int is_home = home_cc && !strcmp(g->cc, home_cc);
		int any = 0, bad = 0;
		if (home_cc && is_home != want_home)
			continue;
		if (v && !ring_may_reach(v, g))
			continue; /* no point near the view: the loop below would find none */
		ALLOC_GROW(xs, g->n, alloc);
		ys = xrealloc(ys, alloc * sizeof(*ys));
		for (size_t k = 0; k < g->n && !bad; k++) {
			double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
			if (geo_proj_fwd(pj, lon, lat, &xs[k], &ys[k])) {
				bad = 1;
				break;
			}
			if (!v || in_view(v, xs[k], ys[k], 0.25 * (v->x1 - v->x0)))
				any = 1;
		}
		if (!any || bad)
			continue;
		for (size_t k = 0; k < g->n; k++)
			add_xy(&w->data, xs[k] / 1000.0, ys[k] / 1000.0);
		points += g->n;
		sb_addch(&w->data, '\n');
	}
	free(xs);
	free(ys);
	return points;
}

/*
 * Great-circle arc from home to (lat, lon), projected. On a map whose
 * central meridian is lon0 (not NaN), an arc that reaches the map's edge
 * (lon0 + 180) is split there: it ends at the edge and goes on from the
 * other one. NaN: the map has no such edge (an azimuthal home map).
 */
static void write_arc(struct strbuf *out, const struct geo_proj *pj, double lon0, double hlat, double hlon, double lat,
		      double lon, double dist_km)
{
	size_t n = 2 + (size_t)(dist_km / 50.0);
	double *la, *lo;
	int have = 0;
	if (n > 400)
		n = 400;
	la = xcalloc(n, sizeof(*la));
	lo = xcalloc(n, sizeof(*lo));
	geo_path(hlat, hlon, lat, lon, n, la, lo);
	for (size_t i = 0; i < n; i++) {
		double x, y;
		double r1 = isnan(lon0) ? 0 : remainder(lo[i] - lon0, 360.0);
		double r0 = i && !isnan(lon0) ? remainder(lo[i - 1] - lon0, 360.0) : r1;
		if (i && fabs(r1 - r0) > 180.0) {
			/* crossing the edge: end there, restart on the other side */
			double side = r0 > 0 ? 180.0 : -180.0;
			double span = 360.0 - fabs(r1 - r0);
			double f = span > 0 ? (side - r0) * (side > 0 ? 1 : -1) / span : 0.5;
			double lat_x = la[i - 1] + f * (la[i] - la[i - 1]);
			double edge = lon0 + side;
			if (!geo_proj_fwd(pj, remainder(edge - (side > 0 ? 1e-6 : -1e-6), 360.0), lat_x, &x, &y))
				add_xy(out, x / 1000.0, y / 1000.0);
			sb_addch(out, '\n');
			if (!geo_proj_fwd(pj, remainder(edge + (side > 0 ? 1e-6 : -1e-6), 360.0), lat_x, &x, &y))
				add_xy(out, x / 1000.0, y / 1000.0);
			have = 0;
		}
		if (geo_proj_fwd(pj, lo[i], la[i], &x, &y)) {
			if (have)
				sb_addch(out, '\n');
			have = 0;
			continue;
		}
		have = 1;
		add_xy(out, x / 1000.0, y / 1000.0);
	}
	sb_adds(out, "\n\n");
	free(la);
	free(lo);
}

struct bubble {
	unsigned long count;
	size_t idx;
};

static int cmp_bubble(const void *a, const void *b)
{
	const struct bubble *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * City-level places of r with a count (count[i], or the place's own count
 * when count is NULL), biggest first; *n gets how many, *max is raised to
 * the largest count. Caller frees.
 */
static struct bubble *located_places(const struct an_result *r, const unsigned long *count, size_t *n,
				     unsigned long *max)
{
	struct bubble *b = xcalloc(r->nr_places + 1, sizeof(*b));
	*n = 0;
	for (size_t i = 0; i < r->nr_places; i++) {
		const struct st_place *p = &r->places[i];
		unsigned long c = count ? count[i] : p->count;
		if (!gc_level_is_point(p->place.level) || !c)
			continue;
		b[*n].count = c;
		b[*n].idx = i;
		(*n)++;
		if (c > *max)
			*max = c;
	}
	qsort(b, *n, sizeof(*b), cmp_bubble);
	return b;
}

/* One layer of bubbles on a map. */
struct layer {
	const struct an_result *r;     /* the places */
	const unsigned long *count;    /* per place of r; NULL: each place's count */
	const char *suffix;            /* its data file is STEM-SUFFIX.tsv (fixed text) */
	const char *style;             /* what follows "with circles" (fixed text) */
	const char *title;             /* key entry (fixed text), NULL for none */
};

/*
 * Bubble radii in km for layers b[0..nly) (n[k] bubbles each, largest
 * count max) on a map of area_km2: rmax shrinks so that the bubbles cover
 * at most 5% of the map; rmin never exceeds rmax.
 */
static void bubble_scale(struct bubble *const *b, const size_t *n, size_t nly, unsigned long max, double area_km2,
			 double *rmin, double *rmax)
{
	double sum = 0, cap;
	for (size_t k = 0; k < nly; k++)
		for (size_t i = 0; i < n[k]; i++)
			sum += (double)b[k][i].count / (double)max;
	cap = sum > 0 ? sqrt(0.05 * area_km2 / (M_PI * sum)) : *rmax;
	if (*rmax > cap)
		*rmax = cap;
	if (*rmin > *rmax)
		*rmin = *rmax;
}

/* What a map adds to map_layers' plot command: fixed text and numbers only. */
struct map_opts {
	double lon0;          /* central meridian for splitting arcs at the edge; NaN: none */
	const char *before;   /* script before the plot command (objects, multiplot) */
	const char *under;    /* plot clauses (each ending ", \\\n     ") after the outlines, under arcs and bubbles */
	const char *over;     /* plot clauses (each starting ", \\\n     ") after home */
	const char *after;    /* script after the plot command (an inset) */
};

/*
 * The data and plot command shared by the maps: outlines (already in
 * STEM-land.tsv and STEM-other.tsv), arcs from home to the first layer's
 * places (when arcs), bubbles of every layer on one scale, home. rmin/rmax
 * are bubble radii in km.
 */
static void map_layers(struct pw *w, const char *stem, const struct geo_proj *pj, const struct view *v,
		       double area_km2, double rmin, double rmax, int have_land, int have_other, int have_sphere,
		       const struct layer *ly, size_t nly, int arcs_on, const struct map_opts *mo)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	struct bubble *b[4];
	size_t n[4], arcs = 0, bubbles[4] = { 0 }, all = 0;
	unsigned long max = 0;
	double hx = 0, hy = 0;
	int home_ok = !geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy);
	struct strbuf f = STRBUF_INIT;

	if (nly > ARRAY_SIZE(b))
		nly = ARRAY_SIZE(b);
	for (size_t k = 0; k < nly; k++)
		b[k] = located_places(ly[k].r, ly[k].count, &n[k], &max);
	bubble_scale(b, n, nly, max, area_km2, &rmin, &rmax);
	/* arcs: to the biggest places first, drawn under the bubbles */
	for (size_t i = 0; arcs_on && nly && i < n[0] && arcs < MAX_ARCS; i++) {
		const struct st_place *p = &ly[0].r->places[b[0][i].idx];
		double x, y;
		if (p->dist_km < 1.0 || geo_proj_fwd(pj, p->place.lon, p->place.lat, &x, &y))
			continue;
		if (v && !in_view(v, x, y, 0))
			continue;
		write_arc(&w->data, pj, mo->lon0, h->lat, h->lon, p->place.lat, p->place.lon, p->dist_km);
		arcs++;
	}
	if (arcs_on) {
		if (!arcs)
			sb_adds(&w->data, "\n");
		sb_reset(&f);
		sb_addf(&f, "%s-arcs.tsv", stem);
		put_file(w, f.buf, &w->data);
	}

	/* bubbles: x, y, radius (km, area proportional to count), count */
	for (size_t k = 0; k < nly; k++) {
		for (size_t i = 0; i < n[k]; i++) {
			const struct st_place *p = &ly[k].r->places[b[k][i].idx];
			double x, y, rad = rmax * sqrt((double)b[k][i].count / (double)max);
			if (geo_proj_fwd(pj, p->place.lon, p->place.lat, &x, &y))
				continue;
			if (v && !in_view(v, x, y, 0))
				continue;
			sb_addf(&w->data, "%.1f\t%.1f\t%.1f\t%lu\n", x / 1000.0, y / 1000.0, rad < rmin ? rmin : rad,
				b[k][i].count);
			bubbles[k]++;
		}
		if (!bubbles[k])
			sb_adds(&w->data, "\n");
		all += bubbles[k];
		sb_reset(&f);
		sb_addf(&f, "%s-%s.tsv", stem, ly[k].suffix);
		put_file(w, f.buf, &w->data);
	}

	/* home: x, y, name */
	if (home_ok) {
		sb_addf(&w->data, "%.1f\t%.1f\t", hx / 1000.0, hy / 1000.0);
		label(&w->data, home_name(r));
		sb_addch(&w->data, '\n');
	} else {
		sb_adds(&w->data, "\n");
	}
	sb_reset(&f);
	sb_addf(&f, "%s-home.tsv", stem);
	put_file(w, f.buf, &w->data);

	/* legend text: bubble scale; our numbers only */
	if (all) {
		struct strbuf most = STRBUF_INIT;
		i18n_count(&most, max);
		sb_addf(&w->data, _("Bubble area ∝ connections; largest: %s"), most.buf);
		sb_addch(&w->data, '\n');
		sb_release(&most);
	} else {
		sb_adds(&w->data, _("No town or city to show on this map"));
		sb_addch(&w->data, '\n');
	}
	sb_reset(&f);
	sb_addf(&f, "%s-legend.tsv", stem);
	put_file(w, f.buf, &w->data);

	sb_addf(&w->gp, "stats '%s-legend.tsv' using (legend = strcol(1), 0) nooutput\n", stem);
	/* on the phone the legend and the credits stand one over the other, under the map */
	sb_adds(&w->gp, "set label 104 nr_wrap(legend, 46) at screen 0.02, screen ");
	gp_ph(&w->gp, 0.02, 100.0 / PL_PHONE_MAP_HEIGHT);
	sb_adds(&w->gp, " left font ',13' textcolor rgb '" C_TEXT "' noenhanced\n");
	sb_adds(&w->gp, "set label 105 nr_wrap(");
	gp_strz(&w->gp, _("Places: GeoNames (CC BY 4.0) · Outlines: Made with Natural Earth"));
	sb_adds(&w->gp, ", 46) at screen (nr_phone ? 0.02 : 0.98), screen ");
	gp_ph(&w->gp, 0.02, 50.0 / PL_PHONE_MAP_HEIGHT);
	sb_adds(&w->gp, " font ',13' textcolor rgb '" C_TEXT "'\nif (!nr_phone) set label 105 right\n");
	sb_adds(&w->gp, "unset border\nunset tics\nunset xlabel\nunset ylabel\nset size ratio -1\n");
	gp_margins(&w->gp, 0.01, 0.99, 0.055, 0.89, 0.01, 0.99, (nly > 1 ? 270.0 : 150.0) / PL_PHONE_MAP_HEIGHT);
	sb_adds(&w->gp, "set clip two\n");
	sb_adds(&w->gp, "set style textbox opaque fc rgb '#ffffff' noborder margins 2,1\n");
	if (nly > 1)
		sb_addf(&w->gp, "set key bottom left at screen 0.02, screen (nr_phone ? %.4g : 0.05) reverse Left width 2 "
				"font ',15' box lc rgb '#bbbbbb' opaque samplen 1 spacing 1.3\n", 150.0 / PL_PHONE_MAP_HEIGHT);
	if (mo->before)
		sb_adds(&w->gp, mo->before);
	/* only layers with data: gnuplot warns about empty files */
	sb_adds(&w->gp, "plot ");
	if (have_sphere)
		sb_addf(&w->gp, "'%s-sphere.tsv' using 1:2 with filledcurves closed fc rgb '#eef4fa', \\\n     ", stem);
	if (have_land)
		sb_addf(&w->gp, "'%s-land.tsv' using 1:2 with filledcurves closed fc rgb '#d6d6d6', \\\n"
				"     '' using 1:2 with lines lw 0.6 lc rgb '#9a9a9a', \\\n     ", stem);
	if (have_other)
		sb_addf(&w->gp, "'%s-other.tsv' using 1:2 with filledcurves closed fc rgb '#ececec', \\\n"
				"     '' using 1:2 with lines lw 0.6 lc rgb '#b5b5b5', \\\n     ", stem);
	if (mo->under)
		sb_adds(&w->gp, mo->under);
	if (arcs)
		sb_addf(&w->gp, "'%s-arcs.tsv' using 1:2 with lines lw %s lc rgb '#66c55a11', \\\n     ", stem,
			arcs > 100 ? "0.6" : arcs > 30 ? "0.9" : "1.2");
	for (size_t k = 0; k < nly; k++) {
		if (bubbles[k]) {
			sb_addf(&w->gp, "'%s-%s.tsv' using 1:2:3 with circles %s", stem, ly[k].suffix, ly[k].style);
			if (ly[k].title) {
				sb_adds(&w->gp, " title ");
				gp_strz(&w->gp, _(ly[k].title));
			}
			sb_adds(&w->gp, ", \\\n     ");
		} else if (ly[k].title) {
			/* still in the key, so that "none removed" is visible */
			sb_addf(&w->gp, "NaN with circles %s title ", ly[k].style);
			gp_strz(&w->gp, _(ly[k].title));
			sb_adds(&w->gp, ", \\\n     ");
		}
	}
	if (home_ok)
		sb_addf(&w->gp, "'%s-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \\\n"
				"     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' "
				"noenhanced", stem);
	else
		sb_adds(&w->gp, "NaN notitle");
	if (mo->over)
		sb_adds(&w->gp, mo->over);
	sb_addch(&w->gp, '\n');
	if (mo->after)
		sb_adds(&w->gp, mo->after);
	for (size_t k = 0; k < nly; k++)
		free(b[k]);
	sb_release(&f);
}

#define PLACES_STYLE "fc rgb '" C_MID "' fs transparent solid 0.55 border lc rgb '" C_DARK "'"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Degrees of latitude of land that the meridian lon crosses in o's exterior rings. */
static double land_on_meridian(const struct geo_outlines *o, double lon)
{
	double *lat = NULL, sum = 0;
	size_t alloc = 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		size_t nr = 0;
		if (g->ring)
			continue;
		for (size_t k = 1; k < g->n; k++) {
			double x0 = g->lonlat[2 * k - 2], y0 = g->lonlat[2 * k - 1];
			double x1 = g->lonlat[2 * k], y1 = g->lonlat[2 * k + 1];
			if ((x0 > lon) == (x1 > lon))
				continue;
			ALLOC_GROW(lat, nr + 1, alloc);
			lat[nr++] = y0 + (lon - x0) / (x1 - x0) * (y1 - y0);
		}
		if (nr > 1)
			qsort(lat, nr, sizeof(*lat), cmp_double);
		for (size_t k = 0; k + 1 < nr; k += 2)
			sum += lat[k + 1] - lat[k];
	}
	free(lat);
	return sum;
}

/* A path drawn on the world map, as longitudes: from lon, by delta (-180..180) degrees east. */
struct span {
	double lon, delta;
};

/* Whether the meridian cut is within margin degrees of span s (or across it). */
static int span_meets(const struct span *s, double cut, double margin)
{
	double off = remainder(cut - s->lon, 360.0); /* where the cut is, seen from the start */
	double lo = fmin(0, s->delta) - margin, hi = fmax(0, s->delta) + margin;
	return (off >= lo && off <= hi) || (off - 360.0 >= lo) || (off + 360.0 <= hi);
}

/*
 * The meridian to cut the world map at (its edge; the map is centred on
 * the opposite one) so that the paths it draws, each going the short way
 * in longitude (a shortest path changes longitude monotonically, by at
 * most 180 degrees), are not cut: of the meridians every 5 degrees, the
 * one within 5 degrees of the fewest paths (weighted by how many
 * connections each stands for), then 180 (the usual map), then the one
 * crossing the least land in o, then the nearest to 180, then the
 * smallest.
 */
static double world_cut(const struct span *sp, const double *weight, size_t n, const struct geo_outlines *o)
{
	double best = 180.0, best_w = INFINITY, best_land = INFINITY;
	for (int c = -175; c <= 180; c += 5) {
		double wsum = 0, land;
		for (size_t i = 0; i < n; i++)
			if (span_meets(&sp[i], c, 5.0))
				wsum += weight[i];
		if (wsum > best_w + 1e-9)
			continue;
		land = c == 180 ? -1 : o ? land_on_meridian(o, c) : 0;
		if (wsum < best_w - 1e-9 || land < best_land - 1e-9 ||
		    (fabs(land - best_land) <= 1e-9 && fabs(remainder(c - 180.0, 360.0)) < fabs(remainder(best - 180.0, 360.0)))) {
			best = c;
			best_w = wsum;
			best_land = land;
		}
	}
	return best;
}

/*
 * The paths of a world map: arcs from home to the MAX_ARCS biggest places
 * of ly at least a km away (map_layers' choice), and the compare map's
 * moves (write_moves' choice). *sp and *weight are the caller's to free.
 */
static size_t world_spans(const struct layer *ly, int arcs_on, const struct an_result *before,
			  const struct pl_compare *c, struct span **sp, double **weight)
{
	size_t n = 0, alloc = 0, walloc = 0;
	*sp = NULL;
	*weight = NULL;
	if (arcs_on) {
		const struct gc_place *h = &ly->r->home.place;
		unsigned long max = 0;
		size_t nb, arcs = 0;
		struct bubble *b = located_places(ly->r, ly->count, &nb, &max);
		for (size_t i = 0; i < nb && arcs < MAX_ARCS; i++) {
			const struct st_place *p = &ly->r->places[b[i].idx];
			if (p->dist_km < 1.0)
				continue;
			ALLOC_GROW(*sp, n + 1, alloc);
			ALLOC_GROW(*weight, n + 1, walloc);
			(*sp)[n] = (struct span){ h->lon, remainder(p->place.lon - h->lon, 360.0) };
			(*weight)[n++] = (double)b[i].count;
			arcs++;
		}
		free(b);
	}
	for (size_t i = 0, drawn = 0; c && before && i < c->nr_moves && drawn < MAX_MOVES; i++) {
		const struct gc_place *p = &before->places[c->moves[i].before].place;
		const struct gc_place *q = &ly->r->places[c->moves[i].after].place;
		if (!gc_level_is_point(p->level) || !gc_level_is_point(q->level) ||
		    geo_dist_km(p->lat, p->lon, q->lat, q->lon) < 1.0)
			continue;
		ALLOC_GROW(*sp, n + 1, alloc);
		ALLOC_GROW(*weight, n + 1, walloc);
		(*sp)[n] = (struct span){ p->lon, remainder(q->lon - p->lon, 360.0) };
		(*weight)[n++] = (double)c->moves[i].count;
		drawn++;
	}
	return n;
}

#define C_MOVE "#7b3294"

/*
 * The compare map's arrows: for the MAX_MOVES biggest moves between two
 * towns (both places at city level), the great circle from the BEFORE
 * town to the AFTER town (STEM-moves.tsv, split at the map's edge) and an
 * arrow head at its end (STEM-moveheads.tsv: x, y, dx, dy of the last
 * stretch). Moves to or from a region or country have no point to draw.
 * Appends the plot clauses to under; returns the arrows written.
 */
static size_t write_moves(struct pw *w, const char *stem, const struct geo_proj *pj, double lon0,
			  const struct an_result *b, const struct pl_compare *c, struct strbuf *under)
{
	const struct an_result *a = w->r;
	struct strbuf f = STRBUF_INIT, heads = STRBUF_INIT;
	size_t drawn = 0;
	for (size_t i = 0; i < c->nr_moves && drawn < MAX_MOVES; i++) {
		const struct gc_place *p = &b->places[c->moves[i].before].place, *q = &a->places[c->moves[i].after].place;
		double d, la0, lo0, x0, y0, x1, y1;
		if (!gc_level_is_point(p->level) || !gc_level_is_point(q->level))
			continue;
		d = geo_dist_km(p->lat, p->lon, q->lat, q->lon);
		if (d < 1.0)
			continue;
		/* the head points along the last stretch of the path (1/33 of it) */
		{
			size_t n = 2 + (size_t)(d / 50.0);
			double *pla, *plo;
			if (n > 400)
				n = 400;
			if (n < 34)
				n = 34;
			pla = xcalloc(n, sizeof(*pla));
			plo = xcalloc(n, sizeof(*plo));
			geo_path(p->lat, p->lon, q->lat, q->lon, n, pla, plo);
			la0 = pla[n - 1 - n / 33];
			lo0 = plo[n - 1 - n / 33];
			free(pla);
			free(plo);
		}
		if (geo_proj_fwd(pj, lo0, la0, &x0, &y0) || geo_proj_fwd(pj, q->lon, q->lat, &x1, &y1))
			continue;
		write_arc(&w->data, pj, lon0, p->lat, p->lon, q->lat, q->lon, d);
		if (fabs(x1 - x0) < 0.25 * 34800e3) /* not across the map's edge */
			sb_addf(&heads, "%.1f\t%.1f\t%.1f\t%.1f\n", x0 / 1000.0, y0 / 1000.0, (x1 - x0) / 1000.0,
				(y1 - y0) / 1000.0);
		drawn++;
	}
	if (drawn) {
		sb_addf(&f, "%s-moves.tsv", stem);
		put_file(w, f.buf, &w->data);
		if (!heads.len)
			sb_addch(&heads, '\n');
		sb_reset(&f);
		sb_addf(&f, "%s-moveheads.tsv", stem);
		put_file(w, f.buf, &heads);
		sb_addf(under, "'%s-moves.tsv' using 1:2 with lines lw 1.4 lc rgb '%s' notitle, \\\n     ", stem,
			drawn > 50 ? "#997b3294" : C_MOVE);
		sb_addf(under, "'%s-moveheads.tsv' using 1:2:3:4 with vectors head filled size screen 0.009,25 fixed "
			       "lw 1.4 lc rgb '" C_MOVE "' title ", stem);
		gp_strz(under, _("Moved (arrow: old town to new)"));
		sb_adds(under, ", \\\n     ");
	}
	sb_release(&f);
	sb_release(&heads);
	return drawn;
}

static void world_map(struct pw *w, const struct geo_outlines *o, const char *stem, const char *what,
		      const char *title, const char *subtitle, const struct layer *ly, size_t nly, int arcs_on,
		      const struct an_result *before, const struct pl_compare *moves)
{
	struct strbuf under = STRBUF_INIT;
	struct geo_proj *pj;
	struct strbuf f = STRBUF_INIT, def = STRBUF_INIT;
	struct geo_outlines cut_o;
	struct map_opts mo = { NAN, NULL, NULL, NULL, NULL };
	double x, y, cut, lon0, *weight;
	struct span *sp;
	size_t land = 0, nsp = nly ? world_spans(&ly[0], arcs_on, before, moves, &sp, &weight) : 0;
	cut = nsp ? world_cut(sp, weight, nsp, o) : 180.0;
	lon0 = remainder(cut + 180.0, 360.0);
	if (nly) {
		free(sp);
		free(weight);
	}
	geo_outlines_init(&cut_o);
	if (lon0 == 0)
		sb_adds(&def, "+proj=eqearth +datum=WGS84");
	else
		sb_addf(&def, "+proj=eqearth +lon_0=%.0f +datum=WGS84", lon0);
	pj = geo_proj_new(def.buf, w->err);
	sb_release(&def);
	if (!pj) {
		w->st = NR_EX_SOFTWARE;
		return;
	}
	mo.lon0 = lon0;
	if (o && cut != 180.0) {
		if (geo_outlines_cut(o, cut, &cut_o, w->err)) {
			w->st = NR_EX_SOFTWARE;
			geo_proj_free(pj);
			return;
		}
		o = &cut_o;
	}
	gp_head_size(&w->gp, stem, what, PL_PHONE_MAP_HEIGHT);
	gp_title(&w->gp, title, "home", subtitle, "home"); /* translated; %s is the home town */
	/* the globe's outline: the meridians at the map's two edges */
	for (int lat = -90; lat <= 90; lat++)
		if (!geo_proj_fwd(pj, lon0 == 0 ? -180.0 : remainder(cut + 1e-6, 360.0), lat, &x, &y))
			add_xy(&w->data, x / 1000.0, y / 1000.0);
	for (int lat = 90; lat >= -90; lat--)
		if (!geo_proj_fwd(pj, lon0 == 0 ? 180.0 : remainder(cut - 1e-6, 360.0), lat, &x, &y))
			add_xy(&w->data, x / 1000.0, y / 1000.0);
	sb_addf(&f, "%s-sphere.tsv", stem);
	put_file(w, f.buf, &w->data);
	if (o)
		land = write_rings(w, o, pj, NULL, NULL, 0);
	sb_addch(&w->data, '\n');
	sb_reset(&f);
	sb_addf(&f, "%s-land.tsv", stem);
	put_file(w, f.buf, &w->data);
	sb_adds(&w->gp, "set xrange [-17400:17400]\nset yrange [-8600:8600]\n");
	if (moves && before && write_moves(w, stem, pj, lon0, before, moves, &under))
		mo.under = under.buf;
	map_layers(w, stem, pj, NULL, 5.1e8 * 0.86, 45.0, 650.0, land > 0, 0, 1, ly, nly, arcs_on, &mo);
	sb_release(&under);
	sb_reset(&f);
	sb_addf(&f, "%s.gp", stem);
	put_file(w, f.buf, &w->gp);
	sb_release(&f);
	geo_outlines_release(&cut_o);
	geo_proj_free(pj);
}

static void chart_world(struct pw *w, const struct geo_outlines *o)
{
	const struct layer places_layer = { w->r, NULL, "places", PLACES_STYLE, NULL };
	world_map(w, o, "world-map", "world map of where connections live", _("Where your connections live"),
		  _("Each bubble is a town or city; lines are great circles from %s (Equal Earth projection)"),
		  &places_layer, 1, 1, NULL, NULL);
}

struct bbox {
	double lon0, lon1, lat0, lat1;
};

static int ring_contains(const struct geo_ring *g, double lon, double lat)
{
	int in = 0;
	for (size_t i = 0, j = g->n ? g->n - 1 : 0; i < g->n; j = i++) {
		double xi = g->lonlat[2 * i], yi = g->lonlat[2 * i + 1];
		double xj = g->lonlat[2 * j], yj = g->lonlat[2 * j + 1];
		if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static struct bbox ring_bbox(const struct geo_ring *g)
{
	struct bbox b = { 999, -999, 999, -999 };
	for (size_t k = 0; k < g->n; k++) {
		double lon = g->lonlat[2 * k], lat = g->lonlat[2 * k + 1];
		b.lon0 = fmin(b.lon0, lon);
		b.lon1 = fmax(b.lon1, lon);
		b.lat0 = fmin(b.lat0, lat);
		b.lat1 = fmax(b.lat1, lat);
	}
	return b;
}

static int bbox_near(const struct bbox *a, const struct bbox *b, double margin)
{
	return a->lon0 <= b->lon1 + margin && b->lon0 <= a->lon1 + margin && a->lat0 <= b->lat1 + margin &&
	       b->lat0 <= a->lat1 + margin;
}

/*
 * The home country's extent in lon/lat: the outline part that holds home
 * (else the largest), grown by the parts within 2 degrees of it, so that
 * the lower 48 stay apart from Alaska and Hawaii and France from its
 * overseas departments. Returns 0 when the country has no outline.
 */
static int home_extent(const struct geo_outlines *o, const struct gc_place *h, struct bbox *out)
{
	size_t main_i = SIZE_MAX;
	double best = -1;
	struct bbox ext;
	unsigned char *used;
	int grew;
	if (!o || !h->cc)
		return 0;
	for (size_t i = 0; i < o->nr; i++) {
		const struct geo_ring *g = &o->rings[i];
		struct bbox b;
		double area;
		if (strcmp(g->cc, h->cc) || g->ring)
			continue;
		if (ring_contains(g, h->lon, h->lat)) {
			main_i = i;
			break;
		}
		b = ring_bbox(g);
		area = (b.lon1 - b.lon0) * (b.lat1 - b.lat0) * cos((b.lat0 + b.lat1) / 2 * M_PI / 180);
		if (area > best) {
			best = area;
			main_i = i;
		}
	}
	if (main_i == SIZE_MAX)
		return 0;
	ext = ring_bbox(&o->rings[main_i]);
	used = xcalloc(o->nr, 1);
	used[main_i] = 1;
	do {
		grew = 0;
		for (size_t i = 0; i < o->nr; i++) {
			const struct geo_ring *g = &o->rings[i];
			struct bbox b;
			if (used[i] || strcmp(g->cc, h->cc) || g->ring)
				continue;
			b = ring_bbox(g);
			if (!bbox_near(&ext, &b, 2.0))
				continue;
			used[i] = 1;
			grew = 1;
			ext.lon0 = fmin(ext.lon0, b.lon0);
			ext.lon1 = fmax(ext.lon1, b.lon1);
			ext.lat0 = fmin(ext.lat0, b.lat0);
			ext.lat1 = fmax(ext.lat1, b.lat1);
		}
	} while (grew);
	free(used);
	*out = ext;
	return 1;
}

/* ---- home map: admin-1 borders, distance rings, place labels, inset -------- */

/* The home map's plot area in pixels (map_layers' margins). */
#define HM_W_PX (0.98 * PL_WIDTH)
#define HM_H_PX (0.835 * PL_HEIGHT)
#define HM_LABELS 10           /* place labels on the map, and in the inset */
#define HM_LABEL_TRY 60        /* the biggest places tried for a label */
#define HM_LABEL_BYTES 24      /* bytes of a name in a map label */
/* Inset (screen fractions): its size, and where the plot area may hold it. */
#define IN_W 0.31
#define IN_H 0.44

struct box {
	double x0, y0, x1, y1;      /* km on the map */
};

static int box_hit(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static int box_has(const struct box *a, double x, double y)
{
	return x > a->x0 && x < a->x1 && y > a->y0 && y < a->y1;
}

/* Code points of UTF-8 text. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/*
 * A label's size in pixels at font size pt: DejaVu Sans at pngcairo's
 * scale averages about 0.75 pt per character across, a line is 1.6 pt
 * high; plus the text box's margins. Generous, so that boxes that do not
 * overlap here do not overlap in the PNG.
 */
static double label_w_px(size_t chars, double pt)
{
	return 0.75 * pt * (double)chars + 8;
}

static double label_h_px(double pt)
{
	return 1.6 * pt + 4;
}

/* One bubble as drawn in a frame: projected km, radius km. */
struct mbub {
	double x, y, r;
	unsigned long count;
	size_t idx;                 /* place index */
	int labelled;               /* place_labels gave it a label */
};

/* A frame of the home map: its view (km) and km per pixel. */
struct frame {
	struct box view;
	double kmpp;
};

/*
 * Labels ("Name (count)") for the biggest of the bubbles bb[0..n) (biggest
 * first) into out as "x <TAB> y <TAB> text" lines, centred at x, y: each
 * placed right, left, above or below its bubble, or up and right of it,
 * wherever its box stays in the frame, overlaps no box in taken (which it
 * joins), not avoid (NULL: none), and covers no bigger bubble's centre.
 * Places within 1 km of home (home has its own label), outside the frame
 * or inside skip (NULL: none) get none, nor a second place of a name
 * already labelled. At most max labels; returns how many.
 */
static size_t place_labels(struct strbuf *out, const struct an_result *r, struct mbub *bb, size_t n,
			   const struct frame *f, struct box *taken, size_t *ntaken, size_t max, double pt,
			   const struct box *avoid, const struct box *skip)
{
	struct strbuf t = STRBUF_INIT;
	size_t done = 0;
	for (size_t i = 0; i < n && i < HM_LABEL_TRY && done < max; i++) {
		const struct gc_place *p = &r->places[bb[i].idx].place;
		double w, hh, gap = 3 * f->kmpp, x = bb[i].x, y = bb[i].y, rr = bb[i].r;
		double cand[5][2];
		const char *name = p->name ? p->name : "";
		int dup = 0;
		/* home has its own label; a place whose centre is not shown or lies in skip has none */
		if (r->places[bb[i].idx].dist_km < 1.0 || !box_has(&f->view, x, y) || (skip && box_has(skip, x, y)))
			continue;
		/* one label per name: two places both called Milwaukee would read as a mistake */
		for (size_t k = 0; k < i && !dup; k++)
			dup = bb[k].labelled && !strcmp(r->places[bb[k].idx].place.name ? r->places[bb[k].idx].place.name : "", name);
		if (dup)
			continue;
		sb_reset(&t);
		pl_label(&t, name, strlen(name), HM_LABEL_BYTES);
		sb_addf(&t, " (%lu)", bb[i].count);
		w = label_w_px(utf8_chars(t.buf, t.len), pt) * f->kmpp;
		hh = label_h_px(pt) * f->kmpp;
		cand[0][0] = x + rr + gap + w / 2, cand[0][1] = y;
		cand[1][0] = x - rr - gap - w / 2, cand[1][1] = y;
		cand[2][0] = x, cand[2][1] = y + rr + gap + hh / 2;
		cand[3][0] = x, cand[3][1] = y - rr - gap - hh / 2;
		cand[4][0] = x + 0.7 * rr + w / 2, cand[4][1] = y + 0.7 * rr + hh / 2;
		for (int c = 0; c < 5; c++) {
			struct box b = { cand[c][0] - w / 2, cand[c][1] - hh / 2, cand[c][0] + w / 2, cand[c][1] + hh / 2 };
			int ok = b.x0 > f->view.x0 + gap && b.x1 < f->view.x1 - gap && b.y0 > f->view.y0 + gap &&
				 b.y1 < f->view.y1 - gap && !(avoid && box_hit(&b, avoid));
			for (size_t k = 0; ok && k < *ntaken; k++)
				ok = !box_hit(&b, &taken[k]);
			for (size_t k = 0; ok && k < n; k++)
				ok = k == i || bb[k].count < bb[i].count || !box_has(&b, bb[k].x, bb[k].y);
			if (!ok)
				continue;
			taken[(*ntaken)++] = b;
			bb[i].labelled = 1;
			sb_addf(out, "%.1f\t%.1f\t", cand[c][0], cand[c][1]);
			sb_add(out, t.buf, t.len);
			sb_addch(out, '\n');
			done++;
			break;
		}
	}
	sb_release(&t);
	return done;
}

/*
 * The box of the home marker and its label (map_layers: a square of
 * ps 2.2, the name at font 16, left, offset 1.4, 0.9 characters).
 */
static struct box home_box(const struct an_result *r, double hx, double hy, double kmpp)
{
	struct strbuf t = STRBUF_INIT;
	double w;
	label(&t, home_name(r));
	w = label_w_px(utf8_chars(t.buf, t.len), 16);
	sb_release(&t);
	return (struct box){ hx - 14 * kmpp, hy - 14 * kmpp, hx + (26 + w) * kmpp, hy + 40 * kmpp };
}

/* A geodesic circle of radius km around home, projected, as one data block. */
static void write_ring(struct strbuf *out, const struct geo_proj *pj, const struct gc_place *h, double km)
{
	for (int az = 0; az <= 360; az += 3) {
		double la, lo, x, y;
		geo_direct(h->lat, h->lon, az, km, &la, &lo);
		if (!geo_proj_fwd(pj, lo, la, &x, &y))
			add_xy(out, x / 1000.0, y / 1000.0);
	}
	sb_addch(out, '\n');
}

/*
 * Ring labels ("50 km", "161 km (100 mi)": our numbers) at the top of each
 * ring whose radius is at least min_px in frame f, into out; their boxes
 * join taken.
 */
static void ring_labels(struct strbuf *out, const struct geo_proj *pj, const struct gc_place *h, const double *km,
			size_t nkm, const struct frame *f, double min_px, struct box *taken, size_t *ntaken)
{
	struct strbuf text = STRBUF_INIT, num = STRBUF_INIT, t = STRBUF_INIT;
	for (size_t i = 0; i < nkm; i++) {
		double la, lo, x, y, hx, hy, w, hh;
		geo_direct(h->lat, h->lon, 0, km[i], &la, &lo);
		if (geo_proj_fwd(pj, lo, la, &x, &y) || geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy))
			continue;
		x /= 1000.0, y /= 1000.0, hx /= 1000.0, hy /= 1000.0;
		if (hypot(x - hx, y - hy) < min_px * f->kmpp)
			continue;
		sb_reset(&text);
		sb_reset(&num);
		if (fabs(km[i] - ST_100_MILES_KM) < 0.5) {
			pl_label(&text, _("161 km (100 mi)"), strlen(_("161 km (100 mi)")), LABEL_MAX);
		} else {
			i18n_fixed(&num, km[i], 0);
			/* TRANSLATORS: a ring's radius on the home map, %s a number ("50") */
			sb_addf(&t, _("%s km"), num.buf);
			pl_label(&text, t.buf, t.len, LABEL_MAX);
			sb_reset(&t);
		}
		w = label_w_px(utf8_chars(text.buf, text.len), 13) * f->kmpp;
		hh = label_h_px(13) * f->kmpp;
		taken[(*ntaken)++] = (struct box){ x - w / 2, y - hh / 2, x + w / 2, y + hh / 2 };
		sb_addf(out, "%.1f\t%.1f\t", x, y);
		sb_add(out, text.buf, text.len);
		sb_addch(out, '\n');
	}
	sb_release(&text);
	sb_release(&num);
	sb_release(&t);
}

/* The home map's bubbles in frame f with radii rmin..rmax (km) by count / max. */
static size_t frame_bubbles(const struct an_result *r, const struct geo_proj *pj, const struct bubble *b, size_t n,
			    const struct box *in, unsigned long max, double rmin, double rmax, struct mbub *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gc_place *p = &r->places[b[i].idx].place;
		double x, y, rad = rmax * sqrt((double)b[i].count / (double)max);
		if (geo_proj_fwd(pj, p->lon, p->lat, &x, &y))
			continue;
		x /= 1000.0, y /= 1000.0;
		if (!(x >= in->x0 && x <= in->x1 && y >= in->y0 && y <= in->y1))
			continue;
		out[k++] = (struct mbub){ x, y, rad < rmin ? rmin : rad, b[i].count, b[i].idx, 0 };
	}
	return k;
}

/*
 * Everything the home map adds to map_layers: the borders between the home
 * country's admin-1 areas (datasets/world/admin1-lines.tsv, when it has
 * them), rings at the home radius and at 161 km, labels for the biggest
 * places that collide with nothing, and, when the home region is crowded
 * (3 or more bubbles within 1.3 x 161 km of home) and the map is at least 3
 * times wider than it, an inset zooming in on it, in the corner of the map
 * with the fewest connections. Writes the data files; the script parts go
 * into before, under, over and after (mo points at them).
 */
static void home_extras(struct pw *w, const struct geo_proj *pj, const struct view *v, double w_km, double h_km,
			double span_km, int have_land, int have_other, struct map_opts *mo, struct strbuf *before, struct strbuf *under,
			struct strbuf *over, struct strbuf *after)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	struct frame mf = { { v->x0 / 1000.0, v->y0 / 1000.0, v->x1 / 1000.0, v->y1 / 1000.0 }, w_km / HM_W_PX };
	double rings[2] = { r->radius_km > 0 ? r->radius_km : ST_DEFAULT_RADIUS_KM, ST_100_MILES_KM };
	size_t nrings = fabs(rings[0] - rings[1]) < 1.0 ? 1 : 2, n, nm, nz = 0, ntaken = 0;
	double rmin = span_km * 0.004, rmax = span_km * 0.035, hx, hy, zr, zhw, zhh;
	unsigned long max = 0;
	struct bubble *b = located_places(r, NULL, &n, &max);
	struct mbub *mb = xcalloc(n + 1, sizeof(*mb)), *zb = xcalloc(n + 1, sizeof(*zb));
	struct box *taken = xcalloc(2 * HM_LABELS + 8, sizeof(*taken)), zoom = { 0 }, inset = { 0 };
	struct geo_outlines lines;
	struct strbuf path = STRBUF_INIT;
	int borders = 0, inset_on = 0, zlabels = 0, mlabels, mrl;
	double in_x0 = 0, in_y0 = 0;

	if (geo_proj_fwd(pj, h->lon, h->lat, &hx, &hy)) {
		free(b), free(mb), free(zb), free(taken);
		return;
	}
	hx /= 1000.0, hy /= 1000.0;

	/* admin-1 borders of the home country */
	geo_outlines_init(&lines);
	if (w->data_dir && h->cc) {
		struct strbuf lerr = STRBUF_INIT;
		sb_addf(&path, "%s/world/admin1-lines.tsv", w->data_dir);
		if (!access(path.buf, R_OK) && !geo_lines_load(&lines, path.buf, &lerr))
			borders = write_rings(w, &lines, pj, v, h->cc, 1) > 0;
		sb_release(&lerr);
	}
	geo_outlines_release(&lines);
	if (borders)
		put_file(w, "home-map-borders.tsv", &w->data);
	else
		sb_reset(&w->data);

	/* rings */
	for (size_t i = 0; i < nrings; i++)
		write_ring(&w->data, pj, h, rings[i]);
	put_file(w, "home-map-rings.tsv", &w->data);

	/* the main map's bubbles (map_layers' scale) */
	{
		struct bubble *bp = b;
		bubble_scale(&bp, &n, 1, max ? max : 1, w_km * h_km, &rmin, &rmax);
	}
	nm = frame_bubbles(r, pj, b, n, &mf.view, max ? max : 1, rmin, rmax, mb);

	/* the inset: the home region, when crowded */
	zr = 1.3 * fmax(rings[0], ST_100_MILES_KM);
	zhh = zr;
	zhw = zr * (IN_W * PL_WIDTH) / (IN_H * PL_HEIGHT);
	zoom = (struct box){ hx - zhw, hy - zhh, hx + zhw, hy + zhh };
	{
		size_t crowd = 0;
		for (size_t i = 0; i < nm; i++)
			crowd += box_has(&zoom, mb[i].x, mb[i].y);
		inset_on = crowd >= 3 && w_km >= 3 * 2 * zhw && h_km >= 3 * 2 * zhh;
	}
	if (inset_on) {
		/* corners: bottom left, bottom right, top right, top left */
		static const double cx[4] = { 0.02, 0.98 - IN_W, 0.98 - IN_W, 0.02 };
		static const double cy[4] = { 0.075, 0.075, 0.875 - IN_H, 0.875 - IN_H };
		double best = INFINITY;
		for (int c = 0; c < 4; c++) {
			struct box ib = { mf.view.x0 + (cx[c] - 0.01) / 0.98 * w_km, mf.view.y0 + (cy[c] - 0.055) / 0.835 * h_km,
					  mf.view.x0 + (cx[c] + IN_W - 0.01) / 0.98 * w_km,
					  mf.view.y0 + (cy[c] + IN_H - 0.055) / 0.835 * h_km };
			double score = box_hit(&ib, &zoom) ? 1e15 : 0;
			for (size_t i = 0; i < nm; i++)
				if (box_hit(&ib, &(struct box){ mb[i].x - mb[i].r, mb[i].y - mb[i].r, mb[i].x + mb[i].r,
								 mb[i].y + mb[i].r }))
					score += 1.0 + (double)mb[i].count;
			if (score < best) {
				best = score;
				inset = ib;
				in_x0 = cx[c];
				in_y0 = cy[c];
			}
		}
		inset_on = best < 1e15;
	}

	/* main map labels: rings, then places (outside the inset and the zoomed area) */
	taken[ntaken++] = home_box(r, hx, hy, mf.kmpp);
	if (inset_on)
		taken[ntaken++] = inset;
	ring_labels(&w->data, pj, h, rings, nrings, &mf, 70, taken, &ntaken);
	mrl = w->data.len > 0;
	if (mrl)
		put_file(w, "home-map-ringlabels.tsv", &w->data);
	mlabels = place_labels(&w->data, r, mb, nm, &mf, taken, &ntaken, HM_LABELS, 13, inset_on ? &zoom : NULL, inset_on ? &zoom : NULL) > 0;
	if (mlabels)
		put_file(w, "home-map-labels.tsv", &w->data);

	if (borders)
		sb_adds(under, "'home-map-borders.tsv' using 1:2 with lines lw 1.3 lc rgb '#ffffff', \\\n     ");
	sb_adds(under, "'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \\\n     ");
	if (mrl)
		sb_adds(over, ", \\\n     'home-map-ringlabels.tsv' using 1:2:3 with labels boxed center font ',13' "
			      "textcolor rgb '#333333' noenhanced");
	if (mlabels)
		/* placed for the laptop's scale: none on the phone */
		sb_adds(over, ", \\\n     'home-map-labels.tsv' using (nr_phone ? nr_off : $1):2:3 with labels boxed center font ',13' "
			      "textcolor rgb '#000000' noenhanced");

	if (inset_on) {
		struct frame zf = { zoom, 2 * zhh / (IN_H * PL_HEIGHT) };
		double zrmin = 2 * zhw * 0.006, zrmax = 2 * zhw * 0.05;
		unsigned long zmax = 0;
		struct bubble *zsel = xcalloc(n + 1, sizeof(*zsel));
		size_t nsel = 0;
		int zrl;
		for (size_t i = 0; i < nm; i++)
			if (box_has(&(struct box){ zoom.x0 - zrmax, zoom.y0 - zrmax, zoom.x1 + zrmax, zoom.y1 + zrmax },
				    mb[i].x, mb[i].y)) {
				zsel[nsel++] = (struct bubble){ mb[i].count, mb[i].idx };
				zmax = mb[i].count > zmax ? mb[i].count : zmax;
			}
		bubble_scale(&zsel, &nsel, 1, zmax ? zmax : 1, 4 * zhw * zhh, &zrmin, &zrmax);
		nz = frame_bubbles(r, pj, zsel, nsel, &(struct box){ zoom.x0 - zrmax, zoom.y0 - zrmax, zoom.x1 + zrmax,
								     zoom.y1 + zrmax },
				   zmax ? zmax : 1, zrmin, zrmax, zb);
		free(zsel);
		for (size_t i = 0; i < nz; i++)
			sb_addf(&w->data, "%.1f\t%.1f\t%.1f\t%lu\n", zb[i].x, zb[i].y, zb[i].r, zb[i].count);
		if (!nz)
			sb_addch(&w->data, '\n');
		put_file(w, "home-map-zoom.tsv", &w->data);
		ntaken = 0;
		taken[ntaken++] = home_box(r, hx, hy, zf.kmpp);
		/* the inset's title, top left */
		taken[ntaken++] = (struct box){ zoom.x0, zoom.y1 - 34 * zf.kmpp, zoom.x1, zoom.y1 };
		ring_labels(&w->data, pj, h, rings, nrings, &zf, 30, taken, &ntaken);
		zrl = w->data.len > 0;
		if (zrl)
			put_file(w, "home-map-zoom-ringlabels.tsv", &w->data);
		zlabels = place_labels(&w->data, r, zb, nz, &zf, taken, &ntaken, HM_LABELS, 13, NULL, NULL) > 0;
		if (zlabels)
			put_file(w, "home-map-zoom-labels.tsv", &w->data);

		/* the inset is laid out for the laptop's canvas: none on the phone */
		sb_addf(before, "if (!nr_phone) {\n\tset multiplot\n\tset object 1 rectangle from %.1f,%.1f to %.1f,%.1f front fs empty "
				"border lc rgb '#333333' lw 1.5\n}\n", zoom.x0, zoom.y0, zoom.x1, zoom.y1);
		sb_adds(after, "if (!nr_phone) {\n");
		sb_adds(after, "unset label\nunset object\nunset key\nset size noratio\n");
		sb_addf(after, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n", in_x0, in_x0 + IN_W);
		sb_addf(after, "set bmargin at screen %.4f\nset tmargin at screen %.4f\n", in_y0, in_y0 + IN_H);
		sb_addf(after, "set xrange [%.1f:%.1f]\nset yrange [%.1f:%.1f]\n", zoom.x0, zoom.x1, zoom.y0, zoom.y1);
		sb_adds(after, "set border 15 lw 2 lc rgb '#333333'\n");
		sb_adds(after, "set object 2 rectangle from graph 0,0 to graph 1,1 behind fc rgb '#ffffff' fs solid 1.0 noborder\n");
		sb_adds(after, "set label 201 ");
		/* TRANSLATORS: the home map's inset, %s the home town */
		gp_expr(after, _("Around %s (the box on the map)"), "home");
		sb_adds(after, " at graph 0.02, graph 0.965 left front font ',14' textcolor rgb '#000000' noenhanced\n");
		sb_adds(after, "plot ");
		/* the main map's outline files, clipped to the inset */
		if (have_other)
			sb_adds(after, "'home-map-other.tsv' using 1:2 with filledcurves closed fc rgb '#ececec', \\\n"
				       "     '' using 1:2 with lines lw 0.8 lc rgb '#b5b5b5', \\\n     ");
		if (have_land)
			sb_adds(after, "'home-map-land.tsv' using 1:2 with filledcurves closed fc rgb '#d6d6d6', \\\n"
				       "     '' using 1:2 with lines lw 0.8 lc rgb '#9a9a9a', \\\n     ");
		if (borders)
			sb_adds(after, "'home-map-borders.tsv' using 1:2 with lines lw 1.6 lc rgb '#ffffff', \\\n     ");
		sb_adds(after, "'home-map-rings.tsv' using 1:2 with lines dt (8,6) lw 1.6 lc rgb '#333333', \\\n     ");
		if (nz)
			sb_adds(after, "'home-map-zoom.tsv' using 1:2:3 with circles " PLACES_STYLE ", \\\n     ");
		sb_adds(after, "'home-map-home.tsv' using 1:2 with points pt 5 ps 2.2 lc rgb '#000000', \\\n"
			       "     '' using 1:2:3 with labels boxed left offset 1.4,0.9 font ',16' textcolor rgb '#000000' "
			       "noenhanced");
		if (zrl)
			sb_adds(after, ", \\\n     'home-map-zoom-ringlabels.tsv' using 1:2:3 with labels boxed center "
				       "font ',13' textcolor rgb '#333333' noenhanced");
		if (zlabels)
			sb_adds(after, ", \\\n     'home-map-zoom-labels.tsv' using 1:2:3 with labels boxed center "
				       "font ',13' textcolor rgb '#000000' noenhanced");
		sb_adds(after, "\nunset multiplot\n}\n");
	}
	mo->before = before->len ? before->buf : NULL;
	mo->under = under->len ? under->buf : NULL;
	mo->over = over->len ? over->buf : NULL;
	mo->after = after->len ? after->buf : NULL;
	sb_release(&path);
	free(b), free(mb), free(zb), free(taken);
}

static void chart_home(struct pw *w, const struct geo_outlines *o)
{
	const struct an_result *r = w->r;
	const struct gc_place *h = &r->home.place;
	const struct layer places_layer = { r, NULL, "places", PLACES_STYLE, NULL };
	struct bbox e;
	struct view v = { INFINITY, -INFINITY, INFINITY, -INFINITY, 0, 0, -2 };
	struct strbuf def = STRBUF_INIT;
	struct geo_proj *pj;
	double clat, clon, span_km, pad, w_km, h_km, cx, cy;
	size_t land = 0, other = 0;
	struct map_opts mo = { NAN, NULL, NULL, NULL, NULL };
	struct strbuf before = STRBUF_INIT, under = STRBUF_INIT, over = STRBUF_INIT, after = STRBUF_INIT;

	if (!home_extent(o, h, &e)) {
		/* no outline for the home country: 600 km around home */
		e.lat0 = fmax(-89, h->lat - 5.5);
		e.lat1 = fmin(89, h->lat + 5.5);
		e.lon0 = h->lon - 5.5 / fmax(0.2, cos(h->lat * M_PI / 180));
		e.lon1 = h->lon + 5.5 / fmax(0.2, cos(h->lat * M_PI / 180));
	}
	clat = (e.lat0 + e.lat1) / 2;
	clon = (e.lon0 + e.lon1) / 2;
	sb_addf(&def, "+proj=laea +lat_0=%.4f +lon_0=%.4f +datum=WGS84", clat, clon);
	pj = geo_proj_new(def.buf, w->err);
	sb_release(&def);
	if (!pj) {
		w->st = NR_EX_SOFTWARE;
		return;
	}
	/* projected extent: the bbox's edges sampled */
	for (int i = 0; i <= 40; i++) {
		double t = i / 40.0, x, y;
		double pts[4][2] = {
			{ e.lon0 + t * (e.lon1 - e.lon0), e.lat0 }, { e.lon0 + t * (e.lon1 - e.lon0), e.lat1 },
			{ e.lon0, e.lat0 + t * (e.lat1 - e.lat0) }, { e.lon1, e.lat0 + t * (e.lat1 - e.lat0) },
		};
		for (int k = 0; k < 4; k++) {
			if (geo_proj_fwd(pj, pts[k][0], pts[k][1], &x, &y))
				continue;
			v.x0 = fmin(v.x0, x);
			v.x1 = fmax(v.x1, x);
			v.y0 = fmin(v.y0, y);
			v.y1 = fmax(v.y1, y);
		}
	}
	if (!(v.x1 > v.x0) || !(v.y1 > v.y0))
		v = (struct view){ -600e3, 600e3, -600e3, 600e3, 0, 0, -2 };
	/* pad 4%, then widen to the chart's aspect so the view is centred */
	pad = 0.04 * fmax(v.x1 - v.x0, v.y1 - v.y0);
	v.x0 -= pad;
	v.x1 += pad;
	v.y0 -= pad;
	v.y1 += pad;
	w_km = (v.x1 - v.x0) / 1000.0;
	h_km = (v.y1 - v.y0) / 1000.0;
	cx = (v.x0 + v.x1) / 2000.0;
	cy = (v.y0 + v.y1) / 2000.0;
	{
		double aspect = (0.98 * PL_WIDTH) / (0.835 * PL_HEIGHT);
		if (w_km / h_km < aspect)
			w_km = h_km * aspect;
		else
			h_km = w_km / aspect;
	}
	v.x0 = (cx - w_km / 2) * 1000.0;
	v.x1 = (cx + w_km / 2) * 1000.0;
	v.y0 = (cy - h_km / 2) * 1000.0;
	v.y1 = (cy + h_km / 2) * 1000.0;
	span_km = fmax(w_km, h_km);
	view_reach(&v, clat, clon);

	gp_head_size(&w->gp, "home-map", "map of the home country", PL_PHONE_MAP_HEIGHT);
	gp_title(&w->gp, _("Your connections in %s"), "home_country",
		 _("Each bubble is a town or city; lines are great circles from %s"), "home");
	if (o) {
		other = write_rings(w, o, pj, &v, h->cc, 0);
		sb_addch(&w->data, '\n');
		put_file(w, "home-map-other.tsv", &w->data);
		land = write_rings(w, o, pj, &v, h->cc, 1);
	}
	sb_addch(&w->data, '\n');
	put_file(w, "home-map-land.tsv", &w->data);
	sb_addf(&w->gp, "set xrange [%.1f:%.1f]\nset yrange [%.1f:%.1f]\n", v.x0 / 1000.0, v.x1 / 1000.0,
		v.y0 / 1000.0, v.y1 / 1000.0);
	home_extras(w, pj, &v, w_km, h_km, span_km, land > 0, other > 0, &mo, &before, &under, &over, &after);
	map_layers(w, "home-map", pj, &v, w_km * h_km, span_km * 0.004, span_km * 0.035, land > 0, other > 0, 0,
		   &places_layer, 1, 1, &mo);
	sb_release(&before);
	sb_release(&under);
	sb_release(&over);
	sb_release(&after);
	put_file(w, "home-map.gp", &w->gp);
	geo_proj_free(pj);
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
	gp_margins(gp, 0.08, 0.92, 0.13, 0.87, 0.13, 0.87, 0.14);
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
		else
		{
			sb_addf(gp, "%s\"", k++ ? ", " : "");
			gp_dq_text(gp, i18n_month_abbr(m % 12));
			sb_addf(gp, "\\n%04d\" '%04d-%02d-01'", m / 12, m / 12, m % 12 + 1);
		}
	}
	sb_adds(gp, ")\n");
	/* a dozen labels side by side do not fit on the phone */
	sb_adds(gp, "if (nr_phone) set xtics rotate by 60 right\n");
}

static void chart_timeline(struct pw *w)
{
	const struct st_summary *s = &w->r->summary;
	unsigned long max = 0;
	gp_head(&w->gp, "timeline", "connections over time");
	gp_title(&w->gp, _("When you connected"), NULL,
		 _("Bars: connections added per month · Line: share of all your connections so far living beyond %s"), "home");
	if (!s->nr_timeline) {
		gp_no_data(&w->gp, _("No connection dates in the export, so there is no timeline to show."));
		put_file(w, "timeline.gp", &w->gp);
		return;
	}
	for (size_t i = 0; i < s->nr_timeline; i++) {
		const struct st_month *m = &s->timeline[i];
		sb_addf(&w->data, "%04d-%02d-01\t%lu\t%.4f\n", m->month / 12, m->month % 12 + 1, m->added,
			isfinite(m->cumulative_beyond_home_share) ? m->cumulative_beyond_home_share * 100.0 : 0.0);
		if (m->added > max)
			max = m->added;
	}
	put_file(w, "timeline.tsv", &w->data);
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
	gp_strz(&w->gp, _("Added this month"));
	sb_addf(&w->gp, ", \\\n     '' using 1:3 axes x1y2 with %s lw 3.5 lc rgb '" C_ACCENT "' title ",
		s->nr_timeline <= 36 ? "linespoints pt 7 ps 1.2" : "lines");
	/* xgettext:no-c-format */
	gp_strz(&w->gp, _("Beyond home so far (%)"));
	sb_addch(&w->gp, '\n');
	put_file(w, "timeline.gp", &w->gp);
}

/*
 * Create DIR/charts (its path into charts, which w->dir then points to)
 * and get the outlines from data (nd_*, each file read once per command):
 * *world always (when data), *home when home is not NULL; NULL when
 * there is no data. Returns w->st.
 */
static int pw_begin(struct pw *w, struct strbuf *charts, const char *dir, struct nr_data *data,
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
	}
	if (!w->st)
		write_meta(w);
	return w->st;
}

static void pw_end(struct pw *w, struct strbuf *charts)
{
	sb_release(&w->gp);
	sb_release(&w->data);
	sb_release(charts);
}

int pl_write(const struct an_result *r, const char *dir, struct nr_data *data, struct strbuf *err)
{
	struct pw w = { r, NULL, err, NR_EX_OK, STRBUF_INIT, STRBUF_INIT, NULL };
	struct strbuf charts = STRBUF_INIT;
	const struct geo_outlines *world, *home;

	pw_begin(&w, &charts, dir, data, &world, &home);
	if (!w.st)
		chart_reach(&w);
	if (!w.st)
		chart_bands(&w);
	if (!w.st)
		chart_cdf(&w);
	if (!w.st)
		chart_items(&w, "countries", _("Top countries"), _("Countries with the most connections (top 15)"),
			    r->summary.countries, r->summary.nr_countries, 0, _("No connection could be placed in a country."));
	if (!w.st)
		chart_items(&w, "admin1", _("Top states and regions"),
			    _("States, provinces and regions with the most connections (top 15)"), r->summary.admin1,
			    r->summary.nr_admin1, 1, _("No connection could be placed in a state or region."));
	if (!w.st)
		chart_world(&w, world);
	if (!w.st)
		chart_home(&w, home);
	if (!w.st)
		chart_timeline(&w);
	pw_end(&w, &charts);
	return w.st;
}

/* ---- compare charts ------------------------------------------------------------ */

#define C_BEFORE "#e08a2c"
#define C_AFTER C_DARK
#define C_GAIN C_ACCENT
#define C_LOSS "#7f7f7f"

/* Reach bands of both exports as paired bars (before above after). */
static void chart_compare_reach(struct pw *w, const struct an_result *b, const struct an_result *a)
{
	struct strbuf t = STRBUF_INIT;
	gp_head(&w->gp, "compare-reach", "reach before and after");
	gp_title(&w->gp, _("How far your network reaches from %s, before and after"), "home",
		 _("Share of connections in each ring, in the earlier and the later export"), NULL);
	if (!a->resolved && !b->resolved) {
		gp_no_data(&w->gp, _("No connection could be placed in either export, so there is no reach to show."));
		put_file(w, "compare-reach.gp", &w->gp);
		return;
	}
	for (int i = 0; i < ST_REACH_COUNT; i++) {
		const struct st_band *x = &b->summary.reach[i], *y = &a->summary.reach[i];
		sb_reset(&t);
		reach_band_label(&t, a, i);
		label(&w->data, t.buf);
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
	put_file(w, "compare-reach.tsv", &w->data);
	/* xgettext:no-c-format */
	gp_hbar_frame(&w->gp, ST_REACH_COUNT, 0, 125, _("Share of connections (%)"));
	gp_share_axis(&w->gp);
	sb_adds(&w->gp, "set key bottom right font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_adds(&w->gp, "plot 'compare-reach.tsv' using (0):0:(0):(0):yticlabels(nr_name(strcol(1))) with boxxyerror notitle, \\\n"
			"     '' using (nr_phone ? nr_x0 : nr_off):($0 - 0.47):1 with labels left font ',14' textcolor rgb '" C_TEXT "' noenhanced notitle, \\\n"
			"     '' using ($2/2):($0-0.19):($2/2):(0.17) with boxxyerror fc rgb '" C_BEFORE "' fs pattern 4 border lc rgb '" C_BEFORE "' title ");
	gp_strz(&w->gp, _("Before"));
	sb_adds(&w->gp, ", \\\n     '' using ($3/2):($0+0.19):($3/2):(0.17) with boxxyerror fc rgb '" C_AFTER "' title ");
	gp_strz(&w->gp, _("After"));
	sb_adds(&w->gp, ", \\\n"
			"     '' using 2:($0-0.19):4 with labels left offset 0.6,0 font ',13' textcolor rgb '#555555' noenhanced, \\\n"
			"     '' using 3:($0+0.19):5 with labels left offset 0.6,0 font ',13' textcolor rgb '#000000' noenhanced\n");
	put_file(w, "compare-reach.gp", &w->gp);
	sb_release(&t);
}

/* Countries by the size of their change in connections (count after - count before). */
static void chart_compare_countries(struct pw *w, const struct an_result *a, const struct pl_compare *pc)
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
	gp_title(&w->gp, _("Countries with the largest change, outside %s"), "home_country",
		 _("Connections gained or lost per country between the two exports (top 15 by size of change)"), NULL);
	if (t.len) {
		pl_label(&w->data, t.buf, t.len, 4 * LABEL_MAX);
		sb_addch(&w->data, '\n');
		put_file(w, "compare-countries-note.tsv", &w->data);
		sb_adds(&w->gp, "stats 'compare-countries-note.tsv' using (note = strcol(1), 0) nooutput\n");
		sb_adds(&w->gp, "set label 104 nr_wrap(note, 46) at screen 0.02, screen ");
		gp_ph(&w->gp, 0.03, 0.025);
		sb_adds(&w->gp, " left font ',14' textcolor rgb '" C_TEXT "' noenhanced\n");
	}
	if (!shown) {
		gp_no_data(&w->gp, _("No country outside the home country gained or lost connections."));
		put_file(w, "compare-countries.gp", &w->gp);
		goto out;
	}
	for (size_t i = 0; i < shown; i++) {
		label(&w->data, c[i]->it->name ? i18n_area(c[i]->it->code, c[i]->it->name) : c[i]->it->code);
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
	put_file(w, "compare-countries.tsv", &w->data);
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
	put_file(w, "compare-countries.gp", &w->gp);
out:
	free(c);
	sb_release(&t);
}

/* Both exports' distance distributions on one log axis. */
static void chart_compare_cdf(struct pw *w, const struct an_result *b, const struct an_result *a)
{
	unsigned long nb, na;
	struct st_cdf cdf;
	gp_head(&w->gp, "compare-distance", "distance from home, before and after");
	gp_title(&w->gp, _("How close your connections live to %s, before and after"), "home",
		 _("Share of connections living within a given distance (log scale); a line further right reaches farther"),
		 NULL);
	st_cdf(b->places, b->nr_places, &cdf);
	cdf_data(&w->data, &cdf);
	nb = cdf.total;
	st_cdf_release(&cdf);
	if (nb)
		put_file(w, "compare-distance-before.tsv", &w->data);
	st_cdf(a->places, a->nr_places, &cdf);
	cdf_data(&w->data, &cdf);
	na = cdf.total;
	st_cdf_release(&cdf);
	if (na)
		put_file(w, "compare-distance-after.tsv", &w->data);
	if (!nb && !na) {
		gp_no_data(&w->gp, _("No connection is placed in a town or city, so there are no distances to show."));
		put_file(w, "compare-distance.gp", &w->gp);
		return;
	}
	gp_cdf_axes(&w->gp, 0.12);
	sb_adds(&w->gp, "set key top left font ',15' box lc rgb '#bbbbbb' opaque\n");
	sb_addf(&w->gp, "plot %s with steps lw 3.5 dt 2 lc rgb '" C_BEFORE "' title ",
		nb ? "'compare-distance-before.tsv' using 1:2" : "NaN");
	gp_strz(&w->gp, _("Before"));
	sb_addf(&w->gp, ", \\\n     %s with steps lw 3.5 lc rgb '" C_AFTER "' title ",
		na ? "'compare-distance-after.tsv' using 1:2" : "NaN");
	gp_strz(&w->gp, _("After"));
	sb_addch(&w->gp, '\n');
	put_file(w, "compare-distance.gp", &w->gp);
}

/* Cumulative connections by month of both exports. */
static void chart_compare_timeline(struct pw *w, const struct an_result *b, const struct an_result *a)
{
	const struct st_summary *s[2] = { &b->summary, &a->summary };
	static const char *const files[2] = { "compare-timeline-before.tsv", "compare-timeline-after.tsv" };
	unsigned long max = 0;
	int first = INT32_MAX, last = INT32_MIN;
	gp_head(&w->gp, "compare-timeline", "connections over time in both exports");
	gp_title(&w->gp, _("When you connected, in both exports"), NULL,
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
			put_file(w, files[k], &w->data);
			if (s[k]->timeline[0].month < first)
				first = s[k]->timeline[0].month;
			if (s[k]->timeline[s[k]->nr_timeline - 1].month > last)
				last = s[k]->timeline[s[k]->nr_timeline - 1].month;
		}
	}
	if (first > last) {
		gp_no_data(&w->gp, _("No connection dates in either export, so there is no timeline to show."));
		put_file(w, "compare-timeline.gp", &w->gp);
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
		gp_strz(&w->gp, _("After"));
	} else {
		sb_adds(&w->gp, "plot NaN with steps lw 3 lc rgb '" C_AFTER "' title ");
		gp_strz(&w->gp, _("After (no dates)"));
	}
	sb_adds(&w->gp, ", \\\n     ");
	if (s[0]->nr_timeline) {
		sb_adds(&w->gp, "'compare-timeline-before.tsv' using 1:2 with steps lw 3 dt 2 lc rgb '" C_BEFORE "' title ");
		gp_strz(&w->gp, _("Before"));
	} else {
		sb_adds(&w->gp, "NaN with steps lw 3 dt 2 lc rgb '" C_BEFORE "' title ");
		gp_strz(&w->gp, _("Before (no dates)"));
	}
	sb_addch(&w->gp, '\n');
	put_file(w, "compare-timeline.gp", &w->gp);
}

int pl_compare_write(const struct an_result *b, const struct an_result *a, const struct pl_compare *c,
		     const char *dir, struct nr_data *data, struct strbuf *err)
{
	struct pw w = { a, NULL, err, NR_EX_OK, STRBUF_INIT, STRBUF_INIT, NULL };
	struct strbuf charts = STRBUF_INIT;
	const struct geo_outlines *world;
	const struct layer layers[2] = {
		{ a, c->added_at, "added", "fc rgb '" C_GAIN "' fs transparent solid 0.6 border lc rgb '#8a3d0b'", N_("Added") },
		{ b, c->removed_at, "removed", "fc rgb '" C_LOSS "' fs transparent solid 0.25 border lc rgb '#404040'",
		  N_("Removed") },
	};

	pw_begin(&w, &charts, dir, data, &world, NULL);
	if (!w.st)
		chart_compare_reach(&w, b, a);
	if (!w.st)
		chart_compare_countries(&w, a, c);
	if (!w.st)
		world_map(&w, world, "compare-map", "world map of added and removed connections",
			  _("Where your added and removed connections live"),
			  _("Each bubble is a town or city, sized by connections added (or removed) there (Equal Earth projection)"),
			  layers, ARRAY_SIZE(layers), 0, b, c);
	if (!w.st)
		chart_compare_cdf(&w, b, a);
	if (!w.st)
		chart_compare_timeline(&w, b, a);
	pw_end(&w, &charts);
	return w.st;
}
