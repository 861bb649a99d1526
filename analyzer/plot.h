#ifndef PLOT_H
#define PLOT_H

/*
 * plot: gnuplot charts of an analysis.
 *
 * pl_write writes, into DIR/charts/, one gnuplot script per chart (X.gp)
 * and the data files it reads (X.tsv, X-*.tsv). pl_render runs
 * `gnuplot -d X.gp` for each script with DIR/charts as the working
 * directory, which writes X.png (pngcairo, PL_WIDTH x PL_HEIGHT pixels).
 *
 * Security: gnuplot has no safe mode (backquotes run shell commands even
 * inside double-quoted strings, and system(), load, `set print "|..."`
 * and `plot "< cmd"` exist). So a script holds only text written by this
 * module and numbers formatted by it; every string that comes from the
 * analysis (place, region and country names, the home query, even
 * gazetteer names) goes into a tab-separated data file through
 * pl_label (txt_label, plus '"' -> U+201D because gnuplot's data reader
 * treats double quotes as string delimiters), and scripts read it with
 * xticlabels()/yticlabels()/`with labels`/strcol(). Every text is
 * noenhanced. Data file names are fixed names in single quotes.
 *
 * Ownership: nothing is kept between calls; the caller owns everything
 * it passes in.
 */

#include "analyze.h"
#include "compare.h"
#include "data.h"
#include "i18n.h"
#include "util.h"

#define PL_WIDTH 1600
#define PL_HEIGHT 1000

/*
 * The small-screen rendering of every chart, X-phone.png (gnuplot -d -e
 * 'nr_phone = 1' X.gp): PL_PHONE_WIDTH pixels wide, PL_PHONE_HEIGHT high
 * (the maps: as high as their titles, the map and its legend need; PL_PHONE_MAP_HEIGHT
 * until the script knows), every text PL_PHONE_FONTSCALE times as
 * large, so that shown 378 CSS pixels wide (a 400 px screen less the
 * page's padding) its smallest text (13 pt: 26 px here) is 12 px; long texts are broken into lines, the maps have no place labels
 * and no inset.
 */
#define PL_PHONE_WIDTH 800
#define PL_PHONE_HEIGHT 1100
#define PL_PHONE_MAP_HEIGHT 900
#define PL_PHONE_FONTSCALE "1.5"

/*
 * The charts, in report order: X(file stem, title, description for alt text).
 * Every chart is always written (a chart without data says "no data").
 */
#define PL_CHARTS(X)                                                                              \
	X("reach", N_("How far your network reaches"),                                                 \
	  N_("Bars: connections at home, beyond home, beyond 161 km, outside the home region, country and continent")) \
	X("distance-bands", N_("Distance from home"),                                                   \
	  N_("Bars: connections by distance from home, 0-50, 50-161, 161-800, 800-3000 and over 3000 km")) \
	X("distance-cdf", N_("Distance from home, cumulative"),                                          \
	  N_("Line: share of connections within a given distance of home, log scale, marked at 50, 161, 800 and 3,000 km, with the Facebook friends reference for an average US county")) \
	X("countries", N_("Top countries"),                                                             \
	  N_("Horizontal bars: the 15 countries with the most connections"))                             \
	X("admin1", N_("Top states and regions"),                                                        \
	  N_("Horizontal bars: the 15 states, provinces or regions with the most connections"))         \
	X("world-map", N_("World map"),                                                                   \
	  N_("World map (Equal Earth) with a bubble per place sized by connections and arcs from home")) \
	X("home-map", N_("Home country map"),                                                            \
	  N_("Map of the home country with a bubble per place sized by connections and arcs from home")) \
	X("timeline", N_("Connections over time"),                                                       \
	  N_("Bars: connections added per month; line: cumulative share beyond the home town"))

/*
 * The charts of `netreach compare`, in report order, like PL_CHARTS.
 */
#define PL_COMPARE_CHARTS(X)                                                                      \
	X("compare-reach", N_("Reach before and after"),                                              \
	  N_("Paired bars: share of connections in each reach band in the earlier and the later export")) \
	X("compare-countries", N_("Countries with the largest change"),                                \
	  N_("Horizontal bars: the 15 countries whose number of connections changed the most, gains and losses")) \
	X("compare-map", N_("Where added and removed connections live"),                               \
	  N_("World map (Equal Earth): a bubble per town or city sized by connections added there, one by connections removed, and arrows from the old town to the new one for connections who moved")) \
	X("compare-distance", N_("Distance from home, before and after"),                              \
	  N_("Two lines: share of connections within a given distance of home in each export, log scale")) \
	X("compare-timeline", N_("Connections over time, both exports"),                               \
	  N_("Two lines: connections so far by the month they were made, in each export"))

