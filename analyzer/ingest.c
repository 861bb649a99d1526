#include "ingest.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoding.h"
#include "text.h"
#include "vcard.h"

#include "banned.h"

#define CHUNK_SIZE (256 * 1024)
#define FIELD_MAX (1024 * 1024)
#define FIELDS_MAX 1000
/*
 * libcsv keeps the field being parsed in a buffer it grows through our
 * realloc function; refusing to grow past ENTRY_CAP makes csv_parse stop
 * with CSV_ENOMEM, and we then drop what it accumulated (see feed()).
 */
#define ENTRY_CAP (FIELD_MAX + 4096)
/* Records (within the first chunk) searched for a known header line. */
#define SNIFF_RECORDS 1000
/*
 * libcsv 3.0.x parser states (libcsv.c: ROW_NOT_BEGUN, FIELD_BEGUN), read
 * from the public struct csv_parser. The line-number and unterminated-quote
 * tests in tests/unit/test_ingest.c fail if a libcsv release changes them.
 */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2
#define NSLOTS (2 * ING_ROLE_COUNT)
/* roles emit_row reads itself, whatever ing_options.omit_fields says (URL too with --locations) */
#define INTERNAL_ROLES (ING_ROLE_BIT(ING_LOCATION) | ING_ROLE_BIT(ING_CITY) | ING_ROLE_BIT(ING_REGION) | \
			ING_ROLE_BIT(ING_COUNTRY) | ING_ROLE_BIT(ING_LAT) | ING_ROLE_BIT(ING_LON) |        \
			ING_ROLE_BIT(ING_CONNECTED_ON))

/* roles a --locations join reads (join_key) */
#define JOIN_ROLES (ING_ROLE_BIT(ING_URL) | ING_ROLE_BIT(ING_EMAIL) | ING_ROLE_BIT(ING_FULL_NAME) | \
		    ING_ROLE_BIT(ING_FIRST_NAME) | ING_ROLE_BIT(ING_LAST_NAME) | ING_ROLE_BIT(ING_COMPANY))

static const char *const role_names[ING_ROLE_COUNT] = {
	"first_name", "last_name", "full_name", "url", "email", "company", "position",
	"connected_on", "location", "city", "region", "country", "lat", "lon"
};

const char *ing_role_name(enum ing_role role)
{
	if ((int)role < 0 || role >= ING_ROLE_COUNT)
		return NULL;
	return role_names[role];
}

int ing_role_parse(const char *name)
{
	for (int i = 0; i < ING_ROLE_COUNT; i++)
		if (!strcmp(name, role_names[i]))
			return i;
	return -1;
}

/*
 * Known header names, already in txt_fold form (lower case, accents
 * stripped, punctuation as single spaces). For each role the earliest
 * matching entry wins; among columns with the same header the leftmost
 * wins. "fallback" entries (Outlook's Home address) are used for a row
 * only when all its primary city/region/country cells are empty. The
 * format hint names the export that this header identifies; the format is
 * the one with the most hints (a header without a role counts twice),
 * ties in format_names order.
 */
static const struct known_header {
	enum ing_role role;
	const char *folded;
	const char *format;
	int fallback;
} known_headers[] = {
	{ ING_FIRST_NAME, "first name", NULL, 0 },
	{ ING_FIRST_NAME, "vorname", NULL, 0 },
	{ ING_FIRST_NAME, "given name", "google", 0 },
	{ ING_FIRST_NAME, "firstname", NULL, 0 },
	{ ING_LAST_NAME, "last name", NULL, 0 },
	{ ING_LAST_NAME, "nachname", NULL, 0 },
	{ ING_LAST_NAME, "family name", "google", 0 },
	{ ING_LAST_NAME, "lastname", NULL, 0 },
	{ ING_LAST_NAME, "surname", NULL, 0 },
	{ ING_FULL_NAME, "fullname", "phantombuster", 0 },
	{ ING_FULL_NAME, "name", NULL, 0 },
	{ ING_FULL_NAME, "full name", NULL, 0 },
	{ ING_FULL_NAME, "display name", NULL, 0 },
	{ ING_FULL_NAME, "nome", NULL, 0 },
	{ ING_FULL_NAME, "nombre", NULL, 0 },
	{ ING_FULL_NAME, "nom", NULL, 0 },
	{ ING_URL, "url", NULL, 0 },
	{ ING_URL, "profile url", NULL, 0 },
	{ ING_URL, "linkedin url", NULL, 0 },
	{ ING_URL, "linkedin profile url", NULL, 0 },
	{ ING_URL, "linkedin profile", NULL, 0 },
	{ ING_URL, "public profile url", NULL, 0 },
	{ ING_URL, "profil url", NULL, 0 },
	{ ING_URL, "linkedinprofileurl", "phantombuster", 0 },
	{ ING_URL, "profileurl", "phantombuster", 0 },
	{ ING_URL, "person linkedin url", "apollo", 0 },
	{ ING_URL, "linkedinurl", "waalaxy", 0 },
	{ ING_URL, "profile", "dux-soup", 0 },
	{ ING_EMAIL, "email address", "linkedin", 0 },
	{ ING_EMAIL, "e mail address", "outlook", 0 },
	{ ING_EMAIL, "e mail adresse", NULL, 0 },
	{ ING_EMAIL, "e mail 1 value", "google", 0 },
	{ ING_EMAIL, "email", NULL, 0 },
	{ ING_EMAIL, "e mail", NULL, 0 },
	{ ING_EMAIL, "primary email", "thunderbird", 0 },
	{ ING_COMPANY, "company", NULL, 0 },
	{ ING_COMPANY, "unternehmen", "linkedin-de", 0 },
	{ ING_COMPANY, "firma", "outlook-de", 0 },
	{ ING_COMPANY, "organization 1 name", "google", 0 },
	{ ING_COMPANY, "organization name", "google", 0 },
	{ ING_COMPANY, "company name", "hubspot", 0 },
	{ ING_COMPANY, "account name", "salesforce", 0 },
	{ ING_COMPANY, "organization", NULL, 0 },
	{ ING_COMPANY, "organisation", NULL, 0 },
	{ ING_COMPANY, "empresa", NULL, 0 },
	{ ING_COMPANY, "entreprise", NULL, 0 },
	{ ING_COMPANY, "azienda", NULL, 0 },
	{ ING_COMPANY, "companyname", "phantombuster", 0 },
	{ ING_COMPANY, "accountname", "salesforce", 0 },
	{ ING_POSITION, "position", NULL, 0 },
	{ ING_POSITION, "job title", NULL, 0 },
	{ ING_POSITION, "organization 1 title", "google", 0 },
	{ ING_POSITION, "organization title", "google", 0 },
	{ ING_POSITION, "title", NULL, 0 },
	{ ING_POSITION, "jobtitle", NULL, 0 },
	{ ING_CONNECTED_ON, "connected on", "linkedin", 0 },
	{ ING_CONNECTED_ON, "verbunden am", "linkedin-de", 0 },
	{ ING_CONNECTED_ON, "connection date", NULL, 0 },
	{ ING_LOCATION, "location", NULL, 0 },
	{ ING_LOCATION, "geo location", "linkedin", 0 },
	{ ING_LOCATION, "geolocation", NULL, 0 },
	{ ING_LOCATION, "standort", NULL, 0 },
	{ ING_LOCATION, "ort", NULL, 0 },
	{ ING_LOCATION, "localizacao", NULL, 0 },
	{ ING_LOCATION, "localisation", NULL, 0 },
	{ ING_LOCATION, "ubicacion", NULL, 0 },
	{ ING_LOCATION, "localizzazione", NULL, 0 },
	{ ING_LOCATION, "locatie", NULL, 0 },
	{ ING_LOCATION, "lieu", NULL, 0 },
	{ ING_LOCATION, "address 1 formatted", "google", 0 },
	{ ING_CITY, "city", NULL, 0 },
	{ ING_CITY, "address 1 city", "google", 0 },
	{ ING_CITY, "business city", "outlook", 0 },
	{ ING_CITY, "ort geschaftlich", "outlook-de", 0 },
	{ ING_CITY, "mailing city", "salesforce", 0 },
	{ ING_CITY, "stadt", NULL, 0 },
	{ ING_CITY, "ville", NULL, 0 },
	{ ING_CITY, "ciudad", NULL, 0 },
	{ ING_CITY, "cidade", NULL, 0 },
	{ ING_CITY, "citta", NULL, 0 },
	{ ING_CITY, "plaats", NULL, 0 },
	{ ING_CITY, "work city", "thunderbird", 0 },
	{ ING_CITY, "mailingcity", "salesforce", 0 },
	{ ING_CITY, "home city", "outlook", 1 },
	{ ING_CITY, "ort privat", "outlook-de", 1 },
	{ ING_CITY, "othercity", "salesforce", 1 },
	{ ING_CITY, "other city", NULL, 1 },
	{ ING_REGION, "state", NULL, 0 },
	{ ING_REGION, "state region", "hubspot", 0 },
	{ ING_REGION, "state province", NULL, 0 },
	{ ING_REGION, "region", NULL, 0 },
	{ ING_REGION, "province", NULL, 0 },
	{ ING_REGION, "address 1 region", "google", 0 },
	{ ING_REGION, "business state", "outlook", 0 },
	{ ING_REGION, "bundesland kanton geschaftlich", "outlook-de", 0 },
	{ ING_REGION, "region geschaftlich", "outlook-de", 0 },
	{ ING_REGION, "mailing state province", "salesforce", 0 },
	{ ING_REGION, "bundesland", NULL, 0 },
	{ ING_REGION, "work state", "thunderbird", 0 },
	{ ING_REGION, "mailingstate", "salesforce", 0 },
	{ ING_REGION, "home state", "outlook", 1 },
	{ ING_REGION, "bundesland kanton privat", "outlook-de", 1 },
	{ ING_REGION, "region privat", "outlook-de", 1 },
	{ ING_REGION, "otherstate", "salesforce", 1 },
	{ ING_REGION, "other state", NULL, 1 },
	{ ING_COUNTRY, "country", NULL, 0 },
	{ ING_COUNTRY, "country region", "hubspot", 0 },
	{ ING_COUNTRY, "address 1 country", "google", 0 },
	{ ING_COUNTRY, "business country region", "outlook", 0 },
	{ ING_COUNTRY, "land region geschaftlich", "outlook-de", 0 },
	{ ING_COUNTRY, "mailing country", "salesforce", 0 },
	{ ING_COUNTRY, "land", NULL, 0 },
	{ ING_COUNTRY, "pays", NULL, 0 },
	{ ING_COUNTRY, "pais", NULL, 0 },
	{ ING_COUNTRY, "paese", NULL, 0 },
	{ ING_COUNTRY, "business country", "outlook", 0 },
	{ ING_COUNTRY, "work country", "thunderbird", 0 },
	{ ING_COUNTRY, "mailingcountry", "salesforce", 0 },
	{ ING_COUNTRY, "home country region", "outlook", 1 },
	{ ING_COUNTRY, "land region privat", "outlook-de", 1 },
	{ ING_COUNTRY, "home country", NULL, 1 },
	{ ING_COUNTRY, "othercountry", "salesforce", 1 },
	{ ING_COUNTRY, "other country region", NULL, 1 },
	{ ING_LAT, "latitude", NULL, 0 },
	{ ING_LAT, "lat", NULL, 0 },
	{ ING_LAT, "breitengrad", NULL, 0 },
	{ ING_LAT, "breite", NULL, 0 },
	{ ING_LAT, "mailinglatitude", "salesforce", 0 },
	{ ING_LAT, "otherlatitude", "salesforce", 1 },
	{ ING_LON, "longitude", NULL, 0 },
	{ ING_LON, "lng", NULL, 0 },
	{ ING_LON, "lon", NULL, 0 },
	{ ING_LON, "long", NULL, 0 },
	{ ING_LON, "langengrad", NULL, 0 },
	{ ING_LON, "lange", NULL, 0 },
	{ ING_LON, "mailinglongitude", "salesforce", 0 },
	{ ING_LON, "otherlongitude", "salesforce", 1 },
	/* headers that only name the export (no role): they count for header sniffing and the format */
	{ ING_ROLE_COUNT, "web page 1", "thunderbird", 0 },
	{ ING_ROLE_COUNT, "home zipcode", "thunderbird", 0 },
	{ ING_ROLE_COUNT, "vmid", "phantombuster", 0 },
	{ ING_ROLE_COUNT, "defaultprofileurl", "phantombuster", 0 },
	{ ING_ROLE_COUNT, "company name for emails", "apollo", 0 },
	{ ING_ROLE_COUNT, "company linkedin url", "apollo", 0 },
	{ ING_ROLE_COUNT, "visittime", "dux-soup", 0 },
	{ ING_ROLE_COUNT, "salesprofile", "dux-soup", 0 },
	{ ING_ROLE_COUNT, "sales navigator profile url", "evaboot", 0 },
	{ ING_ROLE_COUNT, "company linkedin id", "evaboot", 0 },
	{ ING_ROLE_COUNT, "salesnavigatorurl", "waalaxy", 0 },
	{ ING_ROLE_COUNT, "prospectlist", "waalaxy", 0 },
	{ ING_ROLE_COUNT, "sharedconnectionscount", "sales-navigator", 0 },
	{ ING_ROLE_COUNT, "leadsalesurl", "sales-navigator", 0 },
};

