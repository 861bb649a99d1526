#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "banned.h"

static void die_oom(void)
{
	fputs("netreach: out of memory\n", stderr);
	exit(NR_EX_OSERR);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom();
	return q;
}

void *xcalloc_table(size_t n)
{
	const size_t huge = (size_t)2 << 20;
	void *p = NULL;
	if (n < huge)
		return xcalloc(1, n);
	if (posix_memalign(&p, huge, n))
		die_oom();
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE); /* advice only: without huge pages the table works the same */
#endif
	memset(p, 0, n);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void nr_escape_controls(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			sb_adds(out, "\\n");
		else if (c == '\r')
			sb_adds(out, "\\r");
		else if (c == '\t')
			sb_adds(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(out, "\\x%02x", c);
		else
			sb_addch(out, (char)c);
	}
}

void nr_error(const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, line = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	sb_adds(&line, "netreach: ");
	nr_escape_controls(&line, msg.buf, msg.len);
	sb_addch(&line, '\n');
	fwrite(line.buf, 1, line.len, stderr);
	sb_release(&msg);
	sb_release(&line);
}

/* strbuf */

static char sb_empty[1];

void sb_init(struct strbuf *sb, size_t hint)
{
	sb->buf = sb_empty;
	sb->len = sb->alloc = 0;
	if (hint)
		sb_grow(sb, hint);
}

void sb_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb_init(sb, 0);
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need;
	if (!sb->buf)
		sb_init(sb, 0);
	if (extra > SIZE_MAX / 2 - sb->len)
		die_oom();
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	if (!sb->alloc) {
		size_t na = need < 64 ? 64 : need;
		char *p = xmalloc(na);
		memcpy(p, sb->buf, sb->len);
		p[sb->len] = '\0';
		sb->buf = p;
		sb->alloc = na;
		return;
	}
	ALLOC_GROW(sb->buf, need, sb->alloc);
}

void sb_reset(struct strbuf *sb)
{
	sb_setlen(sb, 0);
}

void sb_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->buf)
		sb_init(sb, 0);
	if (!sb->alloc) {
		if (len)
			sb_grow(sb, len);
		else
			return;
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addch(struct strbuf *sb, int c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	sb_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		sb_grow(sb, (size_t)n);
		va_copy(cp, ap);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
		va_end(cp);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void sb_trim(struct strbuf *sb)
{
	size_t a = 0, b = sb->len;
	while (a < b && is_ws((unsigned char)sb->buf[a]))
		a++;
	while (b > a && is_ws((unsigned char)sb->buf[b - 1]))
		b--;
	if (a)
		memmove(sb->buf, sb->buf + a, b - a);
	sb_setlen(sb, b - a);
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
	char *p;
	if (!sb->alloc)
		sb_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	sb_init(sb, 0);
	return p;
}

void sb_addu(struct strbuf *sb, unsigned long n)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	sb_add(sb, tmp + i, sizeof(tmp) - i);
}

size_t nr_fmt_fixed(char *buf, double x, int decimals)
{
	static const double scale[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	double a = fabs(x), p, e, fl, d;
	char tmp[NR_FIXED_MAX];
	size_t i = sizeof(tmp);
	uint64_t q;

	if (decimals < 0 || decimals > 9 || !(a * 1e9 < 9e15))
		return 0; /* NaN, inf, huge */
	/* a * 10^d == p + e exactly (10^d is exact; fma gives the product's rounding error) */
	p = a * scale[decimals];
	e = fma(a, scale[decimals], -p);
	fl = floor(p);
	d = (p - fl) - 0.5; /* its sign is exact, and it is 0 only on a tie of p */
	q = (uint64_t)fl;
	if (d > 0 || (d == 0 && (e > 0 || (e == 0 && (q & 1)))))
		q++; /* to nearest, ties to even, as printf rounds */
	for (int k = 0; k < decimals; k++) {
		tmp[--i] = (char)('0' + q % 10);
		q /= 10;
	}
	if (decimals)
		tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + q % 10);
		q /= 10;
	} while (q);
	if (signbit(x))
		tmp[--i] = '-';
	memcpy(buf, tmp + i, sizeof(tmp) - i);
	return sizeof(tmp) - i;
}

void sb_addfixed(struct strbuf *sb, double x, int decimals)
{
	size_t n;
	sb_grow(sb, NR_FIXED_MAX);
	n = nr_fmt_fixed(sb->buf + sb->len, x, decimals);
	if (!n) {
		sb_addf(sb, "%.*f", decimals, x);
		return;
	}
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add_count(struct strbuf *sb, unsigned long long n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sb_addch(sb, ',');
		sb_addch(sb, tmp[i]);
	}
}

/* strmap: open addressing with linear probing over entry indices. */

