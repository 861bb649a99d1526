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
 * for the same destination (once its process is gone). An existing destination
 * is only replaced when it is empty or holds a netreach report (it has the
 * marker file OD_MARKER), so a mistyped -o never destroys other files.
 *
 * Ownership: struct outdir owns its two path strings; od_commit and
 * od_abort release them.
 */

#include "util.h"

#define OD_MARKER ".netreach-report"

struct outdir {
	char *final;   /* destination, as given */
	char *stage;   /* staging directory, NULL after commit/abort */
};

/*
 * Check that dir can be (re)placed and create the staging directory
 * (and missing parents of dir). Returns NR_EX_OK or NR_EX_CANTCREAT with
 * a message in err.
 */
int od_begin(struct outdir *od, const char *dir, struct strbuf *err);

/* Move the staging directory into place, removing a previous report. */
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