/* Format names in tie-break order; "generic" when no hint matched. */
static const char *const format_names[] = {
	"linkedin", "linkedin-de", "google", "outlook", "outlook-de", "hubspot", "salesforce", "thunderbird",
	"phantombuster", "apollo", "dux-soup", "evaboot", "waalaxy", "sales-navigator"
};

size_t ing_known_header_count(void)
{
	return ARRAY_SIZE(known_headers);
}

const char *ing_known_header(size_t i, int *role)
{
	if (i >= ARRAY_SIZE(known_headers))
		return NULL;
	if (role)
		*role = (int)known_headers[i].role;
	return known_headers[i].folded;
}

static int lookup_header(const char *folded, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_headers); i++) {
		const char *k = known_headers[i].folded;
		if (strlen(k) == len && !memcmp(k, folded, len))
			return (int)i;
	}
	return -1;
}

/* ---- the join map (--locations) ---- */

struct join {
	struct strmap map;   /* join key (join_key) -> index */
	unsigned found_cols; /* ING_ROLE_BIT of the --column overrides the locations file has */
	struct strbuf key;   /* scratch for loading */
	struct strbuf text;  /* locations, NUL-separated */
	size_t *off, *len;
	size_t nr, alloc;
};

static void join_release(struct join *j)
{
	sm_release(&j->map);
	sb_release(&j->text);
	sb_release(&j->key);
	free(j->off);
	free(j->len);
	memset(j, 0, sizeof(*j));
}

/* ---- the reader ---- */

enum { PH_HEADER, PH_DATA };

struct reader {
	const char *path;
	const struct ing_options *opt;
	int sniff_records;           /* records searched for the header */
	unsigned long sniff_last;    /* no known header: last line searched (else 0) */
	int need_url;                /* reading a --locations file: a join key and a location required */
	struct join *loading;        /* the join being loaded (need_url) */
	struct ing_info *info;
	struct strbuf *err;
	ing_row_fn fn;
	ing_progress_fn progress;
	void *ctx;
	int status;                  /* nonzero: error or the callback's value; stop */

	/*
	 * Line numbers: text goes to libcsv one physical line at a time
	 * (feed_lines), so at the start of each line the parser's state
	 * tells whether a record can start there.
	 */
	unsigned long line;          /* physical line being fed */
	unsigned long rec_line;      /* line where the record being parsed started */
	int at_line_start;           /* the next byte fed starts a physical line */
	int skip_lf;                 /* a line ended in CR at a chunk end: a leading LF belongs to it */
	int has_cr;                  /* the current chunk holds CR bytes */

	/*
	 * invalid UTF-8 in passthrough text: only copied cells can be seen, so
	 * put_cell looks at those with a byte >= 0x80 and on_row validates the
	 * row when one may be invalid (validate_row)
	 */
	int check_utf8;              /* the text is UTF-8 passthrough (may be invalid) */
	int rec_utf8;                /* Windows-1252 text: the record being parsed holds UTF-8 (feed_cp1252) */
	int utf8_check;              /* a copied cell of the row may be invalid UTF-8 */

	/* the record being parsed */
	size_t nfields;
	int overflow, too_long, unterminated;
	size_t nonempty;             /* its non-empty cells */
	int linkedin_empty;          /* a LinkedIn export: a row with nothing but the date is an empty row */

	int phase;
	struct strbuf hdr;           /* header cells, NUL-separated */
	size_t *hdr_off, *hdr_len;
	size_t hdr_nr, hdr_alloc;

	/*
	 * Where on_field puts a cell: a column that a role reads has a chain
	 * of targets (row.field[role] / field_len[role], or fb_field for an
	 * Outlook Home part), which on_field points at the cell's copy in the
	 * arena. Between rows every target holds "" (length 0), so that cells
	 * past the end of a short row read as empty. Roles with a target that
	 * the caller omitted are set to NULL just for the callback.
	 */
	int *coltgt;                 /* column -> first target, -1 none */
	size_t ncols;
	struct target {
		const char **p;
		size_t *l;
		int next;            /* next target of the same column, -1 none */
		size_t col;
	} tgt[NSLOTS];
	int ntgt;
	int tgt_head[NSLOTS];        /* first target of each column that has one */
	int nheads;
	const char *fb_field[ING_ROLE_COUNT];
	size_t fb_len[ING_ROLE_COUNT];
	int hidden[ING_ROLE_COUNT];  /* roles with a target that the caller omitted */
	int nhidden;
	size_t need_cols;            /* 1 + the last column with a target */
	size_t field_lim;            /* FIELD_MAX, or 0 while overflow is set (see on_field) */

	struct strbuf arena, loc, key;
	const struct join *join;
	struct ing_row row;
};

static void set_err(struct reader *r, int status, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_err(struct reader *r, int status, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	if (r->status)
		return;
	r->status = status;
	sb_reset(r->err);
	sb_addf(r->err, "'%s': ", r->path);
	if (line)
		sb_addf(r->err, "line %lu: ", line);
	va_start(ap, fmt);
	sb_vaddf(r->err, fmt, ap);
	va_end(ap);
}

#define HIGHS 0x8080808080808080ull

static void add_cell(struct reader *r, struct strbuf *sb, const char *s, size_t len)
{
	if (r->check_utf8 && !txt_utf8_valid(s, len))
		enc_utf8_mixed(sb, s, len);
	else
		sb_add(sb, s, len);
	sb_addch(sb, '\0');
}

/* libcsv's field callback while the header is read: keep every cell. */
static void on_header_field(void *data, size_t len, void *vr)
{
	struct reader *r = vr;
	const char *s = data;
	size_t i = r->nfields++;
	if (len)
		r->nonempty = 1;
	if (r->overflow || len > FIELD_MAX) {
		r->overflow = 0;
		r->too_long = 1;
		return;
	}
	if (i >= FIELDS_MAX)
		return;
	ALLOC_GROW(r->hdr_off, r->hdr_nr + 1, r->hdr_alloc);
	r->hdr_len = xrealloc(r->hdr_len, r->hdr_alloc * sizeof(*r->hdr_len));
	r->hdr_off[r->hdr_nr] = r->hdr.len;
	add_cell(r, &r->hdr, s, len);
	r->hdr_len[r->hdr_nr] = r->hdr.len - 1 - r->hdr_off[r->hdr_nr];
	r->hdr_nr++;
}

/*
 * Copy n >= 1 bytes with word loads and stores that stay inside both
 * ranges (overlapping for lengths between powers of two): cells are short,
 * and this is cheaper than a call to memcpy. Returns the loaded words
 * ORed, so that (result & HIGHS) tells whether a byte was >= 0x80.
 */
static inline __attribute__((always_inline)) uint64_t copy_cell(char *d, const char *s, size_t n)
{
	if (n >= 8) {
		uint64_t a, b, c, e;
		if (n > 32) {
			uint64_t acc = 0;
			for (size_t k = 0; k + 8 < n; k += 8) {
				memcpy(&a, s + k, 8);
				memcpy(d + k, &a, 8);
				acc |= a;
			}
			memcpy(&a, s + n - 8, 8);
			memcpy(d + n - 8, &a, 8);
			return acc | a;
		}
		if (n > 16) {
			memcpy(&a, s, 8);
			memcpy(&b, s + 8, 8);
			memcpy(&c, s + n - 16, 8);
			memcpy(&e, s + n - 8, 8);
			memcpy(d, &a, 8);
			memcpy(d + 8, &b, 8);
			memcpy(d + n - 16, &c, 8);
			memcpy(d + n - 8, &e, 8);
			return a | b | c | e;
		}
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
		return a | b;
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return a | b;
	} else {
		unsigned char a = (unsigned char)s[0], b = (unsigned char)s[n / 2], c = (unsigned char)s[n - 1];
		d[0] = (char)a;
		d[n / 2] = (char)b;
		d[n - 1] = (char)c;
		return a | b | c;
	}
}

/*
 * 1 when s[0..len) is certainly valid UTF-8 because it holds only ASCII
 * and two-byte sequences (C2..DF, continuation: the Latin letters of
 * names and places), 0 when txt_utf8_valid must decide.
 */
static int utf8_latin_only(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		uint64_t w;
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			w &= HIGHS;
			if (!w) {
				i += 8;
				continue;
			}
			/* on to the first byte >= 0x80 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			i += (size_t)__builtin_clzll(w) >> 3;
#else
			i += (size_t)__builtin_ctzll(w) >> 3;
#endif
		}
		if (s[i] < 0x80) {
			i++;
		} else if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			i += 2;
		} else {
			return 0;
		}
	}
	return 1;
}

/*
 * The arena must grow while a row is parsed (rare: a row wider than any
 * before): grow it and move the targets that point into it.
 */
static __attribute__((noinline)) void grow_arena(struct reader *r, size_t extra)
{
	struct strbuf *a = &r->arena;
	uintptr_t base = (uintptr_t)a->buf, end = base + a->alloc;
	size_t off[NSLOTS];
	for (int t = 0; t < r->ntgt; t++) {
		uintptr_t q = (uintptr_t)*r->tgt[t].p;
		off[t] = q >= base && q < end ? (size_t)(q - base) : SIZE_MAX;
	}
	sb_grow(a, extra);
	for (int t = 0; t < r->ntgt; t++)
		if (off[t] != SIZE_MAX)
			*r->tgt[t].p = a->buf + off[t];
}

/* A copied cell has a byte >= 0x80: have on_row check the row unless the cell is plainly valid. */
static __attribute__((noinline)) void note_high(struct reader *r, const char *cell, size_t len)
{
	if (r->check_utf8 && !utf8_latin_only(cell, len))
		r->utf8_check = 1;
}

/* Copy a cell into the arena, which has room for it, and point its column's targets there. */
static inline __attribute__((always_inline)) void put_cell(struct reader *r, int t, const char *data,
							     size_t len)
{
	struct strbuf *a = &r->arena;
	char *dst = a->buf + a->len;
	uint64_t high = copy_cell(dst, data, len) & HIGHS;
	dst[len] = '\0';
	a->len += len + 1;
	do {
		*r->tgt[t].p = dst;
		*r->tgt[t].l = len;
		t = r->tgt[t].next;
	} while (__builtin_expect(t >= 0, 0));
	if (__builtin_expect(high != 0, 0))
		note_high(r, dst, len); /* last: a tail call */
}

/*
 * on_field for every case: an empty cell (its targets get ""), a field
 * over the limit, one that overflowed libcsv's buffer (overflow set).
 */
static __attribute__((noinline)) void on_field_slow(struct reader *r, size_t i, const char *data, size_t len)
{
	int t;
	if (r->overflow || len > FIELD_MAX) {
		r->overflow = 0;
		r->field_lim = FIELD_MAX;
		r->too_long = 1;
		r->nonempty++;
		return;
	}
	t = i < r->ncols ? r->coltgt[i] : -1;
	if (!len) {
		for (; t >= 0; t = r->tgt[t].next) {
			*r->tgt[t].p = "";
			*r->tgt[t].l = 0;
		}
		return;
	}
	r->nonempty++;
	if (t < 0)
		return;
	if (r->arena.alloc - r->arena.len < len + 2)
		grow_arena(r, len + 1);
	put_cell(r, t, data, len);
}

/*
 * libcsv's field callback once the header is known, the hot path: copy a
 * cell that a role reads into the row arena (NUL-terminated) and point
 * its targets there; ignore the rest. Nothing is allocated once the arena
 * has grown to the widest row. Empty cells, fields over the limit and a
 * pending overflow all pass the one test below (len - 1 wraps for 0,
 * field_lim is 0 while overflow is set) to on_field_slow.
 */
static void on_field(void *data, size_t len, void *vr)
{
	struct reader *r = vr;
	size_t i = r->nfields++;
	int t;

	if (__builtin_expect(len - 1 >= r->field_lim, 0)) {
		if (len || r->overflow || i >= r->ncols || r->coltgt[i] >= 0) {
			on_field_slow(r, i, data, len); /* tail calls: on_field saves no registers */
			return;
		}
		return; /* an empty cell nobody reads */
	}
	r->nonempty++;
	if (i >= r->ncols || (t = r->coltgt[i]) < 0)
		return;
	if (__builtin_expect(r->arena.alloc - r->arena.len < len + 2, 0)) {
		on_field_slow(r, i, data, len);
		return;
	}
	put_cell(r, t, data, len);
}

static inline int is_space(char c)
{
	return c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t';
}

static inline void trim(const char **s, size_t *len)
{
	/* the common case: nothing to trim (no byte above ' ' is a space) */
	if (*len && (unsigned char)**s > ' ' && (unsigned char)(*s)[*len - 1] > ' ')
		return;
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

/* Append "City, Region, Country" from the parts present (f/fl indexed by role; NULL: no column). */
static void add_parts(struct reader *r, const char *const *f, const size_t *fl)
{
	static const enum ing_role parts[] = { ING_CITY, ING_REGION, ING_COUNTRY };
	const char *prev = NULL;
	size_t prev_len = 0;
	for (size_t k = 0; k < ARRAY_SIZE(parts); k++) {
		size_t n = fl[parts[k]];
		const char *s = f[parts[k]];
		if (!s)
			continue;
		trim(&s, &n);
		if (!n || (prev && n == prev_len && !memcmp(s, prev, n)))
			continue;
		if (r->loc.len)
			sb_add(&r->loc, ", ", 2);
		sb_add(&r->loc, s, n);
		prev = s;
		prev_len = n;
	}
}

/* Parse a coordinate: optional sign, digits, '.' or ',' and digits. */
static int parse_coord(const char *s, size_t len, double *out)
{
	size_t i = 0;
	int neg = 0, digits = 0;
	double v = 0, scale = 1;
	trim(&s, &len);
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		v = v * 10 + (s[i] - '0');
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			scale /= 10;
			v += (s[i] - '0') * scale;
		}
	}
	if (!digits || i != len || digits > 20)
		return 0;
	*out = neg ? -v : v;
	return 1;
}

static void emit_skipped(struct reader *r, const char *reason)
{
	struct ing_row *row = &r->row;
	row->status = ING_ROW_SKIPPED;
	row->skip_reason = reason;
	/* on_row() puts "" back into the targets afterwards */
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		row->field[k] = NULL;
		row->field_len[k] = 0;
	}
	r->info->skipped++;
}

