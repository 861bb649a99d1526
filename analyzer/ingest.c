/*
 * ingest: the reader. An export is read in 256 KiB chunks, decoded to UTF-8
 * (encoding.h), its header found (ingest_header.c) and then fed to libcsv
 * one physical line at a time; the field callback copies only the cells a
 * role reads into a per-row arena (nothing is allocated per row), and each
 * record becomes one struct ing_row. A vCard file goes through vcard.h
 * instead. Big files may be read in two parts (ingest_split.c).
 */
#include "ingest_int.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoding.h"
#include "text.h"
#include "vcard.h"

#include "banned.h"

/* ---- the reader ---- */

void ing_set_err(struct ing_reader *r, int status, unsigned long line, const char *fmt, ...)
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
static __attribute__((noinline)) void grow_arena(struct ing_reader *r, size_t extra)
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

/* A copied cell has a byte >= 0x80: have ing_on_row check the row unless the cell is plainly valid. */
static __attribute__((noinline)) void note_high(struct ing_reader *r, const char *cell, size_t len)
{
	if (r->check_utf8 && !utf8_latin_only(cell, len))
		r->utf8_check = 1;
}

/* Copy a cell into the arena, which has room for it, and point its column's targets there. */
static inline __attribute__((always_inline)) void put_cell(struct ing_reader *r, int t, const char *data,
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
 * ing_on_field for every case: an empty cell (its targets get ""), a field
 * over the limit, one that overflowed libcsv's buffer (overflow set).
 */
static __attribute__((noinline)) void on_field_slow(struct ing_reader *r, size_t i, const char *data, size_t len)
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
void ing_on_field(void *data, size_t len, void *vr)
{
	struct ing_reader *r = vr;
	size_t i = r->nfields++;
	int t;

	if (__builtin_expect(len - 1 >= r->field_lim, 0)) {
		if (len || r->overflow || i >= r->ncols || r->coltgt[i] >= 0) {
			on_field_slow(r, i, data, len); /* tail calls: ing_on_field saves no registers */
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

/* Append "City, Region, Country" from the parts present (f/fl indexed by role; NULL: no column). */
static void add_parts(struct ing_reader *r, const char *const *f, const size_t *fl)
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

static void emit_skipped(struct ing_reader *r, const char *reason)
{
	struct ing_row *row = &r->row;
	row->status = ING_ROW_SKIPPED;
	row->skip_reason = reason;
	/* ing_on_row() puts "" back into the targets afterwards */
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		row->field[k] = NULL;
		row->field_len[k] = 0;
	}
	r->info->skipped++;
}

/*
 * The row's location: City, Region, Country (else the fallback parts:
 * Outlook's Home address, Salesforce's Other*), else the free-text
 * location column (Outlook's "Location" may be "Building 5": it must not
 * hide an address), else the --locations entry.
 */
static void location_of(struct ing_reader *r, struct ing_row *row)
{
	const char *s;
	size_t n;
	/* a part without a column is NULL (between rows a column's target holds ""): most exports have none */
	if (row->field[ING_CITY] || row->field[ING_REGION] || row->field[ING_COUNTRY] || r->fb_field[ING_CITY] ||
	    r->fb_field[ING_REGION] || r->fb_field[ING_COUNTRY]) {
		sb_reset(&r->loc);
		if (row->field[ING_CITY] || row->field[ING_REGION] || row->field[ING_COUNTRY])
			add_parts(r, row->field, row->field_len);
		if (!r->loc.len && (r->fb_field[ING_CITY] || r->fb_field[ING_REGION] || r->fb_field[ING_COUNTRY]))
			add_parts(r, r->fb_field, r->fb_len);
		if (r->loc.len) {
			row->location = r->loc.buf;
			row->location_len = r->loc.len;
			return;
		}
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
	if (r->join)
		ing_join_find(r->join, &r->key, &r->loc, row, r->info);
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

static void emit_row(struct ing_reader *r, unsigned long line)
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

	/* coords_of only where both columns are there: most exports have neither */
	if (!(row->field[ING_LAT] && row->field[ING_LON] && coords_of(row, row->field, row->field_len)) &&
	    r->fb_field[ING_LAT] && r->fb_field[ING_LON])
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

/*
 * A row with a copied cell that may be invalid UTF-8 (passthrough text,
 * a byte >= 0x80 that is not part of a two-byte sequence) is checked: the
 * arena holds the cells NUL-separated, and NUL is ASCII, so the whole run
 * is valid iff every cell is. Invalid cells get a copy appended in which
 * the bytes that are not UTF-8 are read as Windows-1252 (enc_utf8_mixed);
 * the row is counted in info->recoded_rows.
 */
static void validate_row(struct ing_reader *r)
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
static __attribute__((noinline)) void reset_targets(struct ing_reader *r, size_t col)
{
	for (int t = 0; t < r->ntgt; t++) {
		if (r->tgt[t].col >= col) {
			*r->tgt[t].p = "";
			*r->tgt[t].l = 0;
		}
	}
}

void ing_on_row(int c, void *vr)
{
	struct ing_reader *r = vr;
	(void)c;
	if (r->nfields == 0)
		return; /* an empty line, or the LF of a CRLF (CSV_REPALL_NL) */
	if (!r->status) {
		if (!r->nonempty && !r->unterminated) {
			/* every cell empty (",,,"): not a record */
		} else if (r->phase == PH_HEADER) {
			ing_header_done(r, r->rec_line);
		} else {
			/*
			 * ing_on_field wrote the targets of every cell of the row,
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

/* ---- reading ---- */

void *ing_capped_realloc(void *p, size_t n)
{
	return n > ENTRY_CAP ? NULL : realloc(p, n);
}

/*
 * csv_parse stopped before s: a parser error, or the field passed the
 * limit. Then drop what libcsv holds but one byte (libcsv may later
 * subtract p->spaces + 1 from entry_pos, so keep one byte and zero
 * spaces), remember that the field is too long and go on.
 */
static __attribute__((noinline)) void feed_stopped(struct ing_reader *r, struct csv_parser *p,
						    const char *s, size_t len)
{
	for (;;) {
		size_t n;
		if (csv_error(p) != CSV_ENOMEM || p->entry_pos < FIELD_MAX) {
			ing_set_err(r, NR_EX_OSERR, 0, "csv parser: %s", csv_strerror(csv_error(p)));
			return;
		}
		p->entry_pos = 1;
		p->spaces = 0;
		p->status = 0;
		r->overflow = 1;
		r->field_lim = 0;
		if (r->status)
			return;
		n = csv_parse(p, s, len, r->phase == PH_HEADER ? ing_header_field : ing_on_field, ing_on_row, r);
		if (n == len)
			return;
		s += n;
		len -= n;
	}
}

/* Give len > 0 bytes to libcsv (the caller has checked r->status). */
static inline void feed_raw(struct ing_reader *r, struct csv_parser *p, const char *s, size_t len)
{
	size_t n = csv_parse(p, s, len, r->phase == PH_HEADER ? ing_header_field : ing_on_field, ing_on_row, r);
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
void ing_feed_lines(struct ing_reader *r, struct csv_parser *p, const char *s, size_t len)
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
long ing_read_full(int fd, unsigned char *buf, size_t cap, unsigned long long off)
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

/* The next up to cap bytes of the export: from memory (ing_read_mem) or the file; count or -1. */
static long src_read(struct ing_reader *r, int fd, unsigned char *buf, size_t cap)
{
	size_t n;
	if (!r->mem)
		return ing_read_full(fd, buf, cap, AT_POSITION);
	n = r->mem_len - r->mem_pos < cap ? r->mem_len - r->mem_pos : cap;
	memcpy(buf, r->mem + r->mem_pos, n);
	r->mem_pos += n;
	return (long)n;
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
	struct ing_reader *r = vr;
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
static void read_vcard(struct ing_reader *r, int fd, struct enc *enc, unsigned char *buf, struct strbuf *dec,
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
		ing_set_err(r, NR_EX_DATAERR, 0, "a vCard file, not a CSV of profile URL and location for --locations");
		vc_free(vp);
		return;
	}
	r->phase = PH_DATA;
	vc_feed(vp, t, tlen);
	if (r->progress)
		r->progress(done, total, info->records, r->ctx);
	while (!eof && !r->status) {
		long n = src_read(r, fd, buf, CHUNK_SIZE);
		if (n < 0) {
			int e = errno;
			ing_set_err(r, NR_EX_IOERR, 0, "read error: ");
			errno_msg(r->err, e);
			break;
		}
		eof = n < CHUNK_SIZE;
		done += (unsigned long long)n;
		info->bytes = done;
		t = enc_decode(enc, buf, (size_t)n, eof, dec, &tlen);
		info->encoding = enc_name(enc);
		if (memchr(t, 0, tlen)) {
			ing_set_err(r, NR_EX_DATAERR, 0, "NUL byte (binary data, not a vCard file)");
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
 * enc_decode) marks the record it belongs to: ing_on_row counts it in
 * info->recoded_rows. A record ends only at a line end, so each line
 * belongs to the one record that is being parsed while it is fed.
 */
static void feed_cp1252(struct ing_reader *r, struct csv_parser *p, struct enc *enc, const unsigned char *buf,
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
		ing_feed_lines(r, p, t, tlen);
		i = end;
	}
	if (eof && !n && !r->status) {
		/* the file ended at a chunk boundary: flush a UTF-8 sequence held back at the end */
		t = enc_decode(enc, buf, 0, 1, dec, &tlen);
		ing_feed_lines(r, p, t, tlen);
	}
}

void ing_reader_read(struct ing_reader *r)
{
	struct csv_parser p;
	struct enc enc;
	struct strbuf dec = STRBUF_INIT;
	struct ing_sniff sn;
	struct stat st;
	unsigned long long total = 0, done = 0, cut = 0;
	struct ing_half *half = NULL;
	unsigned char *buf = NULL;
	const char *t;
	size_t tlen, skip;
	long n;
	int eof, fd = -1, parser = 0, reg = 0;

	if (r->mem) {
		/* in memory: read in the same chunks as a file, never split */
		total = r->mem_len;
		goto opened;
	}
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		/* out of file descriptors is the system's trouble, not a missing input */
		ing_set_err(r, e == EMFILE || e == ENFILE ? NR_EX_OSERR : NR_EX_NOINPUT, 0, "cannot open: ");
		errno_msg(r->err, e);
		return;
	}
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			ing_set_err(r, NR_EX_NOINPUT, 0, "is a directory");
			goto out;
		}
		reg = S_ISREG(st.st_mode);
		if (reg)
			total = (unsigned long long)st.st_size;
	}
opened:
	buf = xmalloc(CHUNK_SIZE);
	sb_init(&dec, CHUNK_SIZE + CHUNK_SIZE / 2);
	n = src_read(r, fd, buf, CHUNK_SIZE);
	if (n < 0) {
		int e = errno;
		ing_set_err(r, NR_EX_IOERR, 0, "read error: ");
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
		ing_set_err(r, NR_EX_DATAERR, nul ? line_of(t, (size_t)(nul - t)) : 0,
			nul ? "NUL byte (binary data, not a CSV export)"
			    : "binary data (control bytes), not a CSV export");
		goto out;
	}
	if (vc_sniff(t, tlen)) {
		read_vcard(r, fd, &enc, buf, &dec, t, tlen, eof, done, total);
		goto out;
	}
	ing_sniff_header(t, tlen, eof, r->opt, &sn);
	if (!sn.found) {
		ing_set_err(r, NR_EX_DATAERR, 0, tlen ? "no header line found" : "empty file");
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
	csv_set_realloc_func(&p, ing_capped_realloc);
	csv_set_blk_size(&p, 64 * 1024);
	ing_feed_lines(r, &p, t + sn.off, tlen - sn.off);
	if (!eof && reg)
		half = ing_half_start(r, fd, done, total, enc.kind, &cut);
	if (r->progress)
		r->progress(done, total, r->info->records, r->ctx);
	while (!eof && !r->status) {
		const char *nul;
		size_t want = cut && cut - done < CHUNK_SIZE ? (size_t)(cut - done) : CHUNK_SIZE;
		n = src_read(r, fd, buf, want);
		if (n < 0) {
			int e = errno;
			ing_set_err(r, NR_EX_IOERR, 0, "read error: ");
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
				ing_set_err(r, NR_EX_DATAERR, r->line, "NUL byte (binary data, not a CSV export)");
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
			ing_feed_lines(r, &p, t, (size_t)(nul - t));
			ing_set_err(r, NR_EX_DATAERR, r->line, "NUL byte (binary data, not a CSV export)");
			break;
		}
		ing_feed_lines(r, &p, t, tlen);
		if (r->progress)
			r->progress(done + (cut ? ing_half_done(half) : 0), total,
				    r->info->records + (cut ? ing_half_records(half) : 0), r->ctx);
		if (cut && done == cut) {
			/* the first part is read: its parser must be between records at the cut */
			int valid = !r->status && p.pstate == LIBCSV_ROW_NOT_BEGUN && r->at_line_start && !r->skip_lf;
			cut = 0;
			unsigned long long more;
			if (ing_half_finish(half, r, valid, &more)) {
				done += more; /* the thread is joined: final */
				r->info->bytes = done;
				eof = 1; /* csv_fini below finds the parser between records: nothing more */
				if (r->progress)
					r->progress(done, total, r->info->records, r->ctx);
			}
		}
	}
	if (cut)
		ing_half_finish(half, r, 0, NULL); /* stopped before the cut */
	if (!r->status) {
		if (p.pstate == LIBCSV_FIELD_BEGUN && p.quoted)
			r->unterminated = 1;
		csv_fini(&p, r->phase == PH_HEADER ? ing_header_field : ing_on_field, ing_on_row, r);
	}
	if (!r->status && r->phase == PH_HEADER)
		ing_set_err(r, NR_EX_DATAERR, sn.line, "no header line found");
out:
	if (parser)
		csv_free(&p);

	if (fd >= 0)
		close(fd);
	free(buf);
	sb_release(&dec);
}

void ing_reader_init(struct ing_reader *r, const char *path, const struct ing_options *opt,
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

void ing_reader_release(struct ing_reader *r)
{
	sb_release(&r->hdr);
	sb_release(&r->arena);
	sb_release(&r->loc);
	sb_release(&r->key);
	free(r->hdr_off);
	free(r->hdr_len);
	free(r->coltgt);
}

void ing_info_init(struct ing_info *info, const char *path)
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

/* ing_read, or with mem set ing_read_mem (path is then the name in messages) */
static int read_one(const char *path, const void *mem, size_t mem_len, const struct ing_options *opt,
		    ing_row_fn fn, ing_progress_fn progress, void *ctx, struct ing_info *info, struct strbuf *err)
{
	static const struct ing_options none;
	struct ing_reader r;
	struct ing_join join;
	int ret, have_join = 0;

	if (!opt)
		opt = &none;
	ing_info_init(info, path);
	memset(&join, 0, sizeof(join));
	if (opt->locations_path) {
		have_join = 1;
		ret = ing_join_load(opt->locations_path, opt, &join, err);
		if (ret) {
			ing_join_release(&join);
			return ret;
		}
	}
	ing_reader_init(&r, path, opt, info, err);
	r.mem = mem;
	r.mem_len = mem_len;
	r.fn = fn;
	r.progress = progress;
	r.ctx = ctx;
	r.join = have_join ? &join : NULL;
	ing_reader_read(&r);
	ret = r.status;
	ing_reader_release(&r);
	if (have_join)
		ing_join_release(&join);
	return ret;
}

int ing_read(const char *path, const struct ing_options *opt,
	     ing_row_fn fn, ing_progress_fn progress, void *ctx,
	     struct ing_info *info, struct strbuf *err)
{
	return read_one(path, NULL, 0, opt, fn, progress, ctx, info, err);
}

int ing_read_mem(const char *name, const void *data, size_t len, const struct ing_options *opt,
		 ing_row_fn fn, ing_progress_fn progress, void *ctx, struct ing_info *info, struct strbuf *err)
{
	static const unsigned char empty[1];
	return read_one(name, len ? data : empty, len, opt, fn, progress, ctx, info, err);
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
