#ifndef REPORT_H
#define REPORT_H

/*
 * report: the files a person or a script reads after `netreach analyze`.
 *
 *   summary.json    the numbers (schema in doc/summary-schema.md)
 *   places.csv      one row per distinct resolved place
 *   unresolved.csv  location strings that named no place, biggest first
 *   skipped.csv     records that could not be read (file, line, reason)
 *   report.md       the report in Markdown
 *   index.html      the report as one self-contained page (inline CSS, no
 *                   scripts, no network); rendered charts are embedded as
 *                   data: URIs (CSP img-src data:), so the file can be
 *                   mailed alone; unrendered ones are charts/X.png
 *
 * Everything derived from input goes through txt_html_escape (HTML),
 * txt_md_escape (Markdown) or txt_csv_cell (CSV). Output is deterministic:
 * the same result gives byte-identical files unless o->timestamp.
 *
 * Privacy: an_result carries no contact names or emails; in addition,
 * unless o->show_names, an unresolved location string that looks like an
 * email address is replaced by "(email address hidden)", and input files
 * are named by their base name only (no home directory in the report).
 *
 * Ownership: nothing is kept between calls.
 */

#include <jansson.h>

#include "analyze.h"
#include "compare.h"
#include "util.h"

struct rp_options {
	int rendered;    /* charts/X.png exist; else the report says how to render them */
	int timestamp;   /* add the run time (UTC) to summary.json and the reports */
	int show_names;  /* allow personal data (see above); off by default */
};

/* summary.json schema version (doc/summary-schema.md). */
#define RP_SCHEMA_VERSION 1

/*
 * The summary.json document for r (new reference; the caller json_decrefs
 * it). Never NULL. Numbers are rounded to fixed decimals (shares 4, km 1,
 * km2 0, lat/lon 4, entropy 4); dump it with RP_JSON_FLAGS.
 */
json_t *rp_summary_json(const struct an_result *r);
#define RP_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/*
 * Append the headline: one number and what it means, e.g. "71% of your
 * network lives beyond Sheboygan." (share of the connections placed in a
 * town; "12% of your network lives abroad." when none is placed in a town;
 * when nothing is placed, one sentence saying why). Plain text, no
 * trailing newline (the caller prints it).
 */
void rp_headline(struct strbuf *out, const struct an_result *r);

/*
 * Append the line under the headline, naming its base: "1,280 of the
 * 1,799 connections placed in a town live more than 50 km from
 * Sheboygan." Nothing when nothing is placed.
 */
void rp_headline_base(struct strbuf *out, const struct an_result *r);

/*
 * Write the report files listed above into dir (which must exist).
 * Returns NR_EX_OK, or NR_EX_CANTCREAT / NR_EX_IOERR with err naming the
 * file.
 */
int rp_write(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err);

/*
 * rp_write in two steps: the tables (summary.json, places.csv,
 * unresolved.csv, skipped.csv), which do not depend on the charts and may
 * be written on another thread while they are, and the documents
 * (report.md, index.html), which embed the rendered charts
 * (o->rendered). Same return values as rp_write.
 */
int rp_write_tables(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err);
int rp_write_docs(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err);

/* compare.json schema version (doc/summary-schema.md, "compare.json"). */
#define RP_COMPARE_SCHEMA_VERSION 1

/*
 * The compare.json document for BEFORE b, AFTER a and their comparison c
 * (new reference; never NULL). before/after are rp_summary_json of each.
 */
json_t *rp_compare_json(const struct an_result *b, const struct an_result *a, const struct cmp_result *c);

/*
 * Append the answer of a comparison (no trailing newline), leading with
 * the change in the headline number when both exports have connections in
 * a town: "74% of your network now lives beyond Sheboygan, up from 71%.
 * Since March 2025 your network grew by 312 people; 41% of
 * them live abroad, against 19% before; you now reach 9 more countries."
 * "Since <month>" is the month of the last dated connection in BEFORE
 * ("Since the earlier export" without dates).
 */
void rp_compare_headline(struct strbuf *out, const struct an_result *b, const struct an_result *a,
			 const struct cmp_result *c);

/*
 * Write compare.json, report.md and index.html of a comparison into dir
 * (which must exist); the report shows charts/X.png of PL_COMPARE_CHARTS
 * when o->rendered. Same privacy, escaping and determinism rules as
 * rp_write. Returns NR_EX_OK, or NR_EX_CANTCREAT / NR_EX_IOERR with err
 * naming the file.
 */
int rp_compare_write(const struct an_result *b, const struct an_result *a, const struct cmp_result *c,
		     const char *dir, const struct rp_options *o, struct strbuf *err);

#endif