/*
 * A key that joins an export row to a --locations row, in out (which it
 * resets; tmp is scratch): kind 0 the normalised profile URL, 1 the e-mail
 * (lower case, blanks dropped), 2 the folded name (full, else first and
 * last) and company. Returns its length, 0 when the row lacks the cells.
 */
static size_t join_key(struct strbuf *out, struct strbuf *tmp, const char *const *f, const size_t *fl, int kind)
{
	sb_reset(out);
	if (kind == 0) {
		if (!f[ING_URL] || !fl[ING_URL] || !ing_url_key(tmp, f[ING_URL], fl[ING_URL]))
			return 0;
		sb_adds(out, "u\x1f");
		sb_add(out, tmp->buf, tmp->len);
	} else if (kind == 1) {
		sb_adds(out, "e\x1f");
		for (size_t i = 0; f[ING_EMAIL] && i < fl[ING_EMAIL]; i++) {
			char c = f[ING_EMAIL][i];
			if (c != ' ' && c != '\t')
				sb_addch(out, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
		}
		if (out->len == 2)
			return 0;
	} else {
		sb_reset(tmp);
		if (f[ING_FULL_NAME] && fl[ING_FULL_NAME]) {
			sb_add(tmp, f[ING_FULL_NAME], fl[ING_FULL_NAME]);
		} else {
			if (f[ING_FIRST_NAME])
				sb_add(tmp, f[ING_FIRST_NAME], fl[ING_FIRST_NAME]);
			sb_addch(tmp, ' ');
			if (f[ING_LAST_NAME])
				sb_add(tmp, f[ING_LAST_NAME], fl[ING_LAST_NAME]);
		}
		txt_fold(out, tmp->buf, tmp->len, 0);
		if (!out->len)
			return 0;
		sb_addch(out, '\x1f');
		if (f[ING_COMPANY] && fl[ING_COMPANY]) {
			size_t at = out->len;
			txt_fold(tmp, f[ING_COMPANY], fl[ING_COMPANY], 0);
			sb_setlen(out, at);
			sb_add(out, tmp->buf, tmp->len);
		}
		{
			/* "n\x1f" in front */
			size_t n = out->len;
			sb_grow(out, 2);
			memmove(out->buf + 2, out->buf, n + 1);
			out->buf[0] = 'n';
			out->buf[1] = '\x1f';
			out->len = n + 2;
		}
	}
	return out->len;
}

/*
 * The row's location: City, Region, Country (else the fallback parts:
 * Outlook's Home address, Salesforce's Other*), else the free-text
 * location column (Outlook's "Location" may be "Building 5": it must not
 * hide an address), else the --locations entry.
 */
static void location_of(struct reader *r, struct ing_row *row)
{
	const char *s;
	size_t n;
	sb_reset(&r->loc);
	add_parts(r, row->field, row->field_len);
	if (!r->loc.len)
		add_parts(r, r->fb_field, r->fb_len);
	if (r->loc.len) {
		row->location = r->loc.buf;
		row->location_len = r->loc.len;
		return;
	}
	n = row->field_len[ING_LOCATION];
	if (n) {
		s = row->field[ING_LOCATION];
		trim(&s, &n);
		if (n) {
			row->location = s;
			row->location_len = n;
			return;
		}
	}
	for (int kind = 0; r->join && kind < 3; kind++) {
		/* by profile URL, else e-mail, else name and company (LinkedIn before 2020 has no URL) */
		size_t *idx;
		if (!join_key(&r->key, &r->loc, row->field, row->field_len, kind))
			continue;
		idx = sm_get(&r->join->map, r->key.buf, r->key.len);
		if (idx) {
			row->location = r->join->text.buf + r->join->off[*idx];
			row->location_len = r->join->len[*idx];
			r->info->locations_joined++;
			break;
		}
	}
}

/* Coordinates from the lat/lon cells of f (row->field or the fallback's); 1 when both are valid. */
static int coords_of(struct ing_row *row, const char *const *f, const size_t *fl)
{
	double lat, lon;
	if (!f[ING_LAT] || !f[ING_LON])
		return 0;
	if (parse_coord(f[ING_LAT], fl[ING_LAT], &lat) && parse_coord(f[ING_LON], fl[ING_LON], &lon) &&
	    lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
		row->has_coords = 1;
		row->lat = lat;
		row->lon = lon;
		return 1;
	}
	return 0;
}

static void emit_row(struct reader *r, unsigned long line)
{
	struct ing_row *row = &r->row;
	struct ing_info *info = r->info;
	size_t n;
	const char *s;

	row->line = line;
	row->skip_reason = NULL;
	row->location = NULL;
	row->location_len = 0;
	row->has_coords = 0;
	row->lat = row->lon = 0;
	row->date_state = ING_DATE_NONE;
	row->month = 0;
	info->records++;
	if (__builtin_expect(r->unterminated | r->too_long | (r->nfields > FIELDS_MAX), 0)) {
		emit_skipped(r, r->unterminated ? "unterminated quote"
				: r->too_long ? "field longer than 1 MiB" : "more than 1,000 fields");
		goto call;
	}

	if (__builtin_expect(r->linkedin_empty && r->nonempty == 1, 0) && row->field_len[ING_CONNECTED_ON]) {
		/* LinkedIn writes ",,,,,,06 Sep 2025" for a connection it no longer shows: not a contact */
		emit_skipped(r, ING_EMPTY_LINKEDIN);
		info->empty_rows++;
		goto call;
	}

	/* location: structured (business, then home) parts, else the free-text column, else --locations */
	location_of(r, row);

	if (!coords_of(row, row->field, row->field_len))
		coords_of(row, r->fb_field, r->fb_len);

	n = row->field_len[ING_CONNECTED_ON];
	if (n) {
		s = row->field[ING_CONNECTED_ON];
		trim(&s, &n);
		if (n) {
			int m = ing_parse_month(s, n);
			if (m >= 0) {
				row->date_state = ING_DATE_OK;
				row->month = m;
				info->dates_ok++;
			} else {
				row->date_state = ING_DATE_UNPARSEABLE;
				info->dates_unparseable++;
			}
		}
	}

	if (row->location_len || row->has_coords) {
		row->status = ING_ROW_OK;
		info->ok++;
	} else {
		row->status = ING_ROW_NO_LOCATION;
		info->no_location++;
	}
	for (int j = 0; j < r->nhidden; j++) {
		row->field[r->hidden[j]] = NULL;
		row->field_len[r->hidden[j]] = 0;
	}
call:
	if (r->fn) {
		int ret = r->fn(row, r->ctx);
		if (ret)
			r->status = ret;
	}
}

static int header_done(struct reader *r, unsigned long line);

/*
 * A row with a copied cell that may be invalid UTF-8 (passthrough text,
 * a byte >= 0x80 that is not part of a two-byte sequence) is checked: the
 * arena holds the cells NUL-separated, and NUL is ASCII, so the whole run
 * is valid iff every cell is. Invalid cells get a copy appended in which
 * the bytes that are not UTF-8 are read as Windows-1252 (enc_utf8_mixed);
 * the row is counted in info->recoded_rows.
 */
static void validate_row(struct reader *r)
{
	struct strbuf *a = &r->arena;
	size_t recoded = 0;
	if (txt_utf8_valid(a->buf, a->len))
		return;
	for (int h = 0; h < r->nheads; h++) {
		struct target *t = &r->tgt[r->tgt_head[h]];
		size_t n = *t->l, at;
		if (!n || txt_utf8_valid(*t->p, n))
			continue;
		if (a->alloc - a->len < 3 * n + 5)
			grow_arena(r, 3 * n + 4); /* U+FFFD is 3 bytes: no realloc below */
		at = a->len;
		recoded += enc_utf8_mixed(a, *t->p, n);
		sb_addch(a, '\0');
		for (int k = r->tgt_head[h]; k >= 0; k = r->tgt[k].next) {
			*r->tgt[k].p = a->buf + at;
			*r->tgt[k].l = a->len - 1 - at;
		}
	}
	if (recoded)
		r->info->recoded_rows++;
}

/* The targets of columns from col on get "" (a short row). */
static __attribute__((noinline)) void reset_targets(struct reader *r, size_t col)
{
	for (int t = 0; t < r->ntgt; t++) {
		if (r->tgt[t].col >= col) {
			*r->tgt[t].p = "";
			*r->tgt[t].l = 0;
		}
	}
}

static void on_row(int c, void *vr)
{
	struct reader *r = vr;
	(void)c;
	if (r->nfields == 0)
		return; /* an empty line, or the LF of a CRLF (CSV_REPALL_NL) */
	if (!r->status) {
		if (!r->nonempty && !r->unterminated) {
			/* every cell empty (",,,"): not a record */
		} else if (r->phase == PH_HEADER) {
			header_done(r, r->rec_line);
		} else {
			/*
			 * on_field wrote the targets of every cell of the row,
			 * empty ones too: those of cells past its end get "".
			 */
			if (__builtin_expect(r->nfields < r->need_cols, 0))
				reset_targets(r, r->nfields);
			if (__builtin_expect(r->utf8_check, 0))
				validate_row(r);
			if (__builtin_expect(r->rec_utf8, 0))
				r->info->recoded_rows++;
			emit_row(r, r->rec_line);
		}
	}
	r->nfields = 0;
	r->utf8_check = r->rec_utf8 = 0;
	r->nonempty = r->too_long = r->overflow = r->unterminated = 0;
	r->field_lim = FIELD_MAX;
	r->arena.len = 0;
}

/* Let column col's cell go to *p / *l (which hold "" until the first row). */
static void add_target(struct reader *r, size_t col, const char **p, size_t *l)
{
	int t = r->ntgt++;
	r->tgt[t].p = p;
	r->tgt[t].l = l;
	r->tgt[t].next = r->coltgt[col];
	r->tgt[t].col = col;
	if (col + 1 > r->need_cols)
		r->need_cols = col + 1;
	if (r->coltgt[col] < 0)
		r->tgt_head[r->nheads++] = t;
	else
		for (int h = 0; h < r->nheads; h++) /* keep the head list pointing at chain heads */
			if (r->tgt_head[h] == r->coltgt[col])
				r->tgt_head[h] = t;
	r->coltgt[col] = t;
	*p = "";
	*l = 0;
}

static int header_done(struct reader *r, unsigned long line)
{
	struct strbuf fold = STRBUF_INIT, want = STRBUF_INIT;
	const struct ing_options *opt = r->opt;
	struct ing_info *info = r->info;
	int best[ING_ROLE_COUNT], fbest[ING_ROLE_COUNT];
	long col[ING_ROLE_COUNT], fcol[ING_ROLE_COUNT];
	unsigned fmt_count[ARRAY_SIZE(format_names)] = { 0 };
	int has_place, has_coords;

	if (r->too_long) {
		set_err(r, NR_EX_DATAERR, line, "header field longer than 1 MiB");
		return -1;
	}
	if (r->nfields > FIELDS_MAX) {
		set_err(r, NR_EX_DATAERR, line, "header has more than 1,000 fields");
		return -1;
	}
	info->header_line = line;
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		best[k] = fbest[k] = -1;
		col[k] = fcol[k] = -1;
	}
	sb_init(&fold, 64);
	sb_init(&want, 64);
	for (size_t i = 0; i < r->hdr_nr; i++) {
		int h;
		txt_fold(&fold, r->hdr.buf + r->hdr_off[i], r->hdr_len[i], 0);
		h = lookup_header(fold.buf, fold.len);
		if (h < 0)
			continue;
		const struct known_header *kh = &known_headers[h];
		/* a header that only names the export says more about it than a role's usual name */
		if (kh->format)
			for (size_t f = 0; f < ARRAY_SIZE(format_names); f++)
				if (!strcmp(format_names[f], kh->format))
					fmt_count[f] += kh->role == ING_ROLE_COUNT ? 2 : 1;
		if (kh->role == ING_ROLE_COUNT)
			continue; /* names the export only */
		if (!kh->fallback && (best[kh->role] < 0 || h < best[kh->role])) {
			best[kh->role] = h;
			col[kh->role] = (long)i;
		} else if (kh->fallback && (fbest[kh->role] < 0 || h < fbest[kh->role])) {
			fbest[kh->role] = h;
			fcol[kh->role] = (long)i;
		}
	}
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		if (col[k] < 0) {
			col[k] = fcol[k];
			fcol[k] = -1;
		}
	}
	/* --column overrides: exact header text first, then the folded form */
	for (int k = 0; opt && k < ING_ROLE_COUNT; k++) {
		const char *w = opt->column[k];
		long found = -1;
		if (!w)
			continue;
		for (size_t i = 0; i < r->hdr_nr && found < 0; i++)
			if (r->hdr_len[i] == strlen(w) && !memcmp(r->hdr.buf + r->hdr_off[i], w, r->hdr_len[i]))
				found = (long)i;
		txt_fold(&want, w, strlen(w), 0);
		for (size_t i = 0; i < r->hdr_nr && found < 0 && want.len; i++) {
			txt_fold(&fold, r->hdr.buf + r->hdr_off[i], r->hdr_len[i], 0);
			if (fold.len == want.len && !memcmp(fold.buf, want.buf, want.len))
				found = (long)i;
		}
		if (found < 0 && r->need_url)
			continue; /* --column names the export's columns too: the locations file may lack it */
		if (found < 0 && r->join && (r->join->found_cols & ING_ROLE_BIT(k)))
			continue; /* it names a column of the --locations file */
		if (found < 0) {
			set_err(r, NR_EX_DATAERR, 0, "no column '%s' for --column %s", w, role_names[k]);
			goto out;
		}
		if (r->need_url)
			r->loading->found_cols |= ING_ROLE_BIT(k);
		col[k] = found;
		fcol[k] = -1;
	}

	info->format = "generic";
	for (size_t f = 0, bestn = 0; f < ARRAY_SIZE(format_names); f++) {
		if (fmt_count[f] > bestn) {
			bestn = fmt_count[f];
			info->format = format_names[f];
		}
	}

	r->linkedin_empty = col[ING_CONNECTED_ON] >= 0 && !strncmp(info->format, "linkedin", 8);
	has_place = col[ING_LOCATION] >= 0 || col[ING_CITY] >= 0 || col[ING_REGION] >= 0 ||
		    col[ING_COUNTRY] >= 0;
	has_coords = col[ING_LAT] >= 0 && col[ING_LON] >= 0;
	if (r->need_url) {
		if (col[ING_URL] < 0 && col[ING_EMAIL] < 0 && col[ING_FULL_NAME] < 0 && col[ING_FIRST_NAME] < 0 &&
		    col[ING_LAST_NAME] < 0) {
			set_err(r, NR_EX_DATAERR, line,
				"no profile URL, e-mail or name column to join --locations on; name one with "
				"--column url=HEADER (or email=, full_name=)");
			goto out;
		}
		if (!has_place) {
			set_err(r, NR_EX_DATAERR, line,
				"no location column for --locations: looked for Location, City, State, Country and "
				"their German, French, Spanish, Portuguese, Italian and Dutch names; name it with "
				"--column location=HEADER");
			goto out;
		}
	} else if (!has_place && !has_coords) {
		if (!r->join && r->linkedin_empty) {
			/* LinkedIn's own Connections.csv never has a location: its rows are counted without one */
			info->no_place_column = 1;
		} else if (!r->join && r->sniff_last) {
			/* no known header anywhere it looked: say where that was */
			set_err(r, NR_EX_DATAERR, line,
				"no location or coordinates column, and no known header line in the first %d "
				"records (lines %lu-%lu; the header is looked for in the first %d records and "
				"256 KiB); name one with --column location=HEADER", r->sniff_records, line,
				r->sniff_last, SNIFF_RECORDS);
			goto out;
		} else if (!r->join) {
			set_err(r, NR_EX_DATAERR, line,
				"no location column: looked for a place (Location, City, State, Country, and the "
				"Business, Home, Work, Mailing and Address 1 forms of Outlook, Thunderbird, "
				"Salesforce and Google) and Latitude/Longitude; name yours with --column "
				"location=HEADER (or city=, country=), or join one with --locations FILE");
			goto out;
		}
		if (r->join && col[ING_URL] < 0 && col[ING_EMAIL] < 0 && col[ING_FULL_NAME] < 0 &&
		    col[ING_FIRST_NAME] < 0 && col[ING_LAST_NAME] < 0) {
			set_err(r, NR_EX_DATAERR, line,
				"no profile URL, e-mail or name column to join --locations on; name one with "
				"--column url=HEADER (or email=, full_name=)");
			goto out;
		}
	}

	r->ncols = r->hdr_nr;
	r->coltgt = xmalloc((r->ncols ? r->ncols : 1) * sizeof(*r->coltgt));
	for (size_t i = 0; i < r->ncols; i++)
		r->coltgt[i] = -1;
	r->ntgt = r->nheads = r->nhidden = 0;
	r->need_cols = 0;
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		int exported = !(opt && (opt->omit_fields & ING_ROLE_BIT(k)));
		r->row.field[k] = r->fb_field[k] = NULL;
		r->row.field_len[k] = r->fb_len[k] = 0;
		if (col[k] >= 0) {
			/* a target when emit_row reads the cell or the caller gets field[k] */
			if (exported || (INTERNAL_ROLES & ING_ROLE_BIT(k)) || (r->join && (JOIN_ROLES & ING_ROLE_BIT(k)))) {
				add_target(r, (size_t)col[k], &r->row.field[k], &r->row.field_len[k]);
				if (!exported)
					r->hidden[r->nhidden++] = k;
			}
			free(info->column[k]);
			info->column[k] = xstrndup(r->hdr.buf + r->hdr_off[col[k]], r->hdr_len[col[k]]);
		}
		if (fcol[k] >= 0)
			add_target(r, (size_t)fcol[k], &r->fb_field[k], &r->fb_len[k]);
	}
	r->phase = PH_DATA;
