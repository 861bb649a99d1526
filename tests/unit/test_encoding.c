#include "unit.h"

#include "encoding.h"
#include "util.h"

/* Decode in pieces of at most step bytes; returns the concatenated UTF-8. */
static char *decode_all(const unsigned char *in, size_t len, size_t step, const char **name)
{
	struct enc e;
	struct strbuf out = STRBUF_INIT, all = STRBUF_INIT;
	size_t skip = enc_start(&e, in, len), pos = skip;
	sb_init(&all, 0);
	do {
		size_t n = len - pos < step ? len - pos : step, olen;
		const char *t = enc_decode(&e, in + pos, n, pos + n == len, &out, &olen);
		sb_add(&all, t, olen);
		pos += n;
	} while (pos < len);
	if (name)
		*name = enc_name(&e);
	sb_release(&out);
	return sb_detach(&all, NULL);
}

static void check(const void *in, size_t len, size_t step, const char *want, const char *want_enc)
{
	const char *name;
	char *got = decode_all(in, len, step, &name);
	assert_string_equal(got, want);
	assert_string_equal(name, want_enc);
	free(got);
}

static void test_bom_detection(void **state)
{
	struct enc e;
	(void)state;
	assert_int_equal(enc_start(&e, (const unsigned char *)"\xef\xbb\xbfx", 4), 3);
	assert_string_equal(enc_name(&e), "utf-8-bom");
	assert_true(enc_passthrough(&e));
	assert_int_equal(enc_start(&e, (const unsigned char *)"\xff\xfex\0", 4), 2);
	assert_string_equal(enc_name(&e), "utf-16le");
	assert_false(enc_passthrough(&e));
	assert_int_equal(enc_start(&e, (const unsigned char *)"\xfe\xff\0x", 4), 2);
	assert_string_equal(enc_name(&e), "utf-16be");
	assert_int_equal(enc_start(&e, (const unsigned char *)"abc", 3), 0);
	assert_string_equal(enc_name(&e), "utf-8");
	assert_int_equal(enc_start(&e, (const unsigned char *)"", 0), 0);
	assert_string_equal(enc_name(&e), "utf-8");
	/* BOM-less UTF-16 is recognised by its NUL pattern */
	assert_int_equal(enc_start(&e, (const unsigned char *)"N\0a\0m\0e\0,\0", 10), 0);
	assert_string_equal(enc_name(&e), "utf-16le");
	assert_int_equal(enc_start(&e, (const unsigned char *)"\0N\0a\0m\0e\0,", 10), 0);
	assert_string_equal(enc_name(&e), "utf-16be");
}

static void test_utf16_streaming(void **state)
{
	/* "A😀é\n" in UTF-16LE with BOM, then a lone high surrogate before 'B', then a lone low one */
	static const unsigned char le[] = { 0xFF, 0xFE, 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0xE9, 0, '\n', 0,
					    0x3D, 0xD8, 'B', 0, 0x00, 0xDE };
	static const unsigned char be[] = { 0xFE, 0xFF, 0, 'A', 0xD8, 0x3D, 0xDE, 0x00, 0, 0xE9, 0, '\n' };
	const char *want = "A\xf0\x9f\x98\x80\xc3\xa9\n\xef\xbf\xbd" "B\xef\xbf\xbd";
	(void)state;
	/* every split point: odd bytes and half surrogate pairs carry over */
	for (size_t step = 1; step <= sizeof(le); step++)
		check(le, sizeof(le), step, want, "utf-16le");
	for (size_t step = 1; step <= sizeof(be); step++)
		check(be, sizeof(be), step, "A\xf0\x9f\x98\x80\xc3\xa9\n", "utf-16be");
	/* a dangling odd byte and a dangling high surrogate at the end become U+FFFD */
	check("\xff\xfe" "A\0B", 5, 2, "A\xef\xbf\xbd", "utf-16le");
	check("\xff\xfe" "A\0\x3d\xd8", 6, 6, "A\xef\xbf\xbd", "utf-16le");
}

