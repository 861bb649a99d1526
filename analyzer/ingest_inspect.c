/*
 * ingest_inspect: `netreach inspect` and `netreach template`, the commands
 * that print what ingestion sees (through ing_read, like any caller).
 */
#include "ingest_int.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

#include "banned.h"

struct inspect {
	FILE *out;
	struct ing_info *info;
	int header_printed;
};

static const char *delim_name(char d)
{
	switch (d) {
	case ';': return "semicolon";
	case '\t': return "tab";
	case '|': return "pipe";
	default: return "comma";
	}
}

static void print_tsv(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		default: fputc(s[i], out);
		}
	}
}

static void inspect_header(struct inspect *in)
{
	struct ing_info *info = in->info;
	if (in->header_printed)
		return;
	in->header_printed = 1;
	fprintf(in->out, "format\t%s\nencoding\t%s\ndelimiter\t%s\nheader_line\t%lu\n",
		info->format, info->encoding, delim_name(info->delimiter), info->header_line);
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		if (!info->column[k])
			continue;
		fprintf(in->out, "column\t%s\t", ing_role_name(k));
		print_tsv(in->out, info->column[k], strlen(info->column[k]));
		fputc('\n', in->out);
	}
	fputs("line\tstatus\treason\tlocation\tlat\tlon\tmonth\n", in->out);
}

static int inspect_row(const struct ing_row *row, void *ctx)
{
	struct inspect *in = ctx;
	static const char *const status[] = { "ok", "no_location", "skipped" };
	inspect_header(in);
	fprintf(in->out, "%lu\t%s\t%s\t", row->line, status[row->status],
		row->skip_reason ? row->skip_reason : "");
	if (row->location)
		print_tsv(in->out, row->location, row->location_len);
	if (row->has_coords)
		fprintf(in->out, "\t%.6f\t%.6f\t", row->lat, row->lon);
	else
		fputs("\t\t\t", in->out);
	if (row->date_state == ING_DATE_OK)
		fprintf(in->out, "%04d-%02d", row->month / 12, row->month % 12 + 1);
	fputc('\n', in->out);
	return 0;
}

int ing_inspect(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err)
{
	struct ing_info info;
	struct inspect in = { out, &info, 0 };
	int ret = ing_read(path, opt, inspect_row, NULL, &in, &info, err);
	if (!ret) {
		inspect_header(&in);
		fprintf(out, "records\t%lu\nok\t%lu\nno_location\t%lu\nskipped\t%lu\n"
			"dates_ok\t%lu\ndates_unparseable\t%lu\nlocations_joined\t%lu\n",
			info.records, info.ok, info.no_location, info.skipped,
			info.dates_ok, info.dates_unparseable, info.locations_joined);
		if (info.recoded_rows)
			fprintf(out, "recoded_rows\t%lu\n", info.recoded_rows);
	}
	ing_info_release(&info);
	return ret;
}

/* ---- template ---- */

struct tmpl {
	FILE *out;
	struct strbuf line;
};

static void tmpl_cell(struct strbuf *sb, const struct ing_row *row, enum ing_role role)
{
	const char *s = row->field[role];
	size_t n = s ? row->field_len[role] : 0;
	if (s)
		trim(&s, &n);
	txt_csv_cell(sb, n ? s : "", n);
}

static int tmpl_row(const struct ing_row *row, void *ctx)
{
	struct tmpl *t = ctx;
	static const enum ing_role cols[] = { ING_URL, ING_FIRST_NAME, ING_LAST_NAME, ING_EMAIL, ING_COMPANY };
	if (row->status == ING_ROW_SKIPPED)
		return 0;
	sb_reset(&t->line);
	for (size_t k = 0; k < ARRAY_SIZE(cols); k++) {
		tmpl_cell(&t->line, row, cols[k]);
		sb_addch(&t->line, ',');
	}
	if (row->location_len)
		txt_csv_cell(&t->line, row->location, row->location_len);
	sb_adds(&t->line, "\r\n");
	return fwrite(t->line.buf, 1, t->line.len, t->out) == t->line.len ? 0 : NR_EX_IOERR;
}

int ing_template(FILE *out, const char *path, const struct ing_options *opt, struct strbuf *err)
{
	struct ing_info info;
	struct tmpl t = { out, STRBUF_INIT };
	struct ing_options o = opt ? *opt : (struct ing_options){ 0 };
	int ret;
	o.omit_fields = 0;
	o.split = NULL;
	sb_init(&t.line, 256);
	fputs("URL,First Name,Last Name,Email Address,Company,Location\r\n", out);
	ret = ing_read(path, &o, tmpl_row, NULL, &t, &info, err);
	if (ret == NR_EX_IOERR && !err->len)
		sb_addf(err, "standard output: write error");
	ing_info_release(&info);
	sb_release(&t.line);
	return ret;
}
