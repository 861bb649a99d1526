/*
 * ingest_split: reading one big export on two cores (struct ing_split):
 * a second reader, cloned from the first once the header is known, parses
 * the part after a cut near the middle in its own thread; the calling
 * thread then hands its rows to ing_split.join or reads them again.
 */
#include "ingest_int.h"

#include <csv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/*
 * The second part of a split read: a reader cloned from the first once the
 * header is known, its own libcsv parser, ing_info and error text, reading
 * [start, end of file) with pread on the shared descriptor (which leaves
 * the first part's file offset alone). Its line numbers count from the
 * cut. The calling thread reads done and records (atomics) for progress.
 */
struct ing_half {
	struct ing_reader r;
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
static void *rebase(const struct ing_reader *from, struct ing_reader *to, const void *p)
{
	return (char *)to + ((const char *)p - (const char *)from);
}

/*
 * Set d up to read data rows as s would, from the start of a line: the
 * same header mapping, options, join and callback, fresh buffers and
 * per-record state, line 1. The targets, which point into the reader
 * itself (row.field, fb_field), are moved to d's own.
 */
static void reader_clone(struct ing_reader *d, const struct ing_reader *s, struct ing_info *info, struct strbuf *err,
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
	struct ing_half *h = arg;
	struct ing_reader *r = &h->r;
	struct csv_parser p;
	unsigned char *buf = xmalloc(CHUNK_SIZE);
	unsigned long long off = h->start;
	int eof = 0;

	csv_init(&p, CSV_REPALL_NL);
	csv_set_delim(&p, (unsigned char)h->info.delimiter);
	csv_set_realloc_func(&p, ing_capped_realloc);
	csv_set_blk_size(&p, 64 * 1024);
	while (!eof && !r->status) {
		long n;
		if (atomic_load(&h->stop)) {
			r->status = -1;
			break;
		}
		n = ing_read_full(h->fd, buf, CHUNK_SIZE, off);
		if (n < 0 || memchr(buf, 0, (size_t)n) || (!h->high_ok && has_high(buf, (size_t)n))) {
			r->status = -1; /* the calling thread reads this part again and says what is wrong */
			break;
		}
		eof = n < CHUNK_SIZE;
		off += (unsigned long long)n;
		r->has_cr = memchr(buf, '\r', (size_t)n) != NULL;
		ing_feed_lines(r, &p, (const char *)buf, (size_t)n);
		atomic_store(&h->done, off - h->start);
		atomic_store(&h->records, h->info.records);
	}
	if (!r->status) {
		if (p.pstate == LIBCSV_FIELD_BEGUN && p.quoted)
			r->unterminated = 1;
		csv_fini(&p, ing_on_field, ing_on_row, r);
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
		long n = ing_read_full(fd, buf, sizeof(buf), at);
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

struct ing_half *ing_half_start(struct ing_reader *r, int fd, unsigned long long done, unsigned long long total,
				enum enc_kind kind, unsigned long long *cutp)
{
	const struct ing_split *sp = r->opt->split;
	struct ing_half *h;
	unsigned long long cut;
	*cutp = 0;
	if (!sp || !sp->join || r->status || r->phase != PH_DATA || total < sp->min_bytes || total <= done ||
	    (kind != ENC_UNDECIDED && kind != ENC_UTF8 && kind != ENC_UTF8_BOM))
		return NULL;
	cut = find_cut(fd, done, total);
	if (!cut)
		return NULL;
	h = xcalloc(1, sizeof(*h));
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
		ing_reader_release(&h->r);
		sb_release(&h->err);
		free(h);
		return NULL;
	}
	*cutp = cut;
	return h;
}

unsigned long long ing_half_done(struct ing_half *h)
{
	return atomic_load(&h->done);
}

unsigned long ing_half_records(struct ing_half *h)
{
	return atomic_load(&h->records);
}

int ing_half_finish(struct ing_half *h, struct ing_reader *r, int valid, unsigned long long *bytes)
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
	if (bytes)
		*bytes = atomic_load(&h->done);
	ing_reader_release(&h->r);
	sb_release(&h->err);
	free(h);
	return taken;
}
