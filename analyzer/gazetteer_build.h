#ifndef GAZETTEER_BUILD_H
#define GAZETTEER_BUILD_H

/*
 * gazetteer_build: the builder of the binary place index, linked into
 * gzindex only (see gazetteer.h for the reader).
 */

#include "util.h"

/*
 * Build the binary index at out_path from DATASETS_DIR/gazetteer/
 * (places.tsv.gz, admin1.tsv, admin2.tsv, countries.tsv, metros.tsv; see
 * datasets/gazetteer/SOURCES.md). Takes a second or two. Returns NR_EX_OK,
 * or an exit status with one line in err naming the file (and line).
 */
int gz_build(const char *datasets_dir, const char *out_path, struct strbuf *err);

#endif