out:
	sb_release(&fold);
	sb_release(&want);
	return r->status ? -1 : 0;
}

/* ---- header sniffing ---- */

struct sniff {
	int found;
	size_t off;           /* byte offset of the header record in the decoded text */
	unsigned long line;
	char delim;
	int fallback;         /* no known header: the first record is taken */
	int records;          /* records searched */
	unsigned long last;   /* last line searched */
	int stopped;          /* the search stopped before the end of the file */
};

static const char delims[] = { ',', ';', '\t', '|' };

/* Known-header hits in record rec split by d; *nfields gets the field count. */
static int score_record(const char *rec, size_t len, char d, const struct ing_options *opt,
			struct strbuf *cell, struct strbuf *fold, size_t *nfields)
{
	size_t i = 0;
	int hits = 0;
	*nfields = 0;
	while (i <= len) {
		int q = 0;
		sb_reset(cell);
		while (i < len && (rec[i] == ' ' || (rec[i] == '\t' && d != '\t')))
			i++;
		if (i < len && rec[i] == '"') {
			q = 1;
			i++;
		}
		while (i < len) {
			if (q && rec[i] == '"') {
				if (i + 1 < len && rec[i + 1] == '"') {
					sb_addch(cell, '"');
					i += 2;
					continue;
				}
				q = 0;
				i++;
				continue;
			}
			if (!q && rec[i] == d)
				break;
			sb_addch(cell, rec[i]);
			i++;
		}
		(*nfields)++;
		txt_fold(fold, cell->buf, cell->len, 0);
		if (fold->len && lookup_header(fold->buf, fold->len) >= 0) {
			hits++;
		} else if (fold->len && opt) {
			for (int k = 0; k < ING_ROLE_COUNT; k++) {
				if (opt->column[k] && !strcmp(opt->column[k], cell->buf)) {
					hits++;
					break;
				}
			}
		}
		i++; /* past the delimiter (or the end) */
	}
	return hits;
}

