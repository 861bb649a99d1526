#ifndef REPORT_INT_H
#define REPORT_INT_H

/*
 * Internal to the report module (report*.c; nothing else includes it):
 * what its parts share.
 *
 *   report.c          rp_write, rp_compare_write: which files, in which
 *                     order; writing one file; the JSON dump; the run time
 *   report_json.c     summary.json and compare.json (jansson)
 *   report_csv.c      places.csv, unresolved.csv, skipped.csv; the order
 *                     of the unresolved list and the hiding of e-mails
 *   report_words.c    numbers and names for people in the report's
 *                     language: shares, km, counts, the home, places
 *   report_doc.c      one document in two syntaxes (Markdown, HTML):
 *                     headings, paragraphs, tables, lists, the page head
 *                     with its CSS, the footer, the charts (embedded as
 *                     data: URIs), escaping
 *   report_analyze.c  the analyze report: headline, sections, document
 *   report_compare.c  the compare report: headline, sections, document
 *
 * Ownership: as everywhere (doc/HACKING.md): arguments are borrowed, what
 * a function fills or returns is the caller's. A struct doc borrows its
 * out buffer and dir.
 */

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "stats.h"

/*
 * Numbers for people go through i18n (the separators of the report's
 * language: "1,234" and "58.3%" in English, "1.234" and "58,3 %" in
 * German); numbers in JSON and CSV never do.
 */
#define add_count i18n_count

/* Rows shown of a ranked table in report.md and index.html (the rest are in summary.json or compare.json). */
#define TOP_N 15

static inline const char *nz(const char *s)
{
	return s ? s : "";
}

