#ifndef INGEST_INT_H
#define INGEST_INT_H

/*
 * Internal to the ingest module (ingest*.c; nothing else includes it): the
 * reader that ingest.c drives and the other parts share.
 *
 *   ingest.c         the reader: chunks, decoding, libcsv callbacks, rows,
 *                    the vCard bridge, ing_read / ing_read_mem
 *   ingest_header.c  the known header names and roles, finding the header
 *                    (ing_sniff_header), mapping its columns (ing_header_done)
 *   ingest_split.c   reading in two parts on two cores (struct ing_split)
 *   ingest_join.c    --locations: loading the join map, looking rows up,
 *                    profile URL keys
 *   ingest_date.c    dates (ing_parse_month)
 *   ingest_inspect.c `inspect` and `template`
 *
 * Ownership: struct ing_reader owns its buffers (ing_reader_release); it
 * borrows path, opt, info, err, the join and the in-memory export.
 */

#include <stddef.h>

#include "encoding.h"
#include "ingest.h"
#include "util.h"

struct csv_parser;

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

/* roles a --locations join reads (ing_join_key) */
#define JOIN_ROLES (ING_ROLE_BIT(ING_URL) | ING_ROLE_BIT(ING_EMAIL) | ING_ROLE_BIT(ING_FULL_NAME) | \
		    ING_ROLE_BIT(ING_FIRST_NAME) | ING_ROLE_BIT(ING_LAST_NAME) | ING_ROLE_BIT(ING_COMPANY))
#define HIGHS 0x8080808080808080ull
/* ing_read_full: read at the file position, not at an offset */
#define AT_POSITION (~0ULL)

/* ---- the --locations join map (ingest_join.c) ---- */

struct ing_join {
	struct strmap map;   /* join key (ing_join_key) -> index */
	unsigned found_cols; /* ING_ROLE_BIT of the --column overrides the locations file has */
	struct strbuf key;   /* scratch for loading */
	struct strbuf text;  /* locations, NUL-separated */
	size_t *off, *len;
	size_t nr, alloc;
};

/* ---- the reader (ingest.c) ---- */

enum { PH_HEADER, PH_DATA };

struct ing_reader {
	const char *path;
	const struct ing_options *opt;
	int sniff_records;           /* records searched for the header */
	unsigned long sniff_last;    /* no known header: last line searched (else 0) */
	int need_url;                /* reading a --locations file: a join key and a location required */
	struct ing_join *loading;        /* the join being loaded (need_url) */
	struct ing_info *info;
	struct strbuf *err;
	/* ing_read_mem: the export in memory (mem_pos bytes of it read), else NULL: read the file at path */
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	ing_row_fn fn;
	ing_progress_fn progress;
	void *ctx;
	int status;                  /* nonzero: error or the callback's value; stop */

	/*
	 * Line numbers: text goes to libcsv one physical line at a time
	 * (ing_feed_lines), so at the start of each line the parser's state
	 * tells whether a record can start there.
	 */
	unsigned long line;          /* physical line being fed */
	unsigned long rec_line;      /* line where the record being parsed started */
	int at_line_start;           /* the next byte fed starts a physical line */
	int skip_lf;                 /* a line ended in CR at a chunk end: a leading LF belongs to it */
	int has_cr;                  /* the current chunk holds CR bytes */

	/*
	 * invalid UTF-8 in passthrough text: only copied cells can be seen, so
	 * put_cell looks at those with a byte >= 0x80 and ing_on_row validates the
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
	 * Where ing_on_field puts a cell: a column that a role reads has a chain
	 * of targets (row.field[role] / field_len[role], or fb_field for an
	 * Outlook Home part), which ing_on_field points at the cell's copy in the
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
	size_t field_lim;            /* FIELD_MAX, or 0 while overflow is set (see ing_on_field) */

	struct strbuf arena, loc, key;
	const struct ing_join *join;
	struct ing_row row;
};

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