static void sniff_header(const char *t, size_t n, int eof, const struct ing_options *opt,
			 struct sniff *sn)
{
	struct strbuf cell = STRBUF_INIT, fold = STRBUF_INIT;
	size_t pos = 0, first_off = 0;
	unsigned long line = 1, first_line = 0;
	char first_delim = ',';
	int records = 0;

	memset(sn, 0, sizeof(*sn));
	sb_init(&cell, 64);
	sb_init(&fold, 64);
	while (pos < n && records < SNIFF_RECORDS) {
		size_t end = pos, i;
		unsigned long breaks = 0;
		int q = 0, blank = 1;
		for (; end < n; end++) {
			char c = t[end];
			if (c == '"')
				q = !q;
			else if (c == '\n' || c == '\r') {
				if (!q)
					break;
				if (!(c == '\r' && end + 1 < n && t[end + 1] == '\n'))
					breaks++;
			} else if (c != ' ' && c != '\t')
				blank = 0;
		}
		if (end >= n && !eof) {
			sn->stopped = 1;
			break; /* incomplete record: the header must lie in the first chunk */
		}
		if (q)
			blank = 0;
		if (!blank) {
			int best = -1;
			size_t best_fields = 0;
			char best_d = ',';
			records++;
			sn->records = records;
			sn->last = line + breaks;
			for (size_t k = 0; k < ARRAY_SIZE(delims); k++) {
				size_t nf;
				int s = score_record(t + pos, end - pos, delims[k], opt, &cell, &fold, &nf);
				if (s > best) {
					best = s;
					best_d = delims[k];
					best_fields = nf;
				}
			}
			if (!first_line) {
				size_t cnt[ARRAY_SIZE(delims)] = { 0 }, top = 0;
				int qq = 0;
				first_line = line;
				first_off = pos;
				for (i = pos; i < end; i++) {
					if (t[i] == '"')
						qq = !qq;
					for (size_t k = 0; !qq && k < ARRAY_SIZE(delims); k++)
						cnt[k] += t[i] == delims[k];
				}
				for (size_t k = 0; k < ARRAY_SIZE(delims); k++)
					if (cnt[k] > top) {
						top = cnt[k];
						first_delim = delims[k];
					}
			}
			if (best >= 2 || (best == 1 && best_fields == 1)) {
				sn->found = 1;
				sn->off = pos;
				sn->line = line;
				sn->delim = best_d;
				goto out;
			}
		}
		line += 1 + breaks;
		pos = end;
		if (pos < n && t[pos] == '\r' && pos + 1 < n && t[pos + 1] == '\n')
			pos += 2;
		else if (pos < n)
			pos++;
		else
			line--; /* no terminator after the last record */
	}
	if (records >= SNIFF_RECORDS && pos < n)
		sn->stopped = 1;
	if (first_line) {
		sn->found = 1;
		sn->fallback = 1;
		sn->off = first_off;
		sn->line = first_line;
		sn->delim = first_delim;
	}
out:
	sb_release(&cell);
	sb_release(&fold);
}

/* ---- reading ---- */

static void *capped_realloc(void *p, size_t n)
{
	return n > ENTRY_CAP ? NULL : realloc(p, n);
}

/*
 * csv_parse stopped before s: a parser error, or the field passed the
 * limit. Then drop what libcsv holds but one byte (libcsv may later
 * subtract p->spaces + 1 from entry_pos, so keep one byte and zero
 * spaces), remember that the field is too long and go on.
 */
static __attribute__((noinline)) void feed_stopped(struct reader *r, struct csv_parser *p,
						    const char *s, size_t len)
{
	for (;;) {
		size_t n;
		if (csv_error(p) != CSV_ENOMEM || p->entry_pos < FIELD_MAX) {
			set_err(r, NR_EX_OSERR, 0, "csv parser: %s", csv_strerror(csv_error(p)));
			return;
		}
		p->entry_pos = 1;
		p->spaces = 0;
		p->status = 0;
		r->overflow = 1;
		r->field_lim = 0;
		if (r->status)
			return;
		n = csv_parse(p, s, len, r->phase == PH_HEADER ? on_header_field : on_field, on_row, r);
		if (n == len)
			return;
		s += n;
		len -= n;
	}
}

/* Give len > 0 bytes to libcsv (the caller has checked r->status). */
static inline void feed_raw(struct reader *r, struct csv_parser *p, const char *s, size_t len)
{
	size_t n = csv_parse(p, s, len, r->phase == PH_HEADER ? on_header_field : on_field, on_row, r);
	if (__builtin_expect(n < len, 0))
		feed_stopped(r, p, s + n, len - n);
}

/* First CR or LF in s, or NULL; CR is looked for only when the chunk has one. */
static inline const char *find_eol(const char *s, size_t len, int has_cr)
{
	const char *lf = memchr(s, '\n', len), *cr;
	if (!has_cr)
		return lf;
	cr = memchr(s, '\r', lf ? (size_t)(lf - s) : len);
	return cr ? cr : lf;
}

/*
 * Feed text to libcsv one physical line (CR, LF or CRLF) at a time. At the
 * start of each line the parser is either between records (then a record
 * that begins on this line begins here: rec_line) or inside a quoted field
 * that spans lines. This keeps line numbers exact without looking at
 * every field.
 */
static void feed_lines(struct reader *r, struct csv_parser *p, const char *s, size_t len)
{
	const char *end = s + len;
	int has_cr = r->has_cr, mid_line;

	if (!len || r->status)
		return;
	if (r->skip_lf) {
		/* the last chunk ended in CR: a leading LF belongs to that line */
		r->skip_lf = 0;
		if (*s == '\n') {
			feed_raw(r, p, s, 1);
			if (++s == end || r->status)
				return;
		}
	}
	mid_line = !r->at_line_start; /* the first line began in the last chunk */
	for (;;) {
		const char *eol;
		size_t n;
		if (!mid_line && p->pstate == LIBCSV_ROW_NOT_BEGUN)
			r->rec_line = r->line;
		mid_line = 0;
		r->at_line_start = 0;
		eol = find_eol(s, (size_t)(end - s), has_cr);
		if (!eol) {
			feed_raw(r, p, s, (size_t)(end - s)); /* the line goes on in the next chunk */
			return;
		}
		n = (size_t)(eol - s) + 1;
		if (*eol == '\r') {
			if (eol + 1 < end && eol[1] == '\n')
				n++;
			else if (eol + 1 == end)
				r->skip_lf = 1;
		}
		feed_raw(r, p, s, n);
		r->line++;
		r->at_line_start = 1;
		s += n;
		if (s == end || r->status)
			return;
	}
}

#define AT_POSITION (~0ULL)

/*
 * Read up to cap bytes at byte offset off (pread: the file position stays),
 * or at the file position when off is AT_POSITION; returns the count, or
 * -1 on error.
 */
static long read_full(int fd, unsigned char *buf, size_t cap, unsigned long long off)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t n = off == AT_POSITION ? read(fd, buf + got, cap - got)
					       : pread(fd, buf + got, cap - got, (off_t)(off + got));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (long)got;
}

static void errno_msg(struct strbuf *sb, int e)
{
	const char *m = strerror(e);
	size_t at = sb->len;
	sb_adds(sb, m);
	if (sb->buf[at] >= 'A' && sb->buf[at] <= 'Z')
		sb->buf[at] = (char)(sb->buf[at] + 32);
}

/* 1-based line number of byte offset off in t (LF, CRLF and CR end lines). */
static unsigned long line_of(const char *t, size_t off)
{
	unsigned long line = 1;
	for (size_t i = 0; i < off; i++)
		if (t[i] == '\n' || (t[i] == '\r' && (i + 1 >= off || t[i + 1] != '\n')))
			line++;
	return line;
}

static int looks_binary(const char *t, size_t n)
{
	size_t ctrl = 0;
	if (memchr(t, 0, n))
		return 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			ctrl++;
	}
	return ctrl * 50 > n;
}

/* ---- reading in two parts (struct ing_split) ---- */

static void reader_release(struct reader *r);

/*
 * The second part of a split read: a reader cloned from the first once the
 * header is known, its own libcsv parser, ing_info and error text, reading
 * [start, end of file) with pread on the shared descriptor (which leaves
 * the first part's file offset alone). Its line numbers count from the
 * cut. The calling thread reads done and records (atomics) for progress.
 */
struct half {
	struct reader r;
	struct ing_info info;
	struct strbuf err;
	int fd;
	unsigned long long start;
	int high_ok;                    /* bytes >= 0x80 are UTF-8 (decided before the cut); else they abort */
	int ok;                         /* read to the end of the file without error or stop */
	_Atomic unsigned long long done;
	_Atomic unsigned long records;
	atomic_int stop;                /* set by the calling thread: its rows will not be used */
	pthread_t tid;
};

/* A pointer into *from, moved to the same place in *to. */
static void *rebase(const struct reader *from, struct reader *to, const void *p)
{
	return (char *)to + ((const char *)p - (const char *)from);
}

/*
 * Set d up to read data rows as s would, from the start of a line: the
 * same header mapping, options, join and callback, fresh buffers and
 * per-record state, line 1. The targets, which point into the reader
 * itself (row.field, fb_field), are moved to d's own.
 */
static void reader_clone(struct reader *d, const struct reader *s, struct ing_info *info, struct strbuf *err,
			 void *ctx)
{
	*d = *s;
	d->info = info;
	d->err = err;
	d->ctx = ctx;
	d->progress = NULL;
	d->status = 0;
	d->line = d->rec_line = 1;
	d->at_line_start = 1;
	d->skip_lf = d->has_cr = 0;
	d->utf8_check = 0;
	d->nfields = 0;
	d->nonempty = d->overflow = d->too_long = d->unterminated = 0;
	d->field_lim = FIELD_MAX;
	sb_init(&d->hdr, 0);
	d->hdr_off = d->hdr_len = NULL;
	d->hdr_nr = d->hdr_alloc = 0;
	d->coltgt = xmalloc((s->ncols ? s->ncols : 1) * sizeof(*d->coltgt));
	memcpy(d->coltgt, s->coltgt, s->ncols * sizeof(*d->coltgt));
	for (int t = 0; t < s->ntgt; t++) {
		d->tgt[t].p = rebase(s, d, s->tgt[t].p);
		d->tgt[t].l = rebase(s, d, s->tgt[t].l);
		*d->tgt[t].p = "";
		*d->tgt[t].l = 0;
	}
	sb_init(&d->arena, 256);
	sb_init(&d->loc, 64);
	sb_init(&d->key, 64);
}


