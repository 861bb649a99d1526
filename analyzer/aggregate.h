#ifndef AGGREGATE_H
#define AGGREGATE_H

/*
 * aggregate: the rows of exports, gathered into what the analysis works
 * from, per distinct location string rather than per row.
 *
 *   ing_read --row--> ag_row: one loc per distinct location string (or
 *     distinct coordinates rounded to 0.001 degree) with its count (per
 *     input too), a (month, loc) table, the URL set (de-duplication of
 *     several exports), companies by spelling, contacts per month, the
 *     skipped rows and, for compare, one ag_contact per row
 *
 * The analysis (analyze.c) then resolves each loc once and stores its place
 * in ag_loc.place; ag_month_places and ag_take_contacts turn locs into
 * places. Memory grows with distinct strings, never with rows (except the
 * contacts compare asks for), and is bounded by max_distinct: past it a new
 * string is resolved on arrival with the gazetteer (ag_options.gz) and
 * counted by place (AG_LOC_PLACED) or by reason (AG_LOC_OVERFLOW), a new
 * coordinate by reason; every row is still counted exactly once.
 *
 * A split read (ing_split) gathers the second half of an export into a
 * second, plain aggregator (ag_init_part: it never resolves; at a quarter
 * of the limit it gives up and its rows are read again), which ag_join
 * merges into the first as if the first had read those rows itself.
 *
 * Ownership: struct ag owns everything in it (ag_release); ag_take_*
 * moves an array to the caller. Its fields are read-only outside
 * aggregate.c except ag_loc.place, which is the caller's.
 */

#include <stdint.h>

#include "geocode.h"
#include "ingest.h"
#include "stats.h"
#include "util.h"

#define AG_NONE UINT32_MAX           /* no loc / no place */
#define AG_GAVE_UP 1                 /* ag_row of a second part: stop, the rows are read again */
#define AG_MONTH_BASE (1900 * 12)
#define AG_MONTHS (300 * 12)         /* ing_parse_month gives years 1900 to 2199 */
#define AG_OVERFLOW_COORDS "past the limit of distinct coordinates kept"

enum ag_loc_kind {
	AG_LOC_STRING,               /* a distinct location string (key: entry in strs) */
	AG_LOC_COORDS,               /* distinct rounded coordinates (key: entry in coords; lat_e3, lon_e3) */
	AG_LOC_PLACED,               /* past max_distinct: strings resolved on arrival to one place (placed) */
	AG_LOC_OVERFLOW              /* past max_distinct: unresolved strings or coordinates, by reason */
};

struct ag_loc {
	enum ag_loc_kind kind;
	size_t key;                  /* entry index in strs, coords, placed or overflow */
	int32_t lat_e3, lon_e3;      /* coordinates * 1000, rounded (AG_LOC_COORDS) */
	unsigned long count;
	unsigned long *in;           /* count per input; NULL with one input (count is that) */
	const char *reason;          /* AG_LOC_OVERFLOW: why unresolved (static); the caller's after that */
	struct gc_place *placed;     /* AG_LOC_PLACED: the place (strings in the gazetteer) */
	uint32_t place;              /* the caller's: index of the loc's place, AG_NONE until then or unresolved */
};

/* Row accounting of one input (or all): rows == (resolved + unresolved, by locs) + no_location + skipped. */
struct ag_counts {
	unsigned long rows;          /* data records */
	unsigned long no_location;
	unsigned long skipped;       /* ingest's skipped rows plus duplicates */
	unsigned long duplicates;    /* rows whose profile URL an earlier row (this or an earlier input) had */
	unsigned long empty_rows;    /* LinkedIn's empty rows (ING_EMPTY_LINKEDIN), also in skipped */
};

/* A skipped row. */
struct ag_skipped {
	size_t input;                /* index of the input */
	unsigned long line;
	const char *reason;          /* static */
};

/*
 * One contact, for compare: hashed identities (0 where the export has
 * none) and where it lives. compare matches by URL, else e-mail, else
 * name + company.
 */
struct ag_contact {
	uint64_t url;                /* hash of the normalised profile URL (ing_url_key) */
	uint64_t email;              /* hash of the e-mail, lower case, blanks removed */
	uint64_t name;               /* hash of folded name + "\x1f" + folded company */
	uint32_t place;              /* index into places (a loc until ag_take_contacts), or AG_NONE */
};