/* Set the reader's error (the first one only): "'<path>': [line N: ]<text>"; status stops reading. */
void ing_set_err(struct ing_reader *r, int status, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Set r up to read path (or, with r->mem set afterwards, memory); release with ing_reader_release. */
void ing_reader_init(struct ing_reader *r, const char *path, const struct ing_options *opt,
		     struct ing_info *info, struct strbuf *err);
void ing_reader_release(struct ing_reader *r);
/* Read the export r was set up for; the outcome is r->status (0, an exit status or the callback's value). */
void ing_reader_read(struct ing_reader *r);
/* The defaults of an ing_info for path (path copied). */
void ing_info_init(struct ing_info *info, const char *path);

/* libcsv callbacks of the data rows (ingest.c) and of the header (ingest_header.c); vr is the reader */
void ing_on_field(void *data, size_t len, void *vr);
void ing_on_row(int c, void *vr);
void ing_header_field(void *data, size_t len, void *vr);
/* libcsv's realloc: refuses to grow a field past ENTRY_CAP */
void *ing_capped_realloc(void *p, size_t n);
/* Feed decoded text to libcsv one physical line at a time (exact line numbers). */
void ing_feed_lines(struct ing_reader *r, struct csv_parser *p, const char *s, size_t len);
/* Read up to cap bytes at offset off (pread), or at the file position (AT_POSITION); count or -1. */
long ing_read_full(int fd, unsigned char *buf, size_t cap, unsigned long long off);

/* ---- the header (ingest_header.c) ---- */

struct ing_sniff {
	int found;
	size_t off;           /* byte offset of the header record in the decoded text */
	unsigned long line;
	char delim;
	int fallback;         /* no known header: the first record is taken */
	int records;          /* records searched */
	unsigned long last;   /* last line searched */
	int stopped;          /* the search stopped before the end of the file */
};

/* Find the header record and delimiter in the first decoded chunk t[0..n) (eof: it is the whole file). */
void ing_sniff_header(const char *t, size_t n, int eof, const struct ing_options *opt, struct ing_sniff *sn);
/*
 * The header record has been read (its cells in r->hdr): map columns to
 * roles and targets, fill info (format, columns), check what the read
 * needs. 0, or -1 with r->status and the error set.
 */
int ing_header_done(struct ing_reader *r, unsigned long line);

/* ---- the --locations join (ingest_join.c) ---- */

/* Load the --locations file at path into j (the export's --column overrides apply); 0 or an exit status. */
int ing_join_load(const char *path, const struct ing_options *opt, struct ing_join *j, struct strbuf *err);
void ing_join_release(struct ing_join *j);
/*
 * Join key kind (0 profile URL, 1 e-mail, 2 folded name and company) of the
 * cells f/fl into out (reset; tmp is scratch); its length, 0 when the cells
 * lack it.
 */
size_t ing_join_key(struct strbuf *out, struct strbuf *tmp, const char *const *f, const size_t *fl, int kind);
/* Set row->location from j when a key of the row is there (counted in info->locations_joined). */
void ing_join_find(const struct ing_join *j, struct strbuf *key, struct strbuf *tmp, struct ing_row *row,
		   struct ing_info *info);

/* ---- reading in two parts (ingest_split.c) ---- */

struct ing_half;

/*
 * Start the second part of a split read of r's file (fd, total bytes, done
 * of them read, encoding kind) when ing_options.split asks for it and the
 * file allows: returns it and the cut in *cut, or NULL (reading goes on in
 * one piece).
 */
struct ing_half *ing_half_start(struct ing_reader *r, int fd, unsigned long long done, unsigned long long total,
				enum enc_kind kind, unsigned long long *cut);
/* Bytes and records the second part has read so far (for progress). */
unsigned long long ing_half_done(struct ing_half *h);
unsigned long ing_half_records(struct ing_half *h);
/*
 * Wait for the second part and hand it to join (valid: the first part ended
 * at the cut between records); frees h. 1 when its rows were taken
 * (r->info then counts them too, and *bytes, when not NULL, gets the bytes
 * the second part read), 0 when they must be read again.
 */
int ing_half_finish(struct ing_half *h, struct ing_reader *r, int valid, unsigned long long *bytes);

#endif
