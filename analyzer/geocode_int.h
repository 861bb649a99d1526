#ifndef GEOCODE_INT_H
#define GEOCODE_INT_H

/*
 * geocode's internal header: what its files share, not an interface for
 * other modules (they include geocode.h). The module is one job per file:
 *
 *   geocode.c        the resolver: cache, the order of the steps (resolve),
 *                    places filled from the gazetteer's records, the
 *                    reverse geocoder, TSV output
 *   geocode_parse.c  a string to parts: splitting, normalised keys, metro
 *                    and region words, stop words, junk
 *   geocode_score.c  the parts to the best reading: scoring places and
 *                    regions against their context, ambiguity, confidence
 *   geocode_fuzzy.c  near spellings: edit distance and the lazily built
 *                    indexes it searches
 *
 * Each file includes this header (which includes geocode.h and
 * gazetteer.h) and nothing of the others. All of it works on a struct gc,
 * which owns everything it points to except the gazetteer.
 */

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"
#include "geocode.h"
#include "text.h"
#include "util.h"

#define MAX_PARTS 12
#define MAX_KEY 200 /* no name in the index is longer; longer parts are not looked into (bounds the work on hostile input) */

/* One part of a split string: a normalised key and what it names in the gazetteer. */
struct part {
	size_t off, len;                /* key in gc->keys */
	const struct gz_posting *post;
	size_t npost;
	int metro;                      /* derived by stripping metro words */
	int weak;                       /* region peeled off the end of a part: ignored when it contradicts */
	int has_region;                 /* has admin-2, admin-1 or country postings */
	size_t rfirst;                  /* the first of them (npost when none): the postings before it are places and metros */
	int region_word;                /* found after stripping a region word ("Minsk Region"): means the region */
	unsigned group;                 /* parts of one piece split at "/", "&", " and " share it: siblings, not context */
	uint16_t fit_cc[4];             /* countries of its places that the later parts agree with (gc_score_places) */
	size_t nfit;
};

struct gc_fuzzy; /* geocode_fuzzy.c */

#define MAX_SEGS 16

/* A comma-separated segment of the string being resolved and its fold (txt_fold) in gc->folds. */
struct seg {
	const char *s;
	size_t len, off, flen;
	uint64_t hash;          /* sm_hash of the fold (its slot prefetched: gz_prefetch) */
};

struct gc {
	const struct gz *gz;
	struct strmap cache;            /* input -> result index */
	struct strmap stop;             /* nonplaces (1) and continents (2), keyed as normalised */
	uint64_t stop_lens[256];        /* gc_stop_words: their lengths by first byte */
	struct gc_place **chunks;
	size_t nchunks, achunks, nresults;
	struct strbuf key, scratch, keys, tmp;
	struct strbuf folds, fold1;     /* gc_whole_key: the segments' folds joined by spaces, one fold */
	struct seg segs[MAX_SEGS];      /* segments whose fold is ASCII (valid during one resolve) */
	size_t nsegs;
	const struct seg *key_seg;      /* gc_normalize: the segment whose fold it copied into gc->key, else NULL */
	struct part parts[MAX_PARTS];
	size_t nparts;
	unsigned group;                 /* the group of the next part (struct part.group) */
	int saw_stop, saw_continent;
	int no_curated;                 /* gc_split_parts reads a curated metro name as a pattern ("Greater X Area") */
	int curated_only;               /* set by gc_split_parts: a part was read only as a curated metro name */
	struct gc_fuzzy *fuzzy;         /* near-spelling indexes (geocode_fuzzy.c; NULL until first need) */
	uint32_t *memo_ref;             /* gc_place: direct-mapped memo of gz_place, MEMO slots: ref + 1 (0 empty) ... */
	const struct gz_place_rec **memo_rec; /* ... and what gz_place returned for it ... */
	double *memo_lpop;              /* ... and log10 of its population for the prior (NAN until needed) */
	double *country_size;           /* per country: the size term of region readings' prior (NAN until needed) */
	size_t *a1off, *a1len;          /* per admin-1 region: its normalised name in a1keys (offset + 1; 0 until needed) */
	struct strbuf a1keys;
	struct txt_fold_memo *fold;     /* every fold of the geocoder goes through it (gc_norm) */
};

#define MEMO 1024 /* a power of two */

/*
 * gz_place(gc->gz, ref), remembered: scoring asks for the same few places
 * many times per string, and gz_place checks the record each time. The
 * answer is the gazetteer's (lent to gc for its lifetime), so it stays valid.
 */
static inline const struct gz_place_rec *gc_place(const struct gc *gc, uint32_t ref)
{
	size_t slot = ref & (MEMO - 1);
	if (ref == UINT32_MAX)
		return gz_place(gc->gz, ref); /* out of range: the gazetteer's stand-in, and the damage noted */
	if (gc->memo_ref[slot] != ref + 1) {
		gc->memo_rec[slot] = gz_place(gc->gz, ref);
		gc->memo_ref[slot] = ref + 1;
		gc->memo_lpop[slot] = NAN;
	}
	return gc->memo_rec[slot];
}

/* gz_normalize(s[0..len), flags 0) into out, folding by gc->fold (gc->scratch used). */
static inline void gc_norm(struct gc *gc, struct strbuf *out, const char *s, size_t len)
{
	txt_fold_memo(gc->fold, out, s, len);
	gz_expand(out, &gc->scratch);
}