/* Added, removed and moved contacts per place, for the compare map, and the change per country (see compare.h). */
struct pl_compare {
	const unsigned long *added_at;   /* per place index of AFTER */
	const unsigned long *removed_at; /* per place index of BEFORE */
	const struct cmp_move *moves;    /* moved contacts per (BEFORE place, AFTER place), biggest first */
	size_t nr_moves;
	const struct cmp_country *countries; /* the change per country (cmp_countries) */
	size_t nr_countries;
};

/*
 * Write DIR/charts/ with the PL_COMPARE_CHARTS scripts and data for
 * BEFORE b and AFTER a (same home). Names and the home come from a.
 * Same rules, data and return values as pl_write.
 */
int pl_compare_write(const struct an_result *b, const struct an_result *a, const struct pl_compare *c,
		     const char *dir, struct nr_data *data, struct strbuf *err);

/* pl_render's status when no gnuplot executable is found on PATH (not an exit status). */
#define PL_NO_GNUPLOT 1

/*
 * Write DIR/charts/ (created if missing) with every chart's script and
 * data. The map outlines come from data (nd_world_outlines,
 * nd_home_outlines: read there once per command); NULL draws the maps
 * without outlines (tests). Returns NR_EX_OK; NR_EX_CANTCREAT or
 * NR_EX_IOERR when a file cannot be written; NR_EX_NOINPUT when the data
 * directory has no outline file; NR_EX_SOFTWARE when PROJ fails. err gets
 * one line naming the file.
 */
int pl_write(const struct an_result *r, const char *dir, struct nr_data *data, struct strbuf *err);

/*
 * pl_write in PL_PARTS pieces that may be written at the same time on
 * threads of their own: pl_prepare once (creates DIR/charts, reads the
 * outlines into data, as nd_* may not run on two threads at once), then
 * pl_write_part for each part < PL_PARTS in any order or at once. The
 * parts write disjoint files and only read r and data's outlines; each
 * needs its own err. Together they write what pl_write writes. Same
 * return values as pl_write.
 */
#define PL_PARTS 3
int pl_prepare(const char *dir, struct nr_data *data, struct strbuf *err);
int pl_write_part(const struct an_result *r, const char *dir, struct nr_data *data, int part, struct strbuf *err);

/* Seconds that rendering all the charts of a report may take (pl_render's timeout_s 0). */
#define PL_RENDER_TIMEOUT_S 120

/*
 * Render every DIR/charts/X.gp with `gnuplot -d X.gp`, running up to jobs
 * processes at once (fork/execvp, no shell; the charts with the most data
 * first), each in a process group of its own, and check that each X.png
 * was written and is a PNG. All of it within timeout_s seconds (<= 0:
 * PL_RENDER_TIMEOUT_S): at the deadline every gnuplot still running is
 * killed with its whole process group and none is started. Returns
 *   NR_EX_OK        all charts rendered;
 *   PL_NO_GNUPLOT   gnuplot is not installed (err says so; nothing was
 *                   rendered; the caller continues and the report tells
 *                   how to render by hand);
 *   NR_EX_SOFTWARE  gnuplot failed: err names the chart (the first in name
 *                   order) and quotes gnuplot's first line on stderr; or
 *                   the deadline passed: err says so and names a chart
 *                   that was still running;
 *   NR_EX_IOERR     a PNG could not be written (disk full, file size limit);
 *   NR_EX_OSERR     fork or pipe failed; NR_EX_NOINPUT no charts/ dir.
 */
int pl_render(const char *dir, int jobs, int timeout_s, struct strbuf *err);

/*
 * Append s[0..len) to out as one field of a gnuplot data file: txt_label
 * (no tabs, CR, LF, controls; valid UTF-8; "-" when empty; at most
 * max_bytes before the quote mapping), then '"' -> U+201D, and the bidi
 * embedding, override and isolate controls (U+202A..E, U+2066..9) dropped
 * so that a name cannot reverse the text around it.
 */
void pl_label(struct strbuf *out, const char *s, size_t len, size_t max_bytes);

/*
 * Append s[0..len) to gp as a gnuplot single-quoted string, for the
 * translated fixed texts (titles, axes, keys) that scripts hold: our own
 * text, but a translator's, and still not code. Control characters become
 * spaces, a backquote (gnuplot runs `...` as a shell command) U+2018, '@'
 * (macros) U+FF20, and a quote is doubled (how a single-quoted gnuplot
 * string holds one). Names from the input never come here (see above).
 */
void pl_gp_string(struct strbuf *gp, const char *s, size_t len);

/*
 * Check that the file at path is a whole PNG: the signature, then chunks
 * that each match their CRC, IHDR first, image data, up to IEND; stores its
 * size in *w, *h. Returns 0 when it is, PL_PNG_SHORT when the file ends
 * before IEND (a write that failed), PL_PNG_BAD otherwise (also for a file
 * that cannot be read or is larger than PL_PNG_MAX).
 */
#define PL_PNG_SHORT (-2)
#define PL_PNG_BAD (-1)
#define PL_PNG_MAX (64u << 20)
int pl_png_size(const char *path, unsigned *w, unsigned *h);

#endif