static int has_high(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & HIGHS)
			return 1;
	}
	for (; i < n; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

/* The second part's thread: parse to the end of the file; any trouble just clears ok. */
static void *half_main(void *arg)
{
	struct half *h = arg;
	struct reader *r = &h->r;
	struct csv_parser p;
	unsigned char *buf = xmalloc(CHUNK_SIZE);
	unsigned long long off = h->start;
	int eof = 0;

	csv_init(&p, CSV_REPALL_NL);
	csv_set_delim(&p, (unsigned char)h->info.delimiter);
	csv_set_realloc_func(&p, capped_realloc);
	csv_set_blk_size(&p, 64 * 1024);
	while (!eof && !r->status) {
		long n;
		if (atomic_load(&h->stop)) {
			r->status = -1;
			break;
		}
		n = read_full(h->fd, buf, CHUNK_SIZE, off);
		if (n < 0 || memchr(buf, 0, (size_t)n) || (!h->high_ok && has_high(buf, (size_t)n))) {
			r->status = -1; /* the calling thread reads this part again and says what is wrong */
			break;
		}
		eof = n < CHUNK_SIZE;
		off += (unsigned long long)n;
		r->has_cr = memchr(buf, '\r', (size_t)n) != NULL;
		feed_lines(r, &p, (const char *)buf, (size_t)n);
		atomic_store(&h->done, off - h->start);
		atomic_store(&h->records, h->info.records);
	}
	if (!r->status) {
		if (p.pstate == LIBCSV_FIELD_BEGUN && p.quoted)
			r->unterminated = 1;
		csv_fini(&p, on_field, on_row, r);
	}
	h->ok = !r->status;
	csv_free(&p);
	free(buf);
	return NULL;
}

/*
 * The cut for a split read of a file of total bytes, the first done of
 * them read: just after the first LF at or past the middle of the rest,
 * or 0 when there is none (or reading fails).
 */
static unsigned long long find_cut(int fd, unsigned long long done, unsigned long long total)
{
	unsigned char buf[4096];
	unsigned long long at = done + (total - done) / 2;
	while (at < total) {
		long n = read_full(fd, buf, sizeof(buf), at);
		const unsigned char *lf;
		if (n <= 0)
			return 0;
		lf = memchr(buf, '\n', (size_t)n);
		if (lf)
			return at + (unsigned long long)(lf - buf) + 1 < total ? at + (unsigned long long)(lf - buf) + 1 : 0;
		at += (unsigned long long)n;
	}
	return 0;
}

/*
 * Start the second part of a split read of r's file (fd, total bytes, done
 * of them read, encoding kind) when ing_options.split asks for it and the
 * file allows: returns the cut, or 0 when reading goes on in one piece.
 */
static unsigned long long half_start(struct half *h, struct reader *r, int fd, unsigned long long done,
				     unsigned long long total, enum enc_kind kind)
{
	const struct ing_split *sp = r->opt->split;
	unsigned long long cut;
	if (!sp || !sp->join || r->status || r->phase != PH_DATA || total < sp->min_bytes || total <= done ||
	    (kind != ENC_UNDECIDED && kind != ENC_UTF8 && kind != ENC_UTF8_BOM))
		return 0;
	cut = find_cut(fd, done, total);
	if (!cut)
		return 0;
	memset(h, 0, sizeof(*h));
	h->info = *r->info;           /* delimiter, format, ...; the pointers in it stay the caller's */
	h->info.records = h->info.ok = h->info.no_location = h->info.skipped = 0;
	h->info.dates_ok = h->info.dates_unparseable = h->info.locations_joined = h->info.empty_rows = 0;
	h->info.recoded_rows = 0;
	sb_init(&h->err, 0);
	reader_clone(&h->r, r, &h->info, &h->err, sp->ctx2);
	h->fd = fd;
	h->start = cut;
	h->high_ok = kind != ENC_UNDECIDED;
	atomic_init(&h->done, 0);
	atomic_init(&h->records, 0);
	atomic_init(&h->stop, 0);
	if (pthread_create(&h->tid, NULL, half_main, h)) {
		reader_release(&h->r);
		sb_release(&h->err);
		return 0;
	}
	return cut;
}

/*
 * Wait for the second part and hand it to join. valid says whether the
 * first part ended at the cut between records. Returns 1 when its rows
 * were taken (r->info then counts them too), 0 when they must be read
 * again.
 */
static int half_finish(struct half *h, struct reader *r, int valid)
{
	const struct ing_split *sp = r->opt->split;
	struct ing_info *info = r->info;
	int use, taken;
	if (!valid)
		atomic_store(&h->stop, 1); /* no need to read on (the first part failed or the cut is bad) */
	pthread_join(h->tid, NULL);
	use = valid && h->ok;
	taken = !sp->join(r->ctx, sp->ctx2, r->line, use) && use;
	if (taken) {
		info->records += h->info.records;
		info->ok += h->info.ok;
		info->no_location += h->info.no_location;
		info->skipped += h->info.skipped;
		info->dates_ok += h->info.dates_ok;
		info->dates_unparseable += h->info.dates_unparseable;
		info->locations_joined += h->info.locations_joined;
		info->empty_rows += h->info.empty_rows;
		info->recoded_rows += h->info.recoded_rows;
	}
	reader_release(&h->r);
	sb_release(&h->err);
	return taken;
}

/* ---- vCard (see vcard.h) ---- */

static const struct {
	enum ing_role role;
	enum vc_field vf;
	const char *prop;
} vc_roles[] = {
	{ ING_FIRST_NAME, VC_GIVEN, "N" }, { ING_LAST_NAME, VC_FAMILY, "N" }, { ING_FULL_NAME, VC_FN, "FN" },
	{ ING_URL, VC_URL, "URL" }, { ING_EMAIL, VC_EMAIL, "EMAIL" }, { ING_COMPANY, VC_ORG, "ORG" },
	{ ING_POSITION, VC_TITLE, "TITLE" }, { ING_CITY, VC_CITY, "ADR" }, { ING_REGION, VC_REGION, "ADR" },
	{ ING_COUNTRY, VC_COUNTRY, "ADR" },
};

/* One card as a record: the same statuses, counts and location rules as a CSV row. */
static int vc_row(const struct vc_card *c, void *vr)
{
	struct reader *r = vr;
	struct ing_row *row = &r->row;
	struct ing_info *info = r->info;
	memset(row, 0, sizeof(*row));
	row->line = c->line;
	info->records++;
	if (c->skip_reason) {
		emit_skipped(r, c->skip_reason);
	} else {
		for (size_t k = 0; k < ARRAY_SIZE(vc_roles); k++) {
			row->field[vc_roles[k].role] = c->field[vc_roles[k].vf];
			row->field_len[vc_roles[k].role] = c->len[vc_roles[k].vf];
		}
		location_of(r, row);
		if (c->has_geo) {
			row->has_coords = 1;
			row->lat = c->lat;
			row->lon = c->lon;
		}
		if (row->location_len || row->has_coords) {
			row->status = ING_ROW_OK;
			info->ok++;
		} else {
			row->status = ING_ROW_NO_LOCATION;
			info->no_location++;
		}
		for (int k = 0; k < ING_ROLE_COUNT; k++)
			if (r->opt && (r->opt->omit_fields & ING_ROLE_BIT(k))) {
				row->field[k] = NULL;
				row->field_len[k] = 0;
			}
	}
	if (r->fn) {
		int ret = r->fn(row, r->ctx);
		if (ret)
			r->status = ret;
	}
	return r->status;
}

/*
 * Read a vCard file whose first decoded chunk is t[0..tlen) (eof when it is
 * the whole file), through the same decoder, in one piece.
 */
static void read_vcard(struct reader *r, int fd, struct enc *enc, unsigned char *buf, struct strbuf *dec,
		       const char *t, size_t tlen, int eof, unsigned long long done, unsigned long long total)
{
	struct vc_parser *vp = vc_new(vc_row, r);
	struct ing_info *info = r->info;
	info->format = "vcard";
	info->header_line = 0;
	for (size_t k = 0; k < ARRAY_SIZE(vc_roles); k++) {
		free(info->column[vc_roles[k].role]);
		info->column[vc_roles[k].role] = xstrdup(vc_roles[k].prop);
	}
	free(info->column[ING_LAT]);
	free(info->column[ING_LON]);
	info->column[ING_LAT] = xstrdup("GEO");
	info->column[ING_LON] = xstrdup("GEO");
	if (r->need_url) {
		/* a --locations file must be a CSV of URL and location */
		set_err(r, NR_EX_DATAERR, 0, "a vCard file, not a CSV of profile URL and location for --locations");
		vc_free(vp);
		return;
	}
	r->phase = PH_DATA;
	vc_feed(vp, t, tlen);
	if (r->progress)
		r->progress(done, total, info->records, r->ctx);
	while (!eof && !r->status) {
		long n = read_full(fd, buf, CHUNK_SIZE, AT_POSITION);
		if (n < 0) {
			int e = errno;
			set_err(r, NR_EX_IOERR, 0, "read error: ");
			errno_msg(r->err, e);
			break;
		}
		eof = n < CHUNK_SIZE;
		done += (unsigned long long)n;
		info->bytes = done;
		t = enc_decode(enc, buf, (size_t)n, eof, dec, &tlen);
		info->encoding = enc_name(enc);
		if (memchr(t, 0, tlen)) {
			set_err(r, NR_EX_DATAERR, 0, "NUL byte (binary data, not a vCard file)");
			break;
		}
		vc_feed(vp, t, tlen);
		if (r->progress)
			r->progress(done, total, info->records, r->ctx);
	}
	if (!r->status)
		vc_finish(vp);
	vc_free(vp);
}

/*
 * Windows-1252 text after the first chunk: decode and feed buf[0..n) one
 * line (up to and with its CR or LF) at a time, so that a line holding
 * UTF-8 sequences (rows pasted in from a UTF-8 export, kept as UTF-8 by
 * enc_decode) marks the record it belongs to: on_row counts it in
 * info->recoded_rows. A record ends only at a line end, so each line
 * belongs to the one record that is being parsed while it is fed.
 */
static void feed_cp1252(struct reader *r, struct csv_parser *p, struct enc *enc, const unsigned char *buf,
			size_t n, int eof, struct strbuf *dec)
{
	size_t i = 0, tlen;
	const char *t;
	while (i < n && !r->status) {
		const unsigned char *lf = memchr(buf + i, '\n', n - i), *cr;
		size_t end = lf ? (size_t)(lf - buf) + 1 : n;
		cr = memchr(buf + i, '\r', end - i);
		if (cr)
			end = (size_t)(cr - buf) + 1;
		t = enc_decode(enc, buf + i, end - i, eof && end == n, dec, &tlen);
		if (enc->kept)
			r->rec_utf8 = 1;
		r->has_cr = cr != NULL;
		feed_lines(r, p, t, tlen);
		i = end;
	}
	if (eof && !n && !r->status) {
		/* the file ended at a chunk boundary: flush a UTF-8 sequence held back at the end */
		t = enc_decode(enc, buf, 0, 1, dec, &tlen);
		feed_lines(r, p, t, tlen);
	}
}

static void read_export(struct reader *r)
{
	struct csv_parser p;
	struct enc enc;
	struct strbuf dec = STRBUF_INIT;
	struct sniff sn;
	struct stat st;
	unsigned long long total = 0, done = 0, cut = 0;
	struct half half;
	unsigned char *buf = NULL;
	const char *t;
	size_t tlen, skip;
	long n;
	int eof, fd, parser = 0;

	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		/* out of file descriptors is the system's trouble, not a missing input */
		set_err(r, e == EMFILE || e == ENFILE ? NR_EX_OSERR : NR_EX_NOINPUT, 0, "cannot open: ");
		errno_msg(r->err, e);
		return;
	}
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			set_err(r, NR_EX_NOINPUT, 0, "is a directory");
			goto out;
		}
		if (S_ISREG(st.st_mode))
			total = (unsigned long long)st.st_size;
	}
	buf = xmalloc(CHUNK_SIZE);
	sb_init(&dec, CHUNK_SIZE + CHUNK_SIZE / 2);
	n = read_full(fd, buf, CHUNK_SIZE, AT_POSITION);
	if (n < 0) {
		int e = errno;
		set_err(r, NR_EX_IOERR, 0, "read error: ");
		errno_msg(r->err, e);
		goto out;
	}
	done = (unsigned long long)n;
	eof = n < CHUNK_SIZE;
	skip = enc_start(&enc, buf, (size_t)n);
	t = enc_decode(&enc, buf + skip, (size_t)n - skip, eof, &dec, &tlen);
	r->info->encoding = enc_name(&enc);
	r->info->bytes = done;
	if (looks_binary(t, tlen)) {
		const char *nul = memchr(t, 0, tlen);
		set_err(r, NR_EX_DATAERR, nul ? line_of(t, (size_t)(nul - t)) : 0,
			nul ? "NUL byte (binary data, not a CSV export)"
			    : "binary data (control bytes), not a CSV export");
		goto out;
	}
	if (vc_sniff(t, tlen)) {
		read_vcard(r, fd, &enc, buf, &dec, t, tlen, eof, done, total);
		goto out;
	}
	sniff_header(t, tlen, eof, r->opt, &sn);
	if (!sn.found) {
		set_err(r, NR_EX_DATAERR, 0, tlen ? "no header line found" : "empty file");
		goto out;
	}
	r->info->delimiter = sn.delim;
	r->sniff_records = sn.records;
	r->sniff_last = sn.fallback && sn.stopped ? sn.last : 0;
	r->line = r->rec_line = sn.line;
	r->at_line_start = 1;
	r->has_cr = memchr(t + sn.off, '\r', tlen - sn.off) != NULL;
	r->check_utf8 = enc_passthrough(&enc);

	csv_init(&p, CSV_REPALL_NL);
	parser = 1;

	csv_set_delim(&p, (unsigned char)sn.delim);
	csv_set_realloc_func(&p, capped_realloc);
	csv_set_blk_size(&p, 64 * 1024);
	feed_lines(r, &p, t + sn.off, tlen - sn.off);
	if (!eof && S_ISREG(st.st_mode))
		cut = half_start(&half, r, fd, done, total, enc.kind);
	if (r->progress)
		r->progress(done, total, r->info->records, r->ctx);
	while (!eof && !r->status) {
		const char *nul;
		size_t want = cut && cut - done < CHUNK_SIZE ? (size_t)(cut - done) : CHUNK_SIZE;
		n = read_full(fd, buf, want, AT_POSITION);
		if (n < 0) {
			int e = errno;
			set_err(r, NR_EX_IOERR, 0, "read error: ");
			errno_msg(r->err, e);
			break;
		}
		eof = (size_t)n < want;
		done += (unsigned long long)n;
		r->info->bytes = done;
		if (enc.kind == ENC_CP1252) {
			nul = memchr(buf, 0, (size_t)n);
			feed_cp1252(r, &p, &enc, buf, nul ? (size_t)(nul - (const char *)buf) : (size_t)n, eof, &dec);
			if (nul) {
				set_err(r, NR_EX_DATAERR, r->line, "NUL byte (binary data, not a CSV export)");
				break;
			}
			if (r->progress)
				r->progress(done, total, r->info->records, r->ctx);
			continue;
		}
		t = enc_decode(&enc, buf, (size_t)n, eof, &dec, &tlen);
		r->info->encoding = enc_name(&enc);
		r->check_utf8 = enc_passthrough(&enc);
		r->has_cr = memchr(t, '\r', tlen) != NULL;
		nul = memchr(t, 0, tlen);
		if (nul) {
			feed_lines(r, &p, t, (size_t)(nul - t));
			set_err(r, NR_EX_DATAERR, r->line, "NUL byte (binary data, not a CSV export)");
			break;
		}
		feed_lines(r, &p, t, tlen);
		if (r->progress)
			r->progress(done + (cut ? atomic_load(&half.done) : 0), total,
				    r->info->records + (cut ? atomic_load(&half.records) : 0), r->ctx);
		if (cut && done == cut) {
			/* the first part is read: its parser must be between records at the cut */
			int valid = !r->status && p.pstate == LIBCSV_ROW_NOT_BEGUN && r->at_line_start && !r->skip_lf;
			cut = 0;
			if (half_finish(&half, r, valid)) {
				done += atomic_load(&half.done); /* the thread is joined: final */
				r->info->bytes = done;
				eof = 1; /* csv_fini below finds the parser between records: nothing more */
				if (r->progress)
					r->progress(done, total, r->info->records, r->ctx);
			}
		}
	}
	if (cut)
		half_finish(&half, r, 0); /* stopped before the cut */
	if (!r->status) {
		if (p.pstate == LIBCSV_FIELD_BEGUN && p.quoted)
			r->unterminated = 1;
		csv_fini(&p, r->phase == PH_HEADER ? on_header_field : on_field, on_row, r);
	}
	if (!r->status && r->phase == PH_HEADER)
		set_err(r, NR_EX_DATAERR, sn.line, "no header line found");
