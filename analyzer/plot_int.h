#ifndef PLOT_INT_H
#define PLOT_INT_H

/*
 * plot's internal header, included by plot's files only: plot.c (pl_write,
 * pl_compare_write: which charts are written, DIR/charts, meta.tsv),
 * plot_prim.c (primitives every chart and map uses), plot_chart.c (bars,
 * the distance CDF, the timeline), plot_map.c (the world, compare and home
 * maps). plot_render.c needs none of it.
 *
 * The security rule of plot.h holds for everything here: a script (gp)
 * gets our own text and numbers only; a name goes into a data file through
 * pl_label / pl_labelz.
 */

#include "geo.h"
#include "plot.h"
#include "stats.h"

/*
 * Palette: distinct in lightness so that it prints in grey.
 */
#define C_DARK "#1f4e79"
#define C_MID "#2e75b6"
#define C_LIGHT "#9dc3e6"
#define C_ACCENT "#c55a11"
#define C_TEXT "#333333"
#define C_GRID "#d9d9d9"

/* The compare charts and map: the earlier export, the later one, gains and losses. */
#define C_BEFORE "#e08a2c"
#define C_AFTER C_DARK
#define C_GAIN C_ACCENT
#define C_LOSS "#7f7f7f"

#define LABEL_MAX 40          /* bytes of a name in a chart */

/*
 * One run of pl_write or pl_compare_write: the analysis r (lent), the
 * directory DIR/charts, the first error (st, with its line in err), and
 * the two buffers each chart fills in turn. Every writer below stops
 * doing anything visible once st is set; the caller checks st after each
 * chart.
 */
struct pl_writer {
	const struct an_result *r;
	const char *dir;            /* DIR/charts */
	struct strbuf *err;
	int st;
	struct strbuf gp;           /* the script being written */
	struct strbuf data;         /* a data file being written */
	const char *data_dir;       /* where world/ lives; NULL: no outlines */
	const struct geo_outlines *lakes; /* the big lakes (nd_lakes), drawn as water on the maps; NULL: none */
};

/* ---- primitives (plot_prim.c) ---- */

/* pl_label of the NUL-terminated s (NULL: ""), at most LABEL_MAX bytes. */
void pl_labelz(struct strbuf *out, const char *s);

/*
 * Write content to w->dir/name and empty content (also when nothing is
 * written). Does nothing but empty content once w->st is set; on failure
 * sets w->st (NR_EX_CANTCREAT: cannot create, NR_EX_IOERR: write or close
 * failed) and puts one line naming the file in w->err.
 */
void pl_put_file(struct pl_writer *w, const char *name, struct strbuf *content);

/* pl_put_file to the file named by the printf format fmt (a fixed name with a stem). */
void pl_put_filef(struct pl_writer *w, struct strbuf *content, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Append the common head of every script to gp: terminal, output, data
 * format, style, and the names of meta.tsv (home, home_region,
 * home_country, home_continent). stem is the chart's file stem, what a
 * fixed English description for the comment line. nr_phone = 1
 * (pl_render: gnuplot -d -e 'nr_phone = 1' X.gp) selects the small-screen
 * rendering X-phone.png, PL_PHONE_WIDTH x phone_h pixels with every text
 * PL_PHONE_FONTSCALE times as large; nr_wrap(s, n) breaks a text into
 * lines of at most n characters there (and leaves it whole otherwise),
 * nr_lines(s) counts its lines, nr_ph is the canvas height in pixels.
 */
void pl_gp_head(struct strbuf *gp, const char *stem, const char *what, int phone_h);

/*
 * Append s[0..len) to gp as the inside of a gnuplot string that quote ('\''
 * or '"') delimits; pl_gp_string's substitutions (a control character ->
 * space, '`' -> U+2018, '@' -> U+FF20), and the quote's own escapes: in
 * '...' a quote is doubled, in "..." (where a backslash escapes) '"' and
 * a backslash get one. For our own and translated texts only, like
 * pl_gp_string.
 */
void pl_gp_text(struct strbuf *gp, const char *s, size_t len, char quote);

/* pl_gp_string of the NUL-terminated s. */
void pl_gp_strz(struct strbuf *gp, const char *s);

/* Append a screen fraction for the laptop rendering, another on the phone: "(nr_phone ? phone : laptop)". */
void pl_gp_ph(struct strbuf *gp, double laptop, double phone);

/*
 * Append the plot area's margins (screen fractions l, r, b, t) for the
 * laptop and (pl, pr, pb) the phone; the phone's top is nr_top (pl_gp_title).
 */
void pl_gp_margins(struct strbuf *gp, double l, double r, double b, double t, double pl, double pr, double pb);

/*
 * Append a gnuplot string expression for a (translated) text whose %s (or
 * %1$s) stands for the gnuplot variable var, which holds a name read from
 * meta.tsv: "Distance from %s" -> 'Distance from '.home. "%%" is "%";
 * without var, or without %s, the text alone.
 */
void pl_gp_expr(struct strbuf *gp, const char *tmpl, const char *var);

/*
 * Append a title and (when subtitle is not NULL) a subtitle line:
 * translated texts, each with %s for the gnuplot variable title_var /
 * subtitle_var (a name from meta.tsv; NULL: none). Sets nr_top, the top
 * of the plot area on the phone, below both.
 */
void pl_gp_title(struct strbuf *gp, const char *title, const char *title_var, const char *subtitle,
		 const char *subtitle_var);

/* an_home_name / an_home_in of r for a chart: "home" translated when nothing names it. */
const char *pl_home_name(const struct an_result *r);
const char *pl_home_in(const struct an_result *r);

/* ---- charts (plot_chart.c): each writes its STEM.gp and data files through w ---- */

void pl_chart_reach(struct pl_writer *w);
void pl_chart_bands(struct pl_writer *w);

/*
 * A top-15 bar chart STEM.gp of the items it[0..n) (countries or admin-1
 * areas, biggest first), names in the report's language, " (CC)" after
 * each when with_cc; none is the chart's text when there is no item.
 */
void pl_chart_items(struct pl_writer *w, const char *stem, const char *title, const char *subtitle,
		    const struct st_item *it, size_t n, int with_cc, const char *none);

void pl_chart_cdf(struct pl_writer *w);
void pl_chart_timeline(struct pl_writer *w);

/* The compare charts: BEFORE b and AFTER a (w->r is a). */
void pl_chart_compare_reach(struct pl_writer *w, const struct an_result *b, const struct an_result *a);
void pl_chart_compare_countries(struct pl_writer *w, const struct an_result *a, const struct pl_compare *pc);
void pl_chart_compare_cdf(struct pl_writer *w, const struct an_result *b, const struct an_result *a);
void pl_chart_compare_timeline(struct pl_writer *w, const struct an_result *b, const struct an_result *a);

/* ---- maps (plot_map.c) ---- */

/*
 * The world map of w->r's places, and the home country's map, with the
 * outlines o (borrowed while it runs; NULL: no outlines). Set w->st to
 * NR_EX_SOFTWARE (err: PROJ's line) when a projection cannot be made, to
 * pl_put_file's status when a file cannot be written.
 */
void pl_chart_world(struct pl_writer *w, const struct geo_outlines *o);
void pl_chart_home(struct pl_writer *w, const struct geo_outlines *o);

/*
 * The compare map: the contacts added to AFTER (w->r) and removed from
 * BEFORE b at each place, and the moves of c, on the world map with the
 * outlines o (NULL: none). Statuses as pl_chart_world.
 */
void pl_chart_compare_map(struct pl_writer *w, const struct geo_outlines *o, const struct an_result *b,
			  const struct pl_compare *c);

#endif
