#include "unit.h"

#include "cmd.h"
#include "util.h"

static void test_default_out_dir(void **state)
{
	static const struct { const char *prefix, *path, *want; } cases[] = {
		{ NULL, "exports/Connections.csv", "reports/Connections" },
		{ NULL, "My Contacts.2024.csv", "reports/My_Contacts.2024" },
		{ "compare-", "/tmp/after/Connections.csv", "reports/compare-Connections" },
		{ NULL, "a\tb\x01.csv", "reports/a_b_" },
		{ NULL, "dir/.csv", "reports/report" },
		{ NULL, "noext", "reports/noext" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *d = cmd_default_out_dir(cases[i].prefix, cases[i].path);
		assert_string_equal(d, cases[i].want);
		free(d);
	}
}

/* A cmd_writer whose pieces write files p0..pN-1 and fail where fail[i] says; docs lists what it finds. */
struct fake {
	int fail[5];
	int prepared;
};

static int fake_prepare(void *ctx, const char *stage, struct strbuf *err)
{
	((struct fake *)ctx)->prepared = 1;
	return NR_EX_OK;
}

static int fake_piece(void *ctx, const char *stage, size_t i, struct strbuf *err)
{
	struct fake *f = ctx;
	struct strbuf path = STRBUF_INIT;
	FILE *fp;
	sb_addf(&path, "%s/p%zu", stage, i);
	fp = fopen(path.buf, "w");
	assert_non_null(fp);
	fprintf(fp, "%zu\n", i);
	fclose(fp);
	sb_release(&path);
	if (f->fail[i]) {
		sb_addf(err, "piece %zu failed", i);
		return f->fail[i];
	}
	return NR_EX_OK;
}

static int fake_docs(void *ctx, const char *stage, int rendered, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, seen = STRBUF_INIT;
	FILE *fp;
	assert_int_equal(rendered, 0);
	for (int i = 0; i < 5; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s/p%d", stage, i);
		sb_addch(&seen, access(path.buf, R_OK) ? '-' : '0' + i);
	}
	sb_reset(&path);
	sb_addf(&path, "%s/doc", stage);
	fp = fopen(path.buf, "w");
	assert_non_null(fp);
	fputs(seen.buf, fp);
	fclose(fp);
	sb_release(&path);
	sb_release(&seen);
	return NR_EX_OK;
}

/* cmd_write_report: every piece is written (on one thread or two) before the documents; the first failure by index is the result. */
static void test_write_pieces(void **state)
{
	char tmpl[] = "/tmp/nr-cmd-XXXXXX";
	char *base = mkdtemp(tmpl);
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	for (int jobs = 1; jobs <= 2; jobs++) {
		struct cmd_options o;
		struct fake f = { { 0 }, 0 };
		struct cmd_writer w = { &f, fake_prepare, 5, fake_piece, fake_docs };
		char got[8] = "";
		FILE *fp;
		int no_gnuplot = 0;
		memset(&o, 0, sizeof(o));
		o.an.jobs = jobs;
		sb_reset(&dir);
		sb_addf(&dir, "%s/ok%d", base, jobs);
		assert_int_equal(cmd_write_report(&o, dir.buf, NULL, 0, &w, &no_gnuplot, &err), NR_EX_OK);
		assert_int_equal(f.prepared, 1);
		sb_reset(&path);
		sb_addf(&path, "%s/doc", dir.buf);
		fp = fopen(path.buf, "r");
		assert_non_null(fp);
		assert_non_null(fgets(got, sizeof(got), fp));
		fclose(fp);
		assert_string_equal(got, "01234");

		/* pieces 3 and 1 fail: piece 1's status and message, and no report directory */
		f.fail[3] = NR_EX_IOERR;
		f.fail[1] = NR_EX_CANTCREAT;
		sb_reset(&dir);
		sb_addf(&dir, "%s/bad%d", base, jobs);
		assert_int_equal(cmd_write_report(&o, dir.buf, NULL, 0, &w, &no_gnuplot, &err), NR_EX_CANTCREAT);
		assert_non_null(strstr(err.buf, "piece 1 failed"));
		assert_null(strstr(err.buf, "piece 3"));
		assert_int_not_equal(access(dir.buf, F_OK), 0);
		sb_reset(&err);
	}
	sb_reset(&path);
	sb_addf(&path, "rm -rf '%s'", base);
	assert_int_equal(system(path.buf), 0);
	sb_release(&dir);
	sb_release(&err);
	sb_release(&path);
}

/* geocode: the header and one row per place, from the arguments or from the lines of the input. */
static void test_geocode(void **state)
{
	static const char *const places[] = { "Sheboygan, WI", "Atlantis" };
	struct nr_data data;
	struct strbuf err = STRBUF_INIT;
	char *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;
	char lines[] = "Sheboygan, WI\r\nAtlantis\n";
	FILE *in, *o;

	nd_init(&data, TEST_DATA_DIR);
	o = open_memstream(&out, &len);
	assert_int_equal(cmd_geocode(&data, places, 2, NULL, o, &err), NR_EX_OK);
	fclose(o);
	/* header, Sheboygan resolved in the US, Atlantis not */
	assert_int_equal(strncmp(out, "input\tstatus\t", 13), 0);
	assert_non_null(strstr(out, "\nSheboygan, WI\tok\t"));
	assert_non_null(strstr(out, "\tUS\t"));
	assert_non_null(strstr(out, "\nAtlantis\t"));
	{
		size_t nl = 0;
		for (size_t i = 0; i < len; i++)
			nl += out[i] == '\n';
		assert_int_equal(nl, 3);
	}
	in = fmemopen(lines, strlen(lines), "r");
	o = open_memstream(&out2, &len2);
	assert_int_equal(cmd_geocode(&data, NULL, 0, in, o, &err), NR_EX_OK);
	fclose(o);
	fclose(in);
	assert_string_equal(out2, out); /* CR LF and LF stripped alike */
	free(out);
	free(out2);
	nd_release(&data);

	/* no gazetteer: its error, and nothing written */
	nd_init(&data, "/nonexistent");
	out = NULL;
	o = open_memstream(&out, &len);
	assert_int_not_equal(cmd_geocode(&data, places, 2, NULL, o, &err), NR_EX_OK);
	fclose(o);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.buf, "/nonexistent"));
	free(out);
	nd_release(&data);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_out_dir),
		cmocka_unit_test(test_geocode),
		cmocka_unit_test(test_write_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
