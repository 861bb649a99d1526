/*
 * libFuzzer target: bytes to rows, sniffing included, read from memory
 * (ing_read_mem: no temporary file); every record must be reported
 * exactly once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	unsigned long ok, no_location, skipped;
};

static int count_row(const struct ing_row *row, void *ctx)
{
	struct tally *t = ctx;
	if (row->status == ING_ROW_OK) {
		t->ok++;
		if (!row->location && !row->has_coords)
			__builtin_trap();
	} else if (row->status == ING_ROW_NO_LOCATION) {
		t->no_location++;
	} else {
		t->skipped++;
		if (!row->skip_reason)
			__builtin_trap();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ing_options opt;
	struct ing_info info;
	struct strbuf err = STRBUF_INIT;
	struct tally t = { 0, 0, 0 };
	int st;

	memset(&opt, 0, sizeof(opt));
	memset(&info, 0, sizeof(info));
	st = ing_read_mem("fuzz-input", data, size, &opt, count_row, NULL, &t, &info, &err);
	if (st == NR_EX_OK &&
	    (info.records != t.ok + t.no_location + t.skipped || info.ok != t.ok ||
	     info.no_location != t.no_location || info.skipped != t.skipped))
		__builtin_trap();
	/* an error is one line naming the file */
	if (st != NR_EX_OK && (!err.len || memchr(err.buf, '\n', err.len) || strncmp(err.buf, "'fuzz-input': ", 14)))
		__builtin_trap();
	ing_info_release(&info);
	sb_release(&err);
	return 0;
}
