#include "unit.h"

#include <math.h>

#include "text.h"
#include "util.h"

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb, 0);
	assert_string_equal(sb.buf, "");
	sb_adds(&sb, "  hello");
	sb_addf(&sb, " %d ", 42);
	sb_trim(&sb);
	assert_string_equal(sb.buf, "hello 42");
	sb_reset(&sb);
	sb_add_count(&sb, 2340);
	sb_addch(&sb, ' ');
	sb_add_count(&sb, 1234567);
	sb_addch(&sb, ' ');
	sb_add_count(&sb, 12);
	assert_string_equal(sb.buf, "2,340 1,234,567 12");
	sb_release(&sb);
}

/* sb_addfixed against printf: hand-picked cases, then a deterministic sweep. */
static void test_addfixed(void **state)
{
	/* ties to even on exact binary ties; carries; -0; values that are not ties in binary */
	static const struct { double x; int d; const char *want; } c[] = {
		{ 0.5, 0, "0" },       { 1.5, 0, "2" },         { 2.5, 0, "2" },      { -2.5, 0, "-2" },
		{ 0.25, 1, "0.2" },    { 0.75, 1, "0.8" },      { 0.125, 2, "0.12" }, { 9.96, 1, "10.0" },
		{ 99.995, 2, "100.00" }, /* 99.99500000000000454... in binary */
		{ 2.675, 2, "2.67" },  { -0.0, 1, "-0.0" },     { 0.0, 4, "0.0000" }, { -0.00001, 4, "-0.0000" },
		{ 121.4581, 4, "121.4581" }, { 8415.25, 1, "8415.2" }, { 20040.0, 1, "20040.0" },
		{ 123456.789, 0, "123457" }, { 1e7, 1, "10000000.0" }, { 3.0, 9, "3.000000000" },
	};
	struct strbuf sb = STRBUF_INIT;
	char want[64];
	unsigned long long seed = 42;
	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		sb_reset(&sb);
		sb_addfixed(&sb, c[i].x, c[i].d);
		assert_string_equal(sb.buf, c[i].want);
	}
	sb_reset(&sb);
	sb_addfixed(&sb, NAN, 1);
	sb_addch(&sb, ' ');
	sb_addfixed(&sb, -INFINITY, 2);
	sb_addch(&sb, ' ');
	sb_addfixed(&sb, 1e300, 0);
	assert_int_equal(sb.len, strlen("nan -inf ") + 301);
	assert_memory_equal(sb.buf, "nan -inf 1000000000000000052504760255204420248704468581108",
			    strlen("nan -inf 1000000000000000052504760255204420248704468581108"));
	for (int i = 0; i < 200000; i++) {
		double x;
		int d = i % 7;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		x = ((double)(seed >> 11) / 9007199254740992.0 - 0.5) * (i % 3 == 0 ? 400.0 : i % 3 == 1 ? 40000.0 : 1e-3);
		if (i % 5 == 0) /* near the ties of d decimals */
			x = round(x * pow(10, d)) / pow(10, d) + 0.5 / pow(10, d);
		sb_reset(&sb);
		sb_addfixed(&sb, x, d);
		snprintf(want, sizeof(want), "%.*f", d, x);
		assert_string_equal(sb.buf, want);
	}
	sb_reset(&sb);
	sb_addu(&sb, 0);
	sb_addch(&sb, ' ');
	sb_addu(&sb, 18446744073709551615UL);
	assert_string_equal(sb.buf, "0 18446744073709551615");
	sb_release(&sb);
}

static void test_strmap(void **state)
{
	struct strmap m;
	char key[32];
	(void)state;
	sm_init(&m);
	for (size_t i = 0; i < 10000; i++) {
		int ins;
		int n = snprintf(key, sizeof(key), "k%zu", i);
		size_t *v = sm_put(&m, key, (size_t)n, i * 2, &ins);
		assert_int_equal(ins, 1);
		assert_int_equal(*v, i * 2);
	}
	assert_int_equal(sm_count(&m), 10000);
	for (size_t i = 0; i < 10000; i += 7) {
		int n = snprintf(key, sizeof(key), "k%zu", i);
		size_t *v = sm_get(&m, key, (size_t)n);
		assert_non_null(v);
		assert_int_equal(*v, i * 2);
		assert_string_equal(sm_key(&m, i), key);
	}
	assert_null(sm_get(&m, "nope", 4));
	/* keys with NUL bytes and a key larger than a chunk */
	assert_non_null(sm_put(&m, "a\0b", 3, 1, NULL));
	assert_null(sm_get(&m, "a", 1));
	{
		char *big = calloc(1, 100000);
		memset(big, 'x', 99999);
		sm_put(&m, big, 99999, 5, NULL);
		assert_int_equal(*sm_get(&m, big, 99999), 5);
		free(big);
	}
	sm_release(&m);
}