enum { STOP_NONPLACE = 1, STOP_CONTINENT = 2 }; /* values in gc->stop */

/* The gazetteer's postings for key[0..len) (gz_lookup); *post valid while the gazetteer is open. */
static inline size_t gc_lookup(struct gc *gc, const char *key, size_t len, const struct gz_posting **post)
{
	return gz_lookup(gc->gz, key, len, post);
}

/* Does any of the n postings name a region (region 1: admin-2, admin-1, country) or a place (region 0)? */
static inline int gc_has_type(const struct gz_posting *p, size_t n, int region)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i].type == GZ_T_ADMIN2 || p[i].type == GZ_T_ADMIN1 || p[i].type == GZ_T_COUNTRY) == region)
			return 1;
	return 0;
}

/* The best reading so far (geocode_score.c fills it, resolve reads it). */
struct best {
	double score, second;
	int type;          /* GZ_T_PLACE (city), GZ_T_ADMIN2, GZ_T_ADMIN1, GZ_T_COUNTRY; -1 none */
	uint32_t ref;
	int kind, metro, context, explained;
	int by_region;     /* a city explained by a named admin-1 region */
	int curated;       /* a city from metros.tsv (never ambiguous) */
	int unchecked;     /* struct cand.unchecked of a city */
	double penalty;
	size_t part;       /* index of the part it was read from */
};

/* ---- geocode_parse.c ---- */

/*
 * Fill stop (empty) with the words that name no place (STOP_NONPLACE) and
 * continents (STOP_CONTINENT), and lens[256] with the lengths of its keys
 * by first byte (bit n: a key of n bytes; bit 63: 63 or more).
 */
void gc_stop_words(struct strmap *stop, uint64_t *lens);

/*
 * Cut s[0..len) into gc->parts (gc->nparts; keys in gc->keys), looking
 * each up; sets gc->saw_stop / saw_continent for stop words dropped, and
 * gc->curated_only when a part names nothing but curated metros (with
 * gc->no_curated set, such a part is read by the metro patterns instead).
 * Resets the parts first; gc->group keeps counting across calls.
 */
void gc_split_parts(struct gc *gc, const char *s, size_t len);

/*
 * gz_normalize of the whole string s[0..len) into gc->key, folding each
 * comma-separated segment once: their folds joined by spaces are the fold
 * of the whole (txt_fold works character by character, and a comma is a
 * separator to it), and a segment whose fold is ASCII is kept in gc->segs
 * for gc_normalize. Resets gc->segs first; s must stay put until the next
 * call.
 */
void gc_whole_key(struct gc *gc, const char *s, size_t len);

/* gz_normalize(s[0..len)) into gc->key (gc->scratch used), from gc->segs when s is one of them (then gc->key_seg is that one, else NULL). */
void gc_normalize(struct gc *gc, const char *s, size_t len);

/* Is s[0..len) (len > 0) markup, code, a placeholder or a spreadsheet value rather than a place? */
int gc_is_junk(const char *s, size_t len);

/* ---- geocode_score.c ---- */

/* The country index a posting's place, region or country lies in. */
uint32_t gc_posting_country(const struct gc *gc, const struct gz_posting *q);

/* Does part pt name a place in country (and in admin-1 region admin1 unless GZ_NONE)? */
int gc_has_place_in(const struct gc *gc, const struct part *pt, uint32_t country, uint32_t admin1);

/* Every city reading of the parts, into *b (initialised by the caller: score -INFINITY, type -1). */
void gc_score_places(struct gc *gc, struct best *b, int alone);

/* Every region and country reading; *skipped_abbr set when a code or abbreviation was passed over. */
void gc_score_regions(struct gc *gc, struct best *b, int alone, int *skipped_abbr);

/*
 * Does an alternate-name reading of the winning city's part dwarf it (by
 * the ratio that makes a namesake too small to count)? Then *b becomes
 * that reading and 1 is returned (its score fields are left as they were).
 */
int gc_dominant_alternate(struct gc *gc, struct best *b, int alone);

/*
 * Is the winning city *b one of several places the string cannot tell
 * apart? 0: no; 1: yes, all of them in its country (or a dependency of
 * it, or its sovereign); 2: yes, and one in another country (the string
 * then settles no country either).
 */
int gc_ambiguous_city(struct gc *gc, const struct best *b, int alone);

/* Confidence (0..1) of the winning reading *b. */
double gc_confidence(const struct best *b);

/* ---- geocode_fuzzy.c ---- */

/*
 * A near spelling of key[0..len) among the places of country (and of
 * admin-1 region admin1 unless GZ_NONE): the place or GZ_NONE, *dist the
 * edits. Builds gc->fuzzy's indexes on first need.
 */
uint32_t gc_fuzzy_place(struct gc *gc, const char *key, size_t len, uint32_t country, uint32_t admin1, size_t *dist);

/*
 * Damerau-Levenshtein distance (optimal string alignment) of a[0..n) and
 * b[0..m) when it is at most max, else a value above max (also for keys
 * over 64 bytes).
 */
size_t gc_edit_distance(const char *a, size_t n, const char *b, size_t m, size_t max);

/* A near spelling of a bare name among places of 100,000+: the place or GZ_NONE, *dist the edits. */
uint32_t gc_fuzzy_bare(struct gc *gc, const char *key, size_t len, size_t *dist);

/* Free gc->fuzzy (NULL is fine). */
void gc_fuzzy_free(struct gc_fuzzy *fz);

#endif