/* An employer (the Company cell) and how many contacts work there. */
struct ag_company {
	char *name;                  /* the most common spelling (ties: the first in byte order), UTF-8 sanitised */
	unsigned long count;
};

/* Contacts connected in a month (all of them, with a location or not). */
struct ag_month_count {
	int month;                   /* year * 12 + (month - 1) */
	unsigned long count;
};

struct ag_options {
	size_t nr_inputs;            /* exports read into this aggregator (>= 1) */
	size_t max_distinct;         /* distinct strings, coordinates and companies kept (>= 1) */
	size_t max_listed;           /* skipped rows listed (all are counted) */
	int keep_contacts;           /* one ag_contact per row (compare) */
	int dedup;                   /* skip rows whose profile URL an earlier row had (several exports) */
	const struct gz *gz;         /* resolves strings past max_distinct (lent) */
};

/* private parts of struct ag */
struct ag_u64set {
	uint64_t *slots;
	size_t n, cap;
};
/*
 * The (month, loc) table: one 8-byte slot per pair (key loc * AG_MONTHS +
 * the month since AG_MONTH_BASE, and a 32-bit count) at load <= 3/4; a
 * pair that does not fit one (a loc from AG_MTAB_NARROW_LOCS on, a month
 * out of range, a count past UINT32_MAX) is counted in 16-byte slots
 * (wide), and ag_month_places merges the two.
 */
#define AG_MTAB_LAG 16
#define AG_MTAB_NARROW_LOCS (UINT32_MAX / AG_MONTHS)
struct ag_mtab {
	struct ag_mslot {
		uint32_t key;
		uint32_t count;      /* 0: empty */
	} *slots;
	size_t n, cap;
	struct ag_wslot {
		uint64_t key;        /* month << 32 | loc */
		unsigned long count;
	} *wide;
	size_t wn, wcap;
	uint32_t ring[AG_MTAB_LAG];  /* narrow keys */
	unsigned ring_n, ring_at;
};

/*
 * An index of the short location strings (up to AG_SIDX_KEY bytes) in
 * front of strs: one 64-byte bucket per string holds its bytes, length,
 * 16 bits of its hash, its loc and the rows counted into the loc since the
 * last ag_flush, so that a row reads and writes one bucket (one or two
 * adjacent cache lines; aligning them to lines measured no different)
 * instead of strs' slot, entry and key and the loc (open addressing, load
 * <= 1/2). It holds the first AG_SIDX_MAX / 2 short strings seen (at
 * most 8 MiB); later ones are found in strs alone. A second index does the
 * same for the spellings of companies (its loc: the spelling's entry in
 * companies, whose count the bucket's adds to).
 */
#define AG_SIDX_KEY 52
#define AG_SIDX_MAX (128 * 1024)
struct ag_sbucket {
	uint16_t tag;                /* bits 32 to 47 of the hash */
	uint16_t len;                /* 0: empty */
	uint32_t count;              /* rows counted here since ag_flush; UINT32_MAX: full, they go to the loc */
	uint32_t loc;
	char key[AG_SIDX_KEY];
};
struct ag_sidx {
	struct ag_sbucket *b;
	size_t cap, n;
	unsigned long held;          /* rows counted in the buckets since ag_flush */
};

/*
 * A row held back by ag_row (AG_LAG rows): its location string, or its
 * coordinates, and month. It is counted AG_LAG rows after it came, when
 * the index bucket prefetched on arrival is in cache (the miss overlaps the
 * parsing of the rows in between); ag_flush counts the rest, in order.
 */
#define AG_LAG 8
struct ag_pend {
	struct strbuf key;           /* the location string; empty: coordinates */
	uint64_t hash;               /* idx_hash of a short key */
	double lat, lon;
	int32_t month;
	int dated;
};

struct ag {
	struct ag_options opt;
	size_t input;                /* the input being read (ag_row counts into it) */

	/* results */
	struct ag_counts total;
	struct ag_counts *in;        /* per input */
	struct ag_loc *locs;         /* in order of first sight */
	size_t nr_locs;
	struct ag_skipped *skipped;  /* the first max_listed skipped rows, in input order */
	size_t nr_skipped;
	struct ag_contact *contacts; /* with keep_contacts, one per row not skipped */
	size_t nr_contacts;
	unsigned long with_company;  /* contacts with a non-empty Company cell */
	unsigned long companies_unlisted; /* of them, with a spelling past max_distinct */
	unsigned long overflow_rows; /* rows resolved on arrival or counted by reason past max_distinct */
	size_t split_reads;          /* second parts merged (ag_join) */
	struct strmap strs, coords;  /* location string / {lat_e3, lon_e3} -> loc */

