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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
