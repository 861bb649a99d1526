/*
 * libFuzzer target: bytes to cards through the vCard reader, fed in two
 * pieces cut where the first byte says (line ends, folds and escapes may
 * fall on the cut). Every card is reported once, its strings are
 * NUL-terminated at their length, coordinates in range, and the cut
 * changes nothing.
 */
#include <stdint.h>
#include <string.h>

#include "vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	unsigned long cards, skipped;
	uint64_t hash;
};

static int on_card(const struct vc_card *c, void *ctx)
{
	struct tally *t = ctx;
	t->cards++;
	if (c->skip_reason)
		t->skipped++;
	for (int k = 0; k < VC_FIELD_COUNT; k++) {
		if (!c->field[k] || strlen(c->field[k]) != c->len[k] || c->len[k] > VC_LINE_MAX)
			__builtin_trap();
		for (size_t i = 0; i < c->len[k]; i++)
			t->hash = t->hash * 31 + (unsigned char)c->field[k][i];
		t->hash = t->hash * 31 + 1;
	}
	if (c->has_geo && !(c->lat >= -90 && c->lat <= 90 && c->lon >= -180 && c->lon <= 180))
		__builtin_trap();
	t->hash = t->hash * 31 + c->line;
	return 0;
}

static void run(const char *s, size_t n, size_t cut, struct tally *t)
{
	struct vc_parser *p = vc_new(on_card, t);
	vc_feed(p, s, cut);
	vc_feed(p, s + cut, n - cut);
	vc_finish(p);
	if (vc_cards(p) != t->cards)
		__builtin_trap();
	vc_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally a = { 0, 0, 0 }, b = { 0, 0, 0 };
	size_t cut;
	if (!size)
		return 0;
	cut = data[0] % size;
	run((const char *)data + 1, size - 1, 0, &a);
	run((const char *)data + 1, size - 1, cut > size - 1 ? size - 1 : cut, &b);
	if (a.cards != b.cards || a.skipped != b.skipped || a.hash != b.hash)
		__builtin_trap();
	return 0;
}