	/* private */
	size_t alloc_locs, alloc_skipped, alloc_contacts;
	struct ag_mtab months, months2;
	uint32_t *months2_loc;
	struct strmap placed, overflow, companies;
	struct gc *ogc;
	size_t ogc_used;
	struct ag_u64set urls;
	int second_part, gave_up;
	struct strbuf url, tmp, tmp2;
	unsigned long *by_month;
	struct ag_sidx sidx;
	struct ag_sidx cidx;         /* the short spellings of companies: their entry in companies */
	struct ag_pend pend[AG_LAG];
	unsigned pend_n, pend_at;    /* rows held back; the next slot */
};

/* Start empty with the settings o (copied). */
void ag_init(struct ag *a, const struct ag_options *o);
void ag_release(struct ag *a);

/*
 * An empty aggregator for the second part of a split read of main's
 * current input: the same settings, a quarter of the distinct limit (so
 * memory stays within 1.25 times it), no contacts, no URL set, and it never
 * resolves: at the limit ag_row returns AG_GAVE_UP.
 */
void ag_init_part(struct ag *part, const struct ag *main);

/*
 * ing_read's row callback (vag: the struct ag): count row into input
 * a->input. Returns 0, or AG_GAVE_UP from a second part at its limit.
 * Allocates only for a new distinct string, coordinate or company (and the
 * growing tables), never per row otherwise. The loc of a row with a
 * location is counted up to AG_LAG rows later (without keep_contacts), and
 * the counts of locs and companies gather in the indexes' buckets: call
 * ag_flush before reading the locs, counts or companies, and before
 * a->input changes; ag_end_rows, ag_join and ag_month_places flush
 * themselves.
 */
int ag_row(const struct ing_row *row, void *vag);

/* Count the rows ag_row has held back and move the indexes' counts to the locs and companies; then they are complete. */
void ag_flush(struct ag *a);

/*
 * ing_split's join (vag, vpart: struct ag): when use, merge the second
 * part into a as if a had read those rows after its own (their lines
 * counted from base) and return 0, or refuse (1, a unchanged) when a would
 * pass its distinct limit or already holds a second part; then empty
 * vpart for the next cut (ag_init_part). Returns 1 when !use.
 */
int ag_join(void *vag, void *vpart, unsigned long base, int use);

/* The location string of loc i (AG_LOC_STRING), as written. */
const char *ag_loc_text(const struct ag *a, size_t i, size_t *len);

/* Rows of loc l that came from input k. */
static inline unsigned long ag_loc_in(const struct ag_loc *l, size_t k)
{
	return l->in ? l->in[k] : l->count;
}

/* Stop resolving past the limit: free the resolver (no more rows come); flushes (ag_flush). */
void ag_end_rows(struct ag *a);

/*
 * The (month, place) table: the rows with a date, by the place their loc
 * resolved to (ag_loc.place; unresolved ones left out), sorted by month
 * then place, equal pairs merged. Empties the aggregator's tables; the
 * array is the caller's.
 */
struct st_month_place *ag_month_places(struct ag *a, size_t *n);

/* The contacts with their places (ag_loc.place) instead of locs; the array is the caller's. */
struct ag_contact *ag_take_contacts(struct ag *a, size_t *n);

/* The skipped rows listed; the array is the caller's. */
struct ag_skipped *ag_take_skipped(struct ag *a, size_t *n);

/*
 * Companies: the spellings counted folded together by key (txt_fold, a
 * leading "the " dropped), by count desc then name, into *companies; each of
 * targets[0..nr_targets) with the contacts whose company has its key, in
 * that order, into *out_targets. Contacts per month since 1900, months
 * ascending, into *connected, their sum in *dated. Work per distinct
 * spelling and per target. The arrays are the caller's (names included).
 * Both read what ag_flush completed.
 */
void ag_companies(const struct ag *a, char *const *targets, size_t nr_targets, struct ag_company **companies,
		  size_t *nr_companies, struct ag_company **out_targets);
void ag_connected(const struct ag *a, struct ag_month_count **connected, size_t *nr, unsigned long *dated);

#endif