/* One 64-bit word into the state: xor, multiply by an odd constant, fold the high bits down. */
static inline uint64_t sm_mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9fb21c651e98df25ULL;
	return h ^ (h >> 29);
}

static inline uint64_t sm_load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static inline uint64_t sm_load32(const unsigned char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w;
}

/*
 * Eight bytes per step (the per-row location lookup hashes every row's
 * location, and byte-at-a-time FNV was most of that lookup's cost). The
 * last word of a key of 8+ bytes is read ending at its last byte (it may
 * overlap the one before); keys of 4 to 7 bytes are read as two
 * overlapping halves, shorter ones byte by byte. The length seeds the
 * state, so keys that share those words still differ. A final avalanche
 * makes the low bits, which index the tables, depend on every input bit.
 * The value depends on the byte order of the machine; nothing stores it
 * across machines (the gazetteer index is built where it is used).
 */
uint64_t sm_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0x243f6a8885a308d3ULL ^ ((uint64_t)len * 0xc2b2ae3d27d4eb4fULL);
	if (len >= 8) {
		const unsigned char *last = p + len - 8;
		for (; p < last; p += 8)
			h = sm_mix(h, sm_load64(p));
		h = sm_mix(h, sm_load64(last));
	} else if (len >= 4) {
		h = sm_mix(h, sm_load32(p) | sm_load32(p + len - 4) << 32);
	} else if (len) {
		h = sm_mix(h, (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16);
	}
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

void sm_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
	m->chunk_size = 64 * 1024;
}

void sm_release(struct strmap *m)
{
	for (size_t i = 0; i < m->nr_chunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->slots);
	free(m->entries);
	sm_init(m);
}

static size_t *lookup(const struct strmap *m, const void *key, size_t len,
		      uint64_t h, size_t *slot_out)
{
	size_t mask, i;
	if (!m->nslots) {
		if (slot_out)
			*slot_out = 0;
		return NULL;
	}
	mask = m->nslots - 1;
	for (i = (size_t)h & mask;; i = (i + 1) & mask) {
		uint32_t s = m->slots[i];
		struct sm_entry *e;
		if (!s) {
			if (slot_out)
				*slot_out = i;
			return NULL;
		}
		e = &m->entries[s - 1];
		if (e->hash == h && e->len == len && !memcmp(e->key, key, len))
			return &e->value;
	}
}

size_t *sm_get(const struct strmap *m, const void *key, size_t len)
{
	return lookup(m, key, len, sm_hash(key, len), NULL);
}

static void rehash(struct strmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64;
	free(m->slots);
	m->slots = xcalloc(n, sizeof(*m->slots));
	m->nslots = n;
	for (size_t i = 0; i < m->nr; i++) {
		size_t j = (size_t)m->entries[i].hash & (n - 1);
		while (m->slots[j])
			j = (j + 1) & (n - 1);
		m->slots[j] = (uint32_t)(i + 1);
	}
}

static char *new_chunk(struct strmap *m, size_t sz)
{
	ALLOC_GROW(m->chunks, m->nr_chunks + 1, m->alloc_chunks);
	return m->chunks[m->nr_chunks++] = xmalloc(sz);
}

/* Copy key into chunk storage; big keys get a chunk of their own. */
static char *store_key(struct strmap *m, const void *key, size_t len)
{
	char *p;
	if (len + 1 > m->chunk_size / 4) {
		p = new_chunk(m, len + 1);
	} else {
		if (!m->cur || len + 1 > m->chunk_size - m->chunk_used) {
			m->cur = new_chunk(m, m->chunk_size);
			m->chunk_used = 0;
		}
		p = m->cur + m->chunk_used;
		m->chunk_used += len + 1;
	}
	memcpy(p, key, len);
	p[len] = '\0';
	return p;
}

size_t *sm_put(struct strmap *m, const void *key, size_t len,
	       size_t default_value, int *inserted)
{
	uint64_t h = sm_hash(key, len);
	size_t slot;
	size_t *v = lookup(m, key, len, h, &slot);
	struct sm_entry *e;
	if (v) {
		if (inserted)
			*inserted = 0;
		return v;
	}
	if (m->nr >= UINT32_MAX - 1) {
		fputs("netreach: too many distinct keys\n", stderr);
		exit(NR_EX_SOFTWARE);
	}
	if ((m->nr + 1) * 4 > m->nslots * 3) {
		rehash(m);
		lookup(m, key, len, h, &slot);
	}
	ALLOC_GROW(m->entries, m->nr + 1, m->alloc);
	e = &m->entries[m->nr];
	e->key = store_key(m, key, len);
	e->len = len;
	e->hash = h;
	e->value = default_value;
	m->slots[slot] = (uint32_t)(m->nr + 1);
	m->nr++;
	if (inserted)
		*inserted = 1;
	return &e->value;
}