static void test_cp1252(void **state)
{
	(void)state;
	/* invalid as UTF-8, no valid multi-byte sequence: Windows-1252 */
	check("M\xfcnchen \x80 \x84quoted\x93 \x81", 21, 100,
	      "M\xc3\xbcnchen \xe2\x82\xac \xe2\x80\x9equoted\xe2\x80\x9c \xef\xbf\xbd", "windows-1252");
	/* decided on the first chunk that holds a high byte, ASCII chunks before it pass through */
	check("abc,def\nK\xf6ln\n", 14, 8, "abc,def\nK\xc3\xb6ln\n", "windows-1252");
	/* valid UTF-8 present: UTF-8, invalid bytes left for the reader to sanitise */
	check("Z\xc3\xbcrich \xff", 10, 100, "Z\xc3\xbcrich \xff", "utf-8");
	/* a sequence cut by the chunk end is no evidence either way */
	check("ab\xc3", 3, 100, "ab\xc3", "utf-8");
	check("plain ascii", 11, 4, "plain ascii", "utf-8");
}

/*
 * A Windows-1252 start, then UTF-8 (rows pasted in from a UTF-8 export): the
 * valid sequences are kept as UTF-8 (not "KÃ¶ln"), at every split point (a
 * sequence cut by a chunk end waits for the next), and counted in e.kept.
 */
static void test_cp1252_then_utf8(void **state)
{
	static const char in[] = "M\xfcnchen\nK\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80\nZ\xfc \xc3";
	const char *want = "M\xc3\xbcnchen\nK\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80\nZ\xc3\xbc \xc3\x83";
	struct enc e;
	struct strbuf out = STRBUF_INIT;
	size_t olen, kept = 0;
	(void)state;
	/* (a first chunk that holds the UTF-8 too is UTF-8: steps of 11 bytes and more) */
	for (size_t step = 1; step <= 10; step++)
		check(in, sizeof(in) - 1, step, want, "windows-1252");
	/* three sequences kept, the cut one at the very end read as Windows-1252 */
	enc_start(&e, (const unsigned char *)in, 9);
	enc_decode(&e, (const unsigned char *)in, 9, 0, &out, &olen);
	assert_string_equal(enc_name(&e), "windows-1252");
	assert_int_equal(e.kept, 0);
	for (size_t pos = 9; pos < sizeof(in) - 1; pos += 5) {
		size_t n = sizeof(in) - 1 - pos < 5 ? sizeof(in) - 1 - pos : 5;
		enc_decode(&e, (const unsigned char *)in + pos, n, pos + n == sizeof(in) - 1, &out, &olen);
		kept += e.kept;
	}
	assert_int_equal(kept, 3);
	/* a cut sequence followed by a byte that does not continue it: both Windows-1252 */
	check("K\xf6 \xc3" "a", 5, 4, "K\xc3\xb6 \xc3\x83" "a", "windows-1252");
	sb_release(&out);
}

/* Valid UTF-8 stays, each other high byte is Windows-1252; the count is of bytes read so. */
static void test_utf8_mixed(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_int_equal(enc_utf8_mixed(&sb, "Z\xc3\xbcrich K\xf6ln", 13), 1);
	assert_string_equal(sb.buf, "Z\xc3\xbcrich K\xc3\xb6ln");
	sb_reset(&sb);
	/* 0x80 is the euro sign, 0x81 undefined, a cut sequence at the end read byte by byte */
	assert_int_equal(enc_utf8_mixed(&sb, "\x80\x81 \xe2\x82", 5), 4);
	assert_string_equal(sb.buf, "\xe2\x82\xac\xef\xbf\xbd \xc3\xa2\xe2\x80\x9a");
	sb_reset(&sb);
	assert_int_equal(enc_utf8_mixed(&sb, "plain", 5), 0);
	assert_string_equal(sb.buf, "plain");
	sb_release(&sb);
}

static void test_put_utf8(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	enc_put_utf8(&sb, 'a');
	enc_put_utf8(&sb, 0xE9);
	enc_put_utf8(&sb, 0x20AC);
	enc_put_utf8(&sb, 0x1F600);
	enc_put_utf8(&sb, 0xD800);   /* surrogate */
	enc_put_utf8(&sb, 0x110000); /* out of range */
	assert_string_equal(sb.buf, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd\xef\xbf\xbd");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom_detection),
		cmocka_unit_test(test_utf16_streaming),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_cp1252_then_utf8),
		cmocka_unit_test(test_put_utf8),
		cmocka_unit_test(test_utf8_mixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
