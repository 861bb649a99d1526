#ifndef OUTDIR_H
#define OUTDIR_H

/*
 * outdir: atomic report directories.
 *
 * A run writes into a fresh staging directory beside the destination
 * ("<dir>.tmp-<pid>-XXXXXX"); od_commit swaps it into place with
 * rename(2), so a failed or interrupted run never leaves a half-written
 * report, and a rerun replaces the previous report as a whole. A staging
 * directory left by a run that was killed is removed by the next od_begin
 * for the same destination (once its process is gone), and so is a previous
 * report set aside by a run killed in the middle of the swap.
 *
 * The marker file OD_MARKER of a report lists every path netreach wrote
 * into it (its manifest). An existing destination is only replaced when it
 * is empty, or holds nothing but what its manifest lists and no input of
 * the run; and replacing it removes only what the manifest lists, so a
 * mistyped -o, a user's file dropped into a report, or an export kept
 * inside its own report directory is never deleted. A report of a netreach
 * from before the manifest (a marker without a list) is replaced when it
 * holds nothing but names netreach writes into a report (index.html,
 * report.md, summary.json, compare.json, places.csv, unresolved.csv,
 * skipped.csv, charts/NAME.gp|png|tsv|dat) and no input; else the error
 * names the first other file.
 *
 * Ownership: struct outdir owns its path strings and list of inputs;
 * od_commit and od_abort release them.
 */

#include "util.h"

#define OD_MARKER ".netreach-report"

struct od_keep;

struct outdir {
	char *final;   /* destination, as given */
	char *stage;   /* staging directory, NULL after commit/abort */
	struct od_keep *keep; /* the inputs (device and inode), never removed */
	size_t nkeep;
};

/*
 * Check that dir can be (re)placed and create the staging directory
 * (and missing parents of dir). inputs (ninputs paths, NULL entries
 * ignored) are the files the run reads: a dir that holds one of them is
 * refused. Returns NR_EX_OK or NR_EX_CANTCREAT with a message in err:
 *   "'DIR': exists and is not a netreach report; choose another -o"
 *   "'DIR': holds 'DIR/F', which netreach did not write; move it or choose another -o"
 *   "'DIR': holds the input 'DIR/F'; choose another -o"
 *   "'DIR': a report of an older netreach (no list of its files) that also
 *    holds 'DIR/F', which netreach does not write; move that out and run
 *    again, or remove 'DIR', or choose another -o"
 */
int od_begin(struct outdir *od, const char *dir, const char *const *inputs, size_t ninputs, struct strbuf *err);

/*
 * Write the manifest and move the staging directory into place, removing
 * what the previous report's manifest lists (checked again first).
 * NR_EX_OK, or NR_EX_CANTCREAT / NR_EX_IOERR with a message (the staging
 * directory is then removed and the previous report left as it was).
 */
int od_commit(struct outdir *od, struct strbuf *err);

/* Remove the staging directory and everything in it. Safe to call twice. */
void od_abort(struct outdir *od);

/*
 * Rewrite a message about a file in the staging directory to name the
 * destination instead ("'out.tmp-Ab12Cd/charts/x.gp': ..." becomes
 * "'out/charts/x.gp': ..."), so that the user sees the path they asked
 * for. No-op when there is no staging directory.
 */
void od_unstage_message(const struct outdir *od, struct strbuf *msg);

/* Remove path and, if it is a directory, everything below it. Returns 0 or -1 (errno set). */
int od_remove_tree(const char *path);

#endif
