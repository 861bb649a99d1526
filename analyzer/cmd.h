#ifndef CMD_H
#define CMD_H

/*
 * cmd: the commands of netreach, between cli.c (options, environment,
 * printing, exit status) and the library (ingest .. stats, report, plot),
 * which computes and formats but writes no file it was not handed a
 * directory for. A command here does the orchestration: it takes the
 * data (struct nr_data, opened once by the caller and lent to every
 * step), runs the library, picks the report directory, writes it through
 * outdir (staged, swapped in atomically), renders the charts, handles the
 * case without gnuplot, and hands back what cli.c prints.
 *
 *   cmd_analyze.c   analyze: an_run -> pl_write, pl_render, rp_write
 *   cmd_compare.c   compare: cmp_run -> pl_compare_write, pl_render, rp_compare_write
 *   cmd_geocode.c   geocode: gc_resolve over arguments or lines, TSV out
 *   cmd_inspect.c   inspect and template: ing_inspect, ing_template
 *   cmd.c           what analyze and compare share (report directory, rendering)
 *
 * The front binary (geocode, inspect, template) links only cmd_geocode.c
 * and cmd_inspect.c, which need no GEOS or PROJ (see data.h).
 *
 * Ownership: nothing is kept between calls; a struct cmd_report is the
 * caller's (cmd_report_release).
 */

#include <stdio.h>

#include "analyze.h"
#include "data.h"
#include "ingest.h"
#include "util.h"

/* What cli.c parsed for analyze and compare. */
struct cmd_options {
	struct an_options an;
	const char *const *inputs;   /* the exports (compare: BEFORE, AFTER) */
	size_t nr_inputs;
	const char *out_dir;         /* -o DIR; NULL: reports/<first export> or reports/compare-<AFTER> */
	int render;                  /* run gnuplot (0 with --no-render) */
	int timestamp, show_names;   /* rp_options */
	int render_timeout_s;        /* for all the charts (pl_render); <= 0: PL_RENDER_TIMEOUT_S */
};

/* What a command that writes a report hands back for cli.c to print; filled on failure too. */
struct cmd_report {
	char *out_dir;               /* the report directory (owned) */
	struct strbuf headline;      /* on success: the answer and its base, lines without the last '\n' */
	char *notes;                 /* warnings of the analysis, one a line ending in '\n', or NULL */
	int no_gnuplot;              /* gnuplot was not found: the charts are not rendered */
};

/* Zero r (headline empty). */
void cmd_report_init(struct cmd_report *r);
void cmd_report_release(struct cmd_report *r);

/*
 * netreach analyze: analyse o->inputs with data (an_run), then write the
 * report directory (o->out_dir, or reports/<first export's name without
 * its extension>): charts (pl_write), rendered unless !o->render, and the
 * report (rp_write). Fills out (notes as soon as the analysis ran, even
 * when writing fails afterwards). Returns NR_EX_OK or an exit status with
 * err.
 */
int cmd_analyze(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out, struct strbuf *err);

/*
 * netreach compare: o->inputs[0] (BEFORE) and [1] (AFTER) through cmp_run
 * with data, then the report directory (o->out_dir, or
 * reports/compare-<AFTER's name>): charts (pl_compare_write), rendered
 * unless !o->render, and the report (rp_compare_write); headline from
 * rp_compare_headline. Returns like cmd_analyze.
 */
int cmd_compare(struct nr_data *data, const struct cmd_options *o, struct cmd_report *out, struct strbuf *err);

/*
 * netreach geocode: resolve each of places[0..n) with data's gazetteer,
 * or each line of in (CR/LF stripped) when n is 0, and write the TSV header
 * and one row per place to out (gc_write_tsv_header, gc_write_tsv_row).
 * Stops at the first damaged part of the gazetteer met (gz_check: its
 * status, no row for that place). Returns NR_EX_OK; NR_EX_IOERR with
 * "standard input: read error" or "standard output: write error" (in and
 * out are the command's standard streams); gz_open's status when the
 * gazetteer cannot be opened.
 */
int cmd_geocode(struct nr_data *data, const char *const *places, size_t n, FILE *in, FILE *out,
		struct strbuf *err);

/*
 * netreach inspect and template: ing_inspect / ing_template of the export
 * at path to out, flushed. Returns their status, or NR_EX_IOERR with
 * "standard output: write error" when out cannot be flushed.
 */
int cmd_inspect(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err);
int cmd_template(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err);

/* ---- shared by cmd_analyze.c and cmd_compare.c ---- */

/* "reports/" + prefix + the base name of path without its extension (blanks and controls as '_'); owned by the caller. */
char *cmd_default_out_dir(const char *prefix, const char *path);

/*
 * What a command writes into the staging directory stage, ctx being the
 * command's: prepare (may be NULL) on the calling thread, then the
 * pieces i < nr_pieces (chart scripts and data, tables), which write
 * disjoint files and may run at once, on up to the command's jobs
 * threads (an_options.jobs; 0: 2 with two cores), each with its own err;
 * then, after rendering, docs (rendered = whether the PNGs exist).
 */
struct cmd_writer {
	void *ctx;
	int (*prepare)(void *ctx, const char *stage, struct strbuf *err);
	size_t nr_pieces;
	int (*piece)(void *ctx, const char *stage, size_t i, struct strbuf *err);
	int (*docs)(void *ctx, const char *stage, int rendered, struct strbuf *err);
};

/*
 * Write the report directory dir atomically (outdir): od_begin (never
 * replacing a directory that holds one of keep[0..nkeep), NULLs ignored),
 * w's prepare and pieces, pl_render unless !o->render (gnuplot not found
 * sets *no_gnuplot and goes on unrendered), w's docs, od_commit; on
 * failure the staging directory is removed and err says where things
 * are (of pieces that fail, the first by index). Returns NR_EX_OK or an
 * exit status with err.
 */
int cmd_write_report(const struct cmd_options *o, const char *dir, const char *const *keep, size_t nkeep,
		     const struct cmd_writer *w, int *no_gnuplot, struct strbuf *err);

#endif
