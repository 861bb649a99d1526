#ifndef VCARD_H
#define VCARD_H

/*
 * vcard: a streaming reader of vCard 2.1, 3.0 and 4.0 address books (Apple
 * Contacts and iCloud, Android, Google), one contact per card.
 *
 * Text (UTF-8) goes in in pieces of any size (vc_feed); each card
 * (BEGIN:VCARD .. END:VCARD) comes out once, through the callback, with
 * the properties netreach reads. What it handles:
 *  - line folding (a line starting with a space or tab continues the one
 *    before), CR, LF or CRLF line ends;
 *  - group prefixes ("item1.ADR") and parameters in both styles
 *    ("TYPE=WORK,pref", "TYPE=work;TYPE=pref", 2.1's bare "WORK;PREF",
 *    "PREF=1");
 *  - ENCODING=QUOTED-PRINTABLE (2.1) with its soft line breaks ("=" at the
 *    end of a line), and backslash escapes (\, \; \\ \n);
 *  - ADR: the locality, region and country of the address chosen by type:
 *    WORK first, then HOME, then any other, a preferred one first within a
 *    type; a component empty in it and given by Apple's X-ABADR (country
 *    code) of the same group fills the country;
 *  - GEO: "geo:LAT,LON" (4.0) or "LAT;LON" (3.0);
 *  - FN, N (family;given), ORG (its first component), TITLE, the first
 *    EMAIL, the first URL holding "linkedin." (else the first URL).
 * A NUL byte reads as a space. Nested cards (2.1 AGENT) are ignored. Lines outside a card are ignored.
 * A logical line longer than VC_LINE_MAX bytes is cut there (a PHOTO),
 * and the card is skipped only if a property that netreach reads was cut.
 * Memory is bounded by that limit: nothing grows with the number of cards.
 *
 * Ownership: the parser owns the strings of a card; they are valid during
 * the callback only. vc_release frees the parser.
 */

#include <stddef.h>

#include "util.h"

#define VC_LINE_MAX (1024 * 1024)

enum vc_field {
	VC_FN, VC_GIVEN, VC_FAMILY, VC_ORG, VC_TITLE, VC_EMAIL, VC_URL,
	VC_CITY, VC_REGION, VC_COUNTRY, VC_FIELD_COUNT
};

struct vc_card {
	unsigned long line;          /* line of BEGIN:VCARD (1-based) */
	const char *skip_reason;     /* NULL, or static: "unterminated card", "field longer than 1 MiB" */
	const char *field[VC_FIELD_COUNT];  /* NUL-terminated, "" when absent */
	size_t len[VC_FIELD_COUNT];
	int has_geo;
	double lat, lon;
};

/* Return nonzero to stop (vc_feed and vc_finish then do nothing more). */
typedef int (*vc_card_fn)(const struct vc_card *card, void *ctx);

struct vc_parser;

/* A new parser calling fn(card, ctx) for each card. */
struct vc_parser *vc_new(vc_card_fn fn, void *ctx);

/* Feed len bytes of text. Returns 0, or the callback's nonzero value (kept: later calls return it). */
int vc_feed(struct vc_parser *p, const char *s, size_t len);

/* End of input: a card still open is reported as skipped ("unterminated card"). Returns as vc_feed. */
int vc_finish(struct vc_parser *p);

/* Cards seen so far (reported ones, skipped included). */
unsigned long vc_cards(const struct vc_parser *p);

void vc_free(struct vc_parser *p);

/* Nonzero when text (the start of a file, after any BOM) begins with BEGIN:VCARD, blank lines allowed. */
int vc_sniff(const char *s, size_t len);

#endif
