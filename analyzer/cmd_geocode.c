/* cmd_geocode: netreach geocode (see cmd.h); in the front binary, so no GEOS or PROJ here. */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "geocode.h"

#include "banned.h"

static int geocode_one(const struct gz *gz, struct gc *gc, struct strbuf *row, FILE *out, const char *s,
		       size_t len, struct strbuf *err)
{
	const struct gc_place *p = gc_resolve(gc, s, len);
	int st = gz_check(gz, err); /* a damaged index: no row from it */
	if (st)
		return st;
	gc_write_tsv_row(row, s, len, p);
	if (fwrite(row->buf, 1, row->len, out) != row->len)
		return NR_EX_IOERR;
	sb_reset(row);
	return NR_EX_OK;
}

int cmd_geocode(struct nr_data *data, const char *const *places, size_t n, FILE *in, FILE *out,
		struct strbuf *err)
{
	struct gz *gz;
	struct gc *gc;
	struct strbuf row = STRBUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	int st = nd_gazetteer(data, &gz, err);

	if (st)
		return st;
	gc = gc_new(gz);
	gc_write_tsv_header(&row);
	fwrite(row.buf, 1, row.len, out);
	sb_reset(&row);
	if (n) {
		for (size_t i = 0; i < n && !st; i++)
			st = geocode_one(gz, gc, &row, out, places[i], strlen(places[i]), err);
	} else {
		ssize_t len;
		while (!st && (len = getline(&line, &cap, in)) >= 0) {
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				len--;
			st = geocode_one(gz, gc, &row, out, line, (size_t)len, err);
		}
		if (ferror(in)) {
			sb_addf(err, "standard input: read error");
			st = NR_EX_IOERR;
		}
	}
	if (fflush(out) != 0 && !st) {
		sb_addf(err, "standard output: write error");
		st = NR_EX_IOERR;
	} else if (st == NR_EX_IOERR && !err->len) {
		sb_addf(err, "standard output: write error");
	}
	free(line);
	sb_release(&row);
	gc_free(gc);
	return st;
}