out:
	if (parser)
		csv_free(&p);

	close(fd);
	free(buf);
	sb_release(&dec);
}

static void reader_init(struct reader *r, const char *path, const struct ing_options *opt,
			struct ing_info *info, struct strbuf *err)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->opt = opt;
	r->info = info;
	r->err = err;
	r->line = 1;
	r->phase = PH_HEADER;
	r->field_lim = FIELD_MAX;
	sb_init(&r->hdr, 256);
	sb_init(&r->arena, 256);
	sb_init(&r->loc, 64);
	sb_init(&r->key, 64);
}

static void reader_release(struct reader *r)
{
	sb_release(&r->hdr);
	sb_release(&r->arena);
	sb_release(&r->loc);
	sb_release(&r->key);
	free(r->hdr_off);
	free(r->hdr_len);
	free(r->coltgt);
}

static void info_init(struct ing_info *info, const char *path)
{
	memset(info, 0, sizeof(*info));
	info->path = xstrdup(path);
	info->format = "generic";
	info->encoding = "utf-8";
	info->delimiter = ',';
}

void ing_info_release(struct ing_info *info)
{
	free(info->path);
	for (int k = 0; k < ING_ROLE_COUNT; k++)
		free(info->column[k]);
	memset(info, 0, sizeof(*info));
}

static int join_add(const struct ing_row *row, void *ctx)
{
	struct join *j = ctx;
	int inserted;

	struct strbuf tmp = STRBUF_INIT;
	int added = 0;

	if (row->status != ING_ROW_OK || !row->location_len)
		return 0;
	for (int kind = 0; kind < 3; kind++) {
		if (!join_key(&j->key, &tmp, row->field, row->field_len, kind))
			continue;
		sm_put(&j->map, j->key.buf, j->key.len, j->nr, &inserted);
		added |= inserted;
	}
	sb_release(&tmp);
	if (added) {
		ALLOC_GROW(j->off, j->nr + 1, j->alloc);
		j->len = xrealloc(j->len, j->alloc * sizeof(*j->len));
		j->off[j->nr] = j->text.len;
		j->len[j->nr] = row->location_len;
		sb_add(&j->text, row->location, row->location_len);
		sb_addch(&j->text, '\0');
		j->nr++;
	}
	return 0;
}

static int load_join(const char *path, const struct ing_options *opt, struct join *j, struct strbuf *err)
{
	struct reader r;
	struct ing_info info;
	struct ing_options lo;
	int ret;

	/* the export's --column overrides apply here too (a column this file lacks is the export's) */
	memset(&lo, 0, sizeof(lo));
	memcpy(lo.column, opt->column, sizeof(lo.column));

	sm_init(&j->map);
	sb_init(&j->text, 4096);
	sb_init(&j->key, 64);
	info_init(&info, path);
	reader_init(&r, path, &lo, &info, err);
	r.need_url = 1;
	r.loading = j;
	r.fn = join_add;
	r.ctx = j;
	read_export(&r);
	ret = r.status;
	reader_release(&r);
	ing_info_release(&info);
	return ret;
}

int ing_read(const char *path, const struct ing_options *opt,
	     ing_row_fn fn, ing_progress_fn progress, void *ctx,
	     struct ing_info *info, struct strbuf *err)
{
	static const struct ing_options none;
	struct reader r;
	struct join join;
	int ret, have_join = 0;

	if (!opt)
		opt = &none;
	info_init(info, path);
	memset(&join, 0, sizeof(join));
	if (opt->locations_path) {
		have_join = 1;
		ret = load_join(opt->locations_path, opt, &join, err);
		if (ret) {
			join_release(&join);
			return ret;
		}
	}
	reader_init(&r, path, opt, info, err);
	r.fn = fn;
	r.progress = progress;
	r.ctx = ctx;
	r.join = have_join ? &join : NULL;
	read_export(&r);
	ret = r.status;
	reader_release(&r);
	if (have_join)
		join_release(&join);
	return ret;
}

/* ---- Profile.csv ---- */

struct first_row {
	struct strbuf *out;
	unsigned long line;
	int seen;
};

static int take_first(const struct ing_row *row, void *ctx)
{
	struct first_row *f = ctx;
	if (row->status == ING_ROW_SKIPPED)
		return 0;
	f->seen = 1;
	f->line = row->line;
	if (row->location_len)
		sb_add(f->out, row->location, row->location_len);
	return 1;
}

int ing_profile_location(const char *path, struct strbuf *out, struct strbuf *err)
{
	struct ing_info info;
	struct first_row f = { out, 0, 0 };
	size_t before = out->len;
	int ret = ing_read(path, NULL, take_first, NULL, &f, &info, err);

	if (ret == 1)
		ret = NR_EX_OK;
	if (!ret && !f.seen) {
		sb_reset(err);
		sb_addf(err, "'%s': no data row", path);
		ret = NR_EX_DATAERR;
	} else if (!ret && out->len == before) {
		sb_reset(err);
		sb_addf(err, "'%s': line %lu: no location in the profile", path, f.line);
		ret = NR_EX_DATAERR;
	}
	ing_info_release(&info);
	return ret;
}

/* ---- URL keys ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

size_t ing_url_key(struct strbuf *out, const char *url, size_t len)
{
	size_t i = 0, host_end;
	char *o;
	sb_reset(out);
	trim(&url, &len);
	/* the key is never longer than the URL: grow once, write bytes directly (once per row) */
	sb_grow(out, len + 1);
	o = out->buf;
	/* scheme */
	for (size_t k = 0; k < len && k < 16; k++) {
		char c = lower(url[k]);
		if (c == ':' && k > 0 && k + 2 < len && url[k + 1] == '/' && url[k + 2] == '/') {
			i = k + 3;
			break;
		}
		if (!((c >= 'a' && c <= 'z') || (k > 0 && (c == '+' || c == '-' || c == '.' ||
							   (c >= '0' && c <= '9')))))
			break;
	}
	for (; i < len; i++) {
		char c = url[i];
		if (c == '?' || c == '#')
			break;
		if (c == '%' && i + 2 < len && hexval(url[i + 1]) >= 0 && hexval(url[i + 2]) >= 0) {
			int v = hexval(url[i + 1]) * 16 + hexval(url[i + 2]);
			if (unreserved(v)) {
				*o++ = lower((char)v);
				i += 2;
				continue;
			}
			*o++ = '%';
			*o++ = lower(url[i + 1]);
			*o++ = lower(url[i + 2]);
			i += 2;
			continue;
		}
		*o++ = lower(c);
	}
	out->len = (size_t)(o - out->buf);
	while (out->len && out->buf[out->len - 1] == '/')
		out->len--;
	out->buf[out->len] = '\0';
	if (out->len >= 4 && !memcmp(out->buf, "www.", 4)) {
		memmove(out->buf, out->buf + 4, out->len - 4 + 1);
		out->len -= 4;
	}
	/* de.linkedin.com, m.linkedin.com ... -> linkedin.com */
	host_end = 0;
	while (host_end < out->len && out->buf[host_end] != '/')
		host_end++;
	if (host_end > 13 && !memcmp(out->buf + host_end - 13, ".linkedin.com", 13)) {
		size_t cut = host_end - 12;
		memmove(out->buf, out->buf + cut, out->len - cut + 1);
		out->len -= cut;
	}
	return out->len;
}