/* The last component of path ("" for NULL): input files are named without their directory. */
static inline const char *basename_of(const char *path)
{
	const char *s;
	if (!path)
		return "";
	s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* x rounded to decimals places, never -0. */
static inline double round_to(double x, int decimals)
{
	double f = pow(10.0, decimals);
	double v = round(x * f) / f;
	return v == 0.0 ? 0.0 : v; /* no -0 */
}

/* n / total, 0 when total is 0. */
static inline double share_of(unsigned long n, unsigned long total)
{
	return total ? (double)n / (double)total : 0.0;
}

/* ---- report.c ----------------------------------------------------------- */

/* Append the current time (UTC) as "2026-01-31T12:00:00Z" (nothing if the clock fails). */
void rp_add_timestamp(struct strbuf *out);

/* ---- report_csv.c ------------------------------------------------------- */

/*
 * Append the whole of places.csv, unresolved.csv or skipped.csv (header
 * and CRLF rows, every cell through txt_csv_cell). unresolved.csv follows
 * rp_sorted_unresolved and hides e-mails unless o->show_names.
 */
void rp_places_csv(struct strbuf *out, const struct an_result *r);
void rp_unresolved_csv(struct strbuf *out, const struct an_result *r, const struct rp_options *o);
void rp_skipped_csv(struct strbuf *out, const struct an_result *r);

/*
 * r's unresolved list by count desc, then text (a total order): a new
 * array of r->nr_unresolved_list pointers into r (the caller frees the
 * array, not the entries).
 */
const struct an_unresolved **rp_sorted_unresolved(const struct an_result *r);

/* u's text as the report shows it: "(email address hidden)" for an e-mail unless o->show_names; never NULL. */
const char *rp_unresolved_text(const struct an_unresolved *u, const struct rp_options *o);

/* ---- report_words.c ----------------------------------------------------- */

/*
 * A number as text for a translated format string: the functions below
 * fill the caller's buffer and return it, so a sentence is one
 * sb_addf(out, _("..."), rp_cnt(&a, n), ...) whatever the language's order.
 */
struct num {
	char s[64];
};

/* Append "58%" ("<1%", ">99%" at the ends) for a share in [0, 1]; a share that is not finite counts as 0. */
void rp_add_pct(struct strbuf *out, double share);
/* Append "58.3%". */
void rp_add_pct1(struct strbuf *out, double share);
/* Append "1,234 km" (whole from 100 km or when whole, else one decimal); "-" when not finite. */
void rp_add_km(struct strbuf *out, double km);

/* n, share, km (rp_add_km) and km in plain words ("92 km": whole from 10 km) as text in b; return b->s. */
const char *rp_cnt(struct num *b, unsigned long long n);
const char *rp_pct(struct num *b, double share);
const char *rp_km_text(struct num *b, double km);
const char *rp_km_plain_text(struct num *b, double km);

/* an_home_name / an_home_in of r for the report: "your home" translated when nothing names it. */
const char *rp_home_name(const struct an_result *r);
const char *rp_home_in(const struct an_result *r);
/* The home's country in the report's language, as after a preposition (i18n_country_dative), or "the home country". */
const char *rp_home_country(const struct an_result *r);
/* Append "Plymouth, Wisconsin, United States" (region and country in the report's language). */
void rp_place_full_name(struct strbuf *t, const struct gc_place *p);
/* Append the sentence naming the home, where it came from and the home radius. */
void rp_home_description(struct strbuf *t, const struct an_result *r);
/* Append the label of reach band (ST_REACH_*) for r's home and radius. */
void rp_reach_label(struct strbuf *t, const struct an_result *r, int band);
/* Append "17 countries", "1 country". */
void rp_add_countries(struct strbuf *out, size_t n);

/* ---- report_doc.c ------------------------------------------------------- */

/*
 * One document, two syntaxes: md selects Markdown, else HTML. Every text
 * given to the rp_doc_ functions is plain text and escaped by them
 * (txt_md_escape, txt_html_escape) unless a comment says "our own text".
 */
struct doc {
	struct strbuf *out;
	int md;
	size_t ncols;
	const char *align; /* per column: 'l' or 'r' */
	const char *dir;   /* the report directory: HTML embeds dir/charts/X.png when set */
};

/* A heading of level (1-3); id (our own text, may be NULL) is its HTML anchor. */
void rp_doc_h(struct doc *d, int level, const char *text, const char *id);
/* A paragraph of plain text; cls is an HTML class (may be NULL; "lead" is bold in Markdown). */
void rp_doc_p(struct doc *d, const char *text, const char *cls);
/* A block of shell commands (our own text). */
void rp_doc_code(struct doc *d, const char *text);
/* Start a table: align has one 'l' or 'r' per column, head one text per column. */
void rp_doc_table(struct doc *d, const char *align, const char *const *head);
/* A row of the table begun by rp_doc_table: one text per column. */
void rp_doc_row(struct doc *d, const char *const *cells);
void rp_doc_table_end(struct doc *d);
/* The headline: a big number (may be ""), the words after it, and the line under it (may be ""). */
void rp_doc_big(struct doc *d, const char *num, const char *words, const char *line);
/* A bulleted list of n plain texts (nothing when n is 0). */
void rp_doc_list(struct doc *d, const struct strbuf *items, size_t n);
/* A list of links to the n files beside the report (our own names). */
void rp_doc_files(struct doc *d, const char *const *names, size_t n);
/* "and N more in FILE." under a cut table. */
void rp_doc_more(struct doc *d, size_t more, const char *file);
/*
 * Start the document d on out (Markdown when md, else HTML): the page's
 * head (HTML: doctype, CSP, CSS) and its h1; title is our own text. The
 * HTML embeds the charts of dir (rp_section_charts) when o->rendered, and
 * then its CSP allows data: images only. d borrows out and dir.
 */
void rp_doc_begin(struct doc *d, struct strbuf *out, int md, const struct rp_options *o, const char *dir,
		  const char *title);
/* The footer (version, attributions, the run time with o->timestamp) and the end of the page. */
void rp_doc_end(struct doc *d, const struct rp_options *o);

/* A chart of the report: its stem (charts/STEM.png) and the msgids of its title and alt text. */
struct chart {
	const char *stem, *title, *alt;
};

/*
 * The "Charts" section: the n charts (HTML embeds each PNG of d->dir, and
 * its phone rendering, as data: URIs), or how to render them when
 * !o->rendered.
 */
void rp_section_charts(struct doc *d, const struct rp_options *o, const struct chart *charts, size_t n);

/* The cells of a table row, up to 6; rp_cells_release frees them. */
struct cells {
	struct strbuf c[6];
	const char *p[6];
};

void rp_cells_init(struct cells *c);
/* Empty every cell (keeps the memory). */
void rp_cells_reset(struct cells *c);
/* The cells as texts for rp_doc_row; valid until the cells change. */
const char *const *rp_cells_ptrs(struct cells *c);
void rp_cells_release(struct cells *c);

/* ---- report_analyze.c --------------------------------------------------- */

/* Append report.md (md) or index.html of r; HTML embeds the charts of dir when o->rendered. */
void rp_document(struct strbuf *out, int md, const struct an_result *r, const struct rp_options *o, const char *dir);
/* The section on adding locations to a LinkedIn export (our own text). */
void rp_section_add_locations(struct doc *d);

/* ---- report_compare.c --------------------------------------------------- */

/* Append the compare report.md (md) or index.html; HTML embeds the charts of dir when o->rendered. */
void rp_compare_document(struct strbuf *out, int md, const struct an_result *b, const struct an_result *a,
			 const struct cmp_result *c, const struct rp_options *o, const char *dir);

#endif