static void fold(const char *in, const char *want, int flags)
{
	struct strbuf sb = STRBUF_INIT;
	txt_fold(&sb, in, strlen(in), flags);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_fold(void **state)
{
	(void)state;
	fold("  Sheboygan,  WI ", "sheboygan wi", 0);
	fold("München, Bayern", "munchen bayern", 0);
	fold("München", "muenchen", TXT_FOLD_UMLAUT);
	fold("Straße", "strasse", 0);
	fold("STRASSE", "strasse", 0);
	fold("St. Louis", "st louis", 0);
	fold("O'Fallon", "ofallon", 0);
	fold("Winston–Salem", "winston salem", 0);
	fold("Ｔｏｋｙｏ", "tokyo", 0);   /* NFKC fullwidth */
	fold("Québec", "quebec", 0);
	fold("U.S.A.", "usa", 0);
	fold("\xff\xfe" "Bad\x80", "bad", 0);  /* invalid bytes dropped */
	fold("🌍 Earth", "earth", 0);
	fold("", "", 0);
	/* long text: 256 code points fit txt_fold's buffer, 257 and 600 go through utf8proc_map; same folds */
	for (size_t n = 255; n <= 600; n += n == 257 ? 343 : 1) {
		struct strbuf in = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
		for (size_t i = 0; i < n; i++) {
			sb_adds(&in, i % 2 ? "\xc3\x89" : "\xef\xbc\xa1"); /* É, fullwidth A */
			sb_addch(&want, i % 2 ? 'e' : 'a');
		}
		assert_int_equal(txt_fold(&got, in.buf, in.len, 0), n);
		assert_string_equal(got.buf, want.buf);
		sb_release(&in);
		sb_release(&want);
		sb_release(&got);
	}
}

/*
 * txt_fold_memo gives txt_fold's folds: its memo for code points it may
 * take one by one, txt_fold itself for what combines with a neighbour
 * (Hangul jamo, combining marks) and for invalid UTF-8.
 */
static void test_fold_memo(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "München, Bayern", "munchen bayern" },
		{ "Straße", "strasse" },
		{ "\xef\xac\x81nland", "finland" },                 /* U+FB01 ligature fi */
		{ "\xc4\xb0stanbul", "istanbul" },                  /* İ folds to i + combining dot, stripped */
		{ "\xe2\x85\xab. Bezirk", "xii bezirk" },            /* U+216B roman twelve */
		{ "Ｔｏｋｙｏ", "tokyo" },
		{ "Sa\xe2\x80\x99" "dah", "sadah" },                 /* right single quote: a joiner */
		{ "Que\xcc\x81" "bec", "quebec" },                   /* e + combining acute */
		{ "\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80" },      /* jamo G + A compose: U+AC00 */
		{ "\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81" },      /* U+AC00 + jamo final G: U+AC01 */
		{ "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xe2\x80\x94 \xd0\xa0\xd0\xbe\xd1\x81\xd1\x81\xd0\xb8\xd1\x8f",
		  "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd1\x80\xd0\xbe\xd1\x81\xd1\x81\xd0\xb8\xd1\x8f" }, /* Москва — Россия */
		{ "\xe5\x8c\x97\xe4\xba\xac\xe3\x80\x81\xe4\xb8\xad\xe5\x9b\xbd", "\xe5\x8c\x97\xe4\xba\xac \xe4\xb8\xad\xe5\x9b\xbd" }, /* 北京、中国 */
		{ "\xff\xfe" "Bad\x80", "bad" },                     /* invalid bytes */
		{ "\xc3\xa9\xc3\xa9\xc3\xa9", "eee" },
		{ "  \xc3\x89  ", "e" },
		{ "", "" },
	};
	struct txt_fold_memo *m = txt_fold_memo_new();
	struct strbuf got = STRBUF_INIT, ref = STRBUF_INIT;
	(void)state;
	for (int round = 0; round < 2; round++) { /* the second round from the memo */
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			size_t n = strlen(cases[i].in);
			assert_int_equal(txt_fold_memo(m, &got, cases[i].in, n), strlen(cases[i].want));
			assert_string_equal(got.buf, cases[i].want);
			txt_fold(&ref, cases[i].in, n, 0);
			assert_string_equal(got.buf, ref.buf);
		}
	}
	sb_release(&got);
	sb_release(&ref);
	txt_fold_memo_free(m);
	txt_fold_memo_free(NULL);
}

static void test_escapes(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	txt_html_escape(&sb, "<script>\"x\" & 'y'", 17);
	assert_string_equal(sb.buf, "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;");
	sb_reset(&sb);
	txt_csv_cell(&sb, "=HYPERLINK(\"x\")", 15);
	assert_string_equal(sb.buf, "\"'=HYPERLINK(\"\"x\"\")\"");
	sb_reset(&sb);
	txt_csv_cell(&sb, "Berlin", 6);
	assert_string_equal(sb.buf, "Berlin");
	sb_reset(&sb);
	txt_csv_cell(&sb, "-1+2", 4);
	assert_string_equal(sb.buf, "'-1+2");
	sb_reset(&sb);
	/* Markdown: quotes stay quotes (no HTML entities), markup is backslash-escaped */
	{
		const char *md = "\"Home\" it's <b>&amp; a|b*c_\nd";
		txt_md_escape(&sb, md, strlen(md));
	}
	assert_string_equal(sb.buf, "\"Home\" it's \\<b\\>\\&amp; a\\|b\\*c\\_ d");
	sb_reset(&sb);
	txt_label(&sb, "a\tb\nc`d", 7, 100);
	assert_string_equal(sb.buf, "a b c`d");
	sb_reset(&sb);
	txt_label(&sb, "", 0, 100);
	assert_string_equal(sb.buf, "-");
	sb_reset(&sb);
	txt_label(&sb, "Zürich Zürich", 14, 8);  /* cut at a character boundary */
	assert_true(txt_utf8_valid(sb.buf, sb.len));
	assert_true(sb.len <= 8);
	sb_release(&sb);
}

/* xcalloc_table: zeroed; from 2 MiB up on a 2 MiB boundary (huge pages need it), below as xcalloc */
static void test_table(void **state)
{
	size_t big = 3 * 1024 * 1024 + 5;
	unsigned char *b = xcalloc_table(big), *s = xcalloc_table(100);
	(void)state;
	assert_int_equal((uintptr_t)b % (2 * 1024 * 1024), 0);
	assert_int_equal(b[0], 0);
	assert_int_equal(b[big / 2], 0);
	assert_int_equal(b[big - 1], 0);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(s[i], 0);
	b[big - 1] = 7; /* all of it is the caller's */
	free(b);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_addfixed),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_memo),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
