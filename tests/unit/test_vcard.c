#include "unit.h"

#include "vcard.h"
#include "util.h"

/* Copies of the cards a parse reported. */
struct cards {
	struct {
		unsigned long line;
		const char *reason;
		char *f[VC_FIELD_COUNT];
		int has_geo;
		double lat, lon;
	} v[8];
	int n;
};

static int grab(const struct vc_card *c, void *ctx)
{
	struct cards *cs = ctx;
	assert_true(cs->n < 8);
	cs->v[cs->n].line = c->line;
	cs->v[cs->n].reason = c->skip_reason;
	for (int k = 0; k < VC_FIELD_COUNT; k++) {
		assert_int_equal(strlen(c->field[k]), c->len[k]); /* no NUL inside a value */
		cs->v[cs->n].f[k] = xstrndup(c->field[k], c->len[k]);
	}
	cs->v[cs->n].has_geo = c->has_geo;
	cs->v[cs->n].lat = c->lat;
	cs->v[cs->n].lon = c->lon;
	cs->n++;
	return 0;
}

static void parse(const char *text, size_t step, struct cards *cs)
{
	struct vc_parser *p = vc_new(grab, cs);
	size_t n = strlen(text);
	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < n; i += step)
		assert_int_equal(vc_feed(p, text + i, n - i < step ? n - i : step), 0);
	assert_int_equal(vc_finish(p), 0);
	assert_int_equal(vc_cards(p), (unsigned long)cs->n);
	vc_free(p);
}

static void release(struct cards *cs)
{
	for (int i = 0; i < cs->n; i++)
		for (int k = 0; k < VC_FIELD_COUNT; k++)
			free(cs->v[i].f[k]);
}

static const char apple[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Quill;Ada;;;\r\nFN:Ada Quill\r\nORG:Lakeshore Press;Editorial\r\n"
	"item2.ADR;type=HOME:;;1 Elm;Lyon;;;France\r\n"
	"item1.ADR;type=WORK;type=pref:;;12 Lake St;Madi\r\n son;WI;53703;\r\nitem1.X-ABADR:us\r\n"
	"item3.URL:https\\://example.com\r\nitem4.URL;type=pref:https\\://www.linkedin.com/in/ada\r\n"
	"PHOTO;ENCODING=b:AAAA\r\n BBBB\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\r\n=C3=BCrgen\r\n"
	"AGENT:\r\nBEGIN:VCARD\r\nFN:Nested\r\nADR:;;;Rome;;;Italy\r\nEND:VCARD\r\n"
	"ADR;HOME;PREF:;;;Bergen;;;Norway\r\nADR;HOME:;;;Oslo;;;Norway\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Geo\\, Only\r\nGEO:geo:45.5,-122.25;u=10\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nFN:Open\r\n";

static void test_cards(void **state)
{
	struct cards cs;
	(void)state;
	/* the same cards whatever the pieces (cuts inside CRLF, folds, escapes) */
	for (size_t step = 1; step <= sizeof(apple); step += step < 8 ? 1 : 61) {
		parse(apple, step, &cs);
		assert_int_equal(cs.n, 4);
		/* WORK before HOME; the fold joined; Apple's X-ABADR of the group gives the country */
		assert_int_equal(cs.v[0].line, 1);
		assert_string_equal(cs.v[0].f[VC_CITY], "Madison");
		assert_string_equal(cs.v[0].f[VC_REGION], "WI");
		assert_string_equal(cs.v[0].f[VC_COUNTRY], "US");
		assert_string_equal(cs.v[0].f[VC_FAMILY], "Quill");
		assert_string_equal(cs.v[0].f[VC_GIVEN], "Ada");
		assert_string_equal(cs.v[0].f[VC_ORG], "Lakeshore Press");
		assert_string_equal(cs.v[0].f[VC_URL], "https://www.linkedin.com/in/ada");
		assert_null(cs.v[0].reason);
		/* 2.1: quoted-printable with a soft break; nested card ignored; preferred HOME first */
		assert_int_equal(cs.v[1].line, 15);
		assert_string_equal(cs.v[1].f[VC_FAMILY], "M\xc3\xbcller");
		assert_string_equal(cs.v[1].f[VC_GIVEN], "J\xc3\xbcrgen");
		assert_string_equal(cs.v[1].f[VC_CITY], "Bergen");
		assert_string_equal(cs.v[1].f[VC_FN], "");
		/* 4.0 GEO with a parameter; escaped comma */
		assert_string_equal(cs.v[2].f[VC_FN], "Geo, Only");
		assert_true(cs.v[2].has_geo && cs.v[2].lat == 45.5 && cs.v[2].lon == -122.25);
		assert_string_equal(cs.v[2].f[VC_CITY], "");
		/* no END:VCARD */
		assert_string_equal(cs.v[3].reason, "unterminated card");
		release(&cs);
	}
}

static void test_long_lines(void **state)
{
	struct strbuf t = STRBUF_INIT;
	struct cards cs;
	(void)state;
	/* a PHOTO past the limit is cut and ignored; an ADR past it skips the card */
	sb_adds(&t, "BEGIN:VCARD\nPHOTO:");
	for (int i = 0; i < VC_LINE_MAX / 64 + 10; i++)
		sb_adds(&t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	sb_adds(&t, "\nADR:;;;Oslo;;;Norway\nEND:VCARD\nBEGIN:VCARD\nADR:;;;");
	for (int i = 0; i < VC_LINE_MAX / 64 + 10; i++)
		sb_adds(&t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	sb_adds(&t, "\nEND:VCARD\n");
	parse(t.buf, 65536, &cs);
	assert_int_equal(cs.n, 2);
	assert_null(cs.v[0].reason);
	assert_string_equal(cs.v[0].f[VC_CITY], "Oslo");
	assert_string_equal(cs.v[1].reason, "field longer than 1 MiB");
	release(&cs);
	sb_release(&t);
	assert_true(vc_sniff("\r\n begin:vcard\r\n", 16));
	assert_false(vc_sniff("First Name,BEGIN:VCARD", 22));
}

/*
 * A quoted-printable "=00" decodes to NUL: found by fuzz_vcard (the card's
 * field was shorter by strlen than its length). It reads as a space, like a
 * raw NUL byte.
 */
static void test_qp_nul(void **state)
{
	struct cards cs;
	(void)state;
	parse("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:A=00B;C\n"
	      "ADR;ENCODING=QUOTED-PRINTABLE:;;;Os=00lo;;;Nor=00way\nEND:VCARD\n", 5, &cs);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.v[0].f[VC_FAMILY], "A B");
	assert_string_equal(cs.v[0].f[VC_GIVEN], "C");
	assert_string_equal(cs.v[0].f[VC_CITY], "Os lo");
	assert_string_equal(cs.v[0].f[VC_COUNTRY], "Nor way");
	release(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cards),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_qp_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
