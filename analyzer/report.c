/* report: the files of a report (rp_write, rp_compare_write): which, in which order, written how; the run time. */
#include "report_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "banned.h"

void rp_add_timestamp(struct strbuf *out)
{
	time_t now = time(NULL);
	struct tm tm;
	char buf[32];
	if (gmtime_r(&now, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		sb_adds(out, buf);
}

static int write_file(const char *dir, const char *name, const struct strbuf *sb, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	int st = NR_EX_OK;
	sb_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "wb");
	if (!f) {
		sb_addf(err, "'%s': cannot create: %s", path.buf, strerror(errno));
		sb_release(&path);
		return NR_EX_CANTCREAT;
	}
	if (fwrite(sb->buf, 1, sb->len, f) != sb->len || fflush(f)) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		st = NR_EX_IOERR;
	}
	if (fclose(f) && !st) {
		sb_addf(err, "'%s': write failed: %s", path.buf, strerror(errno));
		st = NR_EX_IOERR;
	}
	sb_release(&path);
	return st;
}

/* The JSON document, dumped with RP_JSON_FLAGS and a final newline, into dir/name. */
static int write_json(const char *dir, const char *name, json_t *j, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;
	int st;
	if (o->timestamp) {
		rp_add_timestamp(&sb);
		json_object_set_new(j, "generated_at", json_string(sb.buf));
		sb_reset(&sb);
	}
	text = json_dumps(j, RP_JSON_FLAGS);
	if (!text) {
		sb_addf(err, "cannot encode %s", name);
		sb_release(&sb);
		return NR_EX_SOFTWARE;
	}
	sb_adds(&sb, text);
	sb_addch(&sb, '\n');
	free(text);
	st = write_file(dir, name, &sb, err);
	sb_release(&sb);
	return st;
}

int rp_write_tables(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = rp_summary_json(r);
	int st = write_json(dir, "summary.json", j, o, err);

	json_decref(j);
	if (!st) {
		rp_places_csv(&sb, r);
		st = write_file(dir, "places.csv", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		rp_unresolved_csv(&sb, r, o);
		st = write_file(dir, "unresolved.csv", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		rp_skipped_csv(&sb, r);
		st = write_file(dir, "skipped.csv", &sb, err);
	}
	sb_release(&sb);
	return st;
}

int rp_write_docs(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int st;
	rp_document(&sb, 1, r, o, dir);
	st = write_file(dir, "report.md", &sb, err);
	if (!st) {
		sb_reset(&sb);
		rp_document(&sb, 0, r, o, dir);
		st = write_file(dir, "index.html", &sb, err);
	}
	sb_release(&sb);
	return st;
}

int rp_write(const struct an_result *r, const char *dir, const struct rp_options *o, struct strbuf *err)
{
	int st = rp_write_tables(r, dir, o, err);
	return st ? st : rp_write_docs(r, dir, o, err);
}

int rp_compare_write(const struct an_result *b, const struct an_result *a, const struct cmp_result *c,
		     const char *dir, const struct rp_options *o, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = rp_compare_json(b, a, c);
	int st = write_json(dir, "compare.json", j, o, err);
	json_decref(j);
	if (!st) {
		rp_compare_document(&sb, 1, b, a, c, o, dir);
		st = write_file(dir, "report.md", &sb, err);
	}
	if (!st) {
		sb_reset(&sb);
		rp_compare_document(&sb, 0, b, a, c, o, dir);
		st = write_file(dir, "index.html", &sb, err);
	}
	sb_release(&sb);
	return st;
}