/* ---- dates ---- */

static const struct {
	char name[10];
	unsigned char len, month;
} month_names[] = {
	{ "jan", 3, 1 }, { "january", 7, 1 }, { "januar", 6, 1 }, { "janner", 6, 1 },
	{ "feb", 3, 2 }, { "february", 8, 2 }, { "februar", 7, 2 }, { "feber", 5, 2 },
	{ "mar", 3, 3 }, { "march", 5, 3 }, { "marz", 4, 3 }, { "mrz", 3, 3 },
	{ "apr", 3, 4 }, { "april", 5, 4 },
	{ "may", 3, 5 }, { "mai", 3, 5 },
	{ "jun", 3, 6 }, { "june", 4, 6 }, { "juni", 4, 6 },
	{ "jul", 3, 7 }, { "july", 4, 7 }, { "juli", 4, 7 },
	{ "aug", 3, 8 }, { "august", 6, 8 },
	{ "sep", 3, 9 }, { "sept", 4, 9 }, { "september", 9, 9 },
	{ "oct", 3, 10 }, { "october", 7, 10 }, { "okt", 3, 10 }, { "oktober", 7, 10 },
	{ "nov", 3, 11 }, { "november", 8, 11 },
	{ "dec", 3, 12 }, { "december", 8, 12 }, { "dez", 3, 12 }, { "dezember", 8, 12 },
};

struct dtok {
	int word;     /* 0 number, 1 word */
	long val;     /* number value, or month 1..12 (0 = unknown word) */
	int ndig;
	char sep;     /* punctuation right before this token (0 if only spaces or none) */
};

static int tokenize_date(const char *s, size_t len, struct dtok *tok, int max)
{
	size_t i = 0;
	int n = 0;
	char sep = 0;
	while (i < len && n < max) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			long v = 0;
			int d = 0;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, d++)
				if (d < 9)
					v = v * 10 + (s[i] - '0');
			tok[n].word = 0;
			tok[n].val = v;
			tok[n].ndig = d;
			tok[n].sep = sep;
			n++;
			sep = 0;
		} else if (((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80) {
			char w[16];
			size_t wl = 0;
			int bad = 0;
			while (i < len) {
				c = (unsigned char)s[i];
				if ((c | 32) >= 'a' && (c | 32) <= 'z') {
					if (wl < sizeof(w))
						w[wl++] = (char)(c | 32);
					else
						bad = 1;
					i++;
				} else if (c == 0xC3 && i + 1 < len &&
					   ((unsigned char)s[i + 1] == 0xA4 || (unsigned char)s[i + 1] == 0x84)) {
					/* ä / Ä */
					if (wl < sizeof(w))
						w[wl++] = 'a';
					i += 2;
				} else if (c >= 0x80) {
					bad = 1;
					i++;
				} else
					break;
			}
			tok[n].word = 1;
			tok[n].val = 0;
			tok[n].ndig = 0;
			tok[n].sep = sep;
			for (size_t k = 0; !bad && k < ARRAY_SIZE(month_names); k++)
				if (month_names[k].len == wl && month_names[k].name[0] == w[0] &&
				    !memcmp(month_names[k].name, w, wl)) {
					tok[n].val = month_names[k].month;
					break;
				}
			n++;
			sep = 0;
		} else {
			if (c != ' ' && c != '\t')
				sep = (char)c;
			i++;
		}
	}
	return n;
}

static int ym(long y, int ydig, long m, long d)
{
	if (ydig == 2)
		y += 2000;
	else if (ydig != 4)
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 0 || d > 31)
		return -1;
	return (int)(y * 12 + (m - 1));
}

/* s[0..8) and s[0..4) as little-endian numbers */
static inline uint64_t le64(const char *s)
{
	uint64_t w;
	memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static inline uint32_t le32(const char *s)
{
	uint32_t w;
	memcpy(&w, s, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}

/*
 * Every byte of w selected by mask (whole 0xFF bytes) is an ASCII digit:
 * 0x3X, and still 0x3X after adding 6 (no carry can leave a byte that
 * passed the first test).
 */
static inline int all_digits(uint64_t w, uint64_t mask)
{
	uint64_t hi = mask & 0xF0F0F0F0F0F0F0F0ull, want = mask & 0x3030303030303030ull;
	return (w & hi) == want && ((w + (mask & 0x0606060606060606ull)) & hi) == want;
}

/* the value of the decimal digits in the low four bytes of w, first byte most significant */
static inline int dec4(uint64_t w)
{
	uint64_t t = w & 0x0F0F0F0F; /* digit values, one per byte */
	t = (t * 10 + (t >> 8)) & 0x00FF00FF; /* two-digit values in bytes 0 and 2 */
	return (int)((t & 0xFF) * 100 + (t >> 16));
}

static inline int dec2(uint64_t w)
{
	return (int)((w & 15) * 10 + (w >> 8 & 15));
}

#define L3(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)

/*
 * The fixed-width forms without tokenising: LinkedIn's "03 Jan 2024", and
 * "2024-01-03" / "03.01.2024" (any of - / . as both separators). Returns
 * what the tokenizer rules give for them, or -2 for any other shape.
 */
static int parse_month_fast(const char *s, size_t len)
{
	/* the 16 three-letter month names (English and German), lower case, by (code * 3061) >> 27 */
	static const struct {
		uint32_t code;
		unsigned char month;
	} tab[32] = {
		{ 0, 0 },
		{ 0, 0 },
		{ L3('j', 'u', 'l'), 7 },
		{ 0, 0 },
		{ L3('j', 'a', 'n'), 1 },
		{ L3('j', 'u', 'n'), 6 },
		{ 0, 0 },
		{ L3('s', 'e', 'p'), 9 },
		{ 0, 0 },
		{ 0, 0 },
		{ L3('m', 'a', 'r'), 3 },
		{ L3('a', 'p', 'r'), 4 },
		{ 0, 0 },
		{ L3('o', 'c', 't'), 10 },
		{ L3('o', 'k', 't'), 10 },
		{ 0, 0 },
		{ 0, 0 },
		{ L3('n', 'o', 'v'), 11 },
		{ 0, 0 },
		{ L3('f', 'e', 'b'), 2 },
		{ L3('d', 'e', 'c'), 12 },
		{ L3('m', 'a', 'y'), 5 },
		{ L3('d', 'e', 'z'), 12 },
		{ L3('m', 'r', 'z'), 3 },
		{ 0, 0 },
		{ 0, 0 },
		{ L3('a', 'u', 'g'), 8 },
		{ 0, 0 },
		{ 0, 0 },
		{ L3('m', 'a', 'i'), 5 },
		{ 0, 0 },
		{ 0, 0 }
	};
	int y, m, d;

	if (len == 11) {
		/* DD Mon YYYY */
		uint64_t w = le64(s), yw = le32(s + 7);
		uint32_t code, h;
		if ((w & 0x00FF000000FF0000ull) != 0x0020000000200000ull || !all_digits(w, 0xFFFF) ||
		    !all_digits(yw, 0xFFFFFFFF))
			return -2;
		code = (uint32_t)(w >> 24 & 0xFFFFFF) | 0x202020;
		h = (code * 3061u) >> 27;
		if (tab[h].code != code)
			return -2;
		y = dec4(yw);
		d = dec2(w);
		if ((unsigned)(y - 1900) > 2199 - 1900 || d > 31)
			return -1;
		return y * 12 + (tab[h].month - 1);
	} else if (len == 10) {
		uint64_t w = le64(s), t = le32(s + 6);
		char sep = s[4];
		if ((sep == '-' || sep == '/' || sep == '.') && s[7] == sep) {
			/* 2024-01-03: year, month, day */
			if (!all_digits(w, 0x00FFFF00FFFFFFFFull) || !all_digits(t, 0xFFFF0000))
				return -2;
			y = dec4(w);
			m = dec2(w >> 40);
			d = dec2(t >> 16);
		} else if (((sep = s[2]) == '-' || sep == '/' || sep == '.') && s[5] == sep) {
			/* 03.01.2024, 03-01-2024: day first; 01/03/2024: month first if it can be one */
			int a, b;
			if (!all_digits(w, 0xFF00FFFF00FFFFull) || !all_digits(t, 0xFFFFFFFF))
				return -2;
			a = dec2(w);
			b = dec2(w >> 24);
			y = dec4(t);
			if (sep == '/' && a <= 12) {
				m = a;
				d = b;
			} else {
				m = b;
				d = a;
			}
		} else {
			return -2;
		}
	} else {
		return -2;
	}
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d > 31)
		return -1;
	return y * 12 + (m - 1);
}

int ing_parse_month(const char *s, size_t len)
{
	struct dtok t[6];
	int n = parse_month_fast(s, len);
	if (n != -2)
		return n;
	n = tokenize_date(s, len, t, 6);
	if (n < 2)
		return -1;
	/* 2024-01-03, 2024/01/03, 2024-01 */
	if (!t[0].word && t[0].ndig == 4 && !t[1].word && t[1].ndig <= 2 &&
	    (t[1].sep == '-' || t[1].sep == '/' || t[1].sep == '.')) {
		if (n >= 3 && !t[2].word && t[2].sep == t[1].sep)
			return t[2].ndig <= 2 ? ym(t[0].val, 4, t[1].val, t[2].val) : -1;
		return ym(t[0].val, 4, t[1].val, 1);
	}
	if (n >= 3 && !t[0].word && t[0].ndig <= 2 && !t[1].word && t[1].ndig <= 2 && !t[2].word &&
	    t[1].sep && t[2].sep == t[1].sep) {
		/* 03.01.2024, 03-01-2024: day first; 1/3/2024: US month first */
		if (t[1].sep == '/' && t[0].val <= 12)
			return ym(t[2].val, t[2].ndig, t[0].val, t[1].val);
		if (t[1].sep == '/' || t[1].sep == '.' || t[1].sep == '-')
			return ym(t[2].val, t[2].ndig, t[1].val, t[0].val);
		return -1;
	}
	/* 03 Jan 2024, 3. März 2024, 03-Jan-24 */
	if (n >= 3 && !t[0].word && t[0].ndig <= 2 && t[1].word && t[1].val && !t[2].word)
		return ym(t[2].val, t[2].ndig, t[1].val, t[0].val);
	/* Jan 3, 2024 */
	if (n >= 3 && t[0].word && t[0].val && !t[1].word && t[1].ndig <= 2 && !t[2].word &&
	    t[2].ndig == 4)
		return ym(t[2].val, 4, t[0].val, t[1].val);
	/* Jan 2024 */
	if (t[0].word && t[0].val && !t[1].word && t[1].ndig == 4)
		return ym(t[1].val, 4, t[0].val, 1);
	return -1;
}

/* ---- inspect ---- */

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
		fprintf(in->out, "column\t%s\t", role_names[k]);
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
