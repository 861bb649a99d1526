/*
 * libFuzzer target: GeoJSON region loading (--regions). The input is
 * written to a private temporary file (rg_load reads paths). A load either
 * succeeds with named regions that answer point queries, or fails with one
 * error line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regions.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/nr-fuzz-regions-XXXXXX";
	struct strbuf notes = STRBUF_INIT, err = STRBUF_INIT;
	struct rg_set *set = NULL;
	int st;

	if (fuzz_write_tmp(path, data, size) < 0)
		return 0;
	st = rg_load(&set, path, &notes, &err);
	if (st == NR_EX_OK) {
		size_t n = rg_count(set);
		const char **names = rg_names(set);
		if (!n || err.len || rg_repaired(set) > n)
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if (!names[i] || !names[i][0] || names[i] != rg_name(set, i))
				__builtin_trap();
		/* one note line per repaired region */
		size_t lines = 0;
		for (size_t i = 0; i < notes.len; i++)
			lines += notes.buf[i] == '\n';
		if (lines != rg_repaired(set) || (notes.len && notes.buf[notes.len - 1] != '\n'))
			__builtin_trap();
		/* point queries over a coarse grid stay in range */
		for (int lat = -90; lat <= 90; lat += 45)
			for (int lon = -180; lon <= 180; lon += 60) {
				int r = rg_locate(set, lat, lon);
				if (r < -1 || r >= (int)n)
					__builtin_trap();
			}
		rg_free(set);
	} else {
		if (!err.len || memchr(err.buf, '\n', err.len) || set)
			__builtin_trap();
	}
	sb_release(&notes);
	sb_release(&err);
	unlink(path);
	return 0;
}
