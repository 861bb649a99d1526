#ifndef UTIL_H
#define UTIL_H

/*
 * util: the few things every module needs.
 *
 *  - exit statuses (sysexits style), one enum for the whole program;
 *  - allocation that never returns NULL (x*: prints "netreach: out of
 *    memory" and exits with NR_EX_OSERR);
 *  - struct strbuf, a growable NUL-terminated byte buffer (sb_*);
 *  - struct strmap, a string -> size_t hash map that owns copies of its
 *    keys (sm_*).
 *
 * Ownership: a struct is owned by whoever called its _init; _release frees
 * what it holds and leaves it ready for _init again. Pointers into a strbuf
 * are invalidated by any call that may grow it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum nr_exit {
	NR_EX_OK = 0,
	NR_EX_USAGE = 64,     /* bad command line */
	NR_EX_DATAERR = 65,   /* input file is not usable data */
	NR_EX_NOINPUT = 66,   /* input missing or unreadable */
	NR_EX_SOFTWARE = 70,  /* internal error (a bug) */
	NR_EX_OSERR = 71,     /* out of memory, cannot fork */
	NR_EX_CANTCREAT = 73, /* cannot create output */
	NR_EX_IOERR = 74      /* read or write failed */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/*
 * xcalloc(1, n) for a big table read at random: from 2 MiB up it is
 * 2 MiB-aligned and asked to live on transparent huge pages where the
 * system has them (madvise), so that its reads miss the TLB less. free() it.
 */
void *xcalloc_table(size_t n);
char *xstrndup(const char *s, size_t n);

/* Grow array x (with *alloc slots) so that it holds at least nr items. */
#define ALLOC_GROW(x, nr, alloc)                                              \
	do {                                                                  \
		if ((size_t)(nr) > (size_t)(alloc)) {                         \
			size_t na_ = (size_t)(alloc) < 16 ? 16 : (size_t)(alloc); \
			while (na_ < (size_t)(nr))                            \
				na_ += na_ / 2;                               \
			(x) = xrealloc((x), na_ * sizeof(*(x)));              \
			(alloc) = na_;                                        \
		}                                                             \
	} while (0)

struct strbuf {
	char *buf;    /* always NUL-terminated; never NULL after sb_init */
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_init(struct strbuf *sb, size_t hint);
void sb_release(struct strbuf *sb);
/* Make room for at least extra more bytes (plus the NUL). */
void sb_grow(struct strbuf *sb, size_t extra);
void sb_reset(struct strbuf *sb);
void sb_setlen(struct strbuf *sb, size_t len);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, int c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Trim ASCII whitespace at both ends. */
void sb_trim(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it); sb is left empty and inited. */
char *sb_detach(struct strbuf *sb, size_t *len);
/*
 * Append x as printf's "%.*f" with decimals 0..9 writes it in the C
 * locale, the same bytes: the exact binary value rounded to nearest, ties
 * to even, "-" for a negative value or -0 even when it rounds to zero.
 * Without printf below 9e6 (NaN, inf and larger values go to printf):
 * charts print ~10^5 numbers.
 */
void sb_addfixed(struct strbuf *sb, double x, int decimals);
/*
 * The same bytes into buf (room for NR_FIXED_MAX, no NUL); returns their
 * number, or 0 for a value only printf writes (see sb_addfixed).
 */
#define NR_FIXED_MAX 32
size_t nr_fmt_fixed(char *buf, double x, int decimals);
/* Append n in decimal, as "%lu" would. */
void sb_addu(struct strbuf *sb, unsigned long n);
/* Append n with thousands separators: 2340 -> "2,340". */
void sb_add_count(struct strbuf *sb, unsigned long long n);

/*
 * strmap: keys are byte strings (may contain NUL; length given), copied
 * into storage owned by the map. Values are size_t (typically an index
 * into a caller's array). Entries are never removed; iteration order is
 * insertion order (sm_key(i) for i in [0, sm_count)).
 */
struct strmap {
	uint32_t *slots;  /* 0 = empty, else entry index + 1 */
	size_t nslots;    /* power of two */
	struct sm_entry {
		char *key;
		size_t len;
		uint64_t hash;
		size_t value;
	} *entries;
	size_t nr, alloc;
	/* key bytes live in chunks, freed by sm_release */
	char **chunks;
	size_t nr_chunks, alloc_chunks, chunk_used, chunk_size;
	char *cur;        /* chunk being filled */
};

void sm_init(struct strmap *m);
void sm_release(struct strmap *m);
uint64_t sm_hash(const void *key, size_t len);
/* Returns a pointer to the value of key, or NULL if absent. */
size_t *sm_get(const struct strmap *m, const void *key, size_t len);
/*
 * Returns a pointer to the value of key, inserting it with value
 * default_value first if absent (*inserted tells which, may be NULL).
 * The pointer is valid until the next insertion.
 */
size_t *sm_put(struct strmap *m, const void *key, size_t len,
	       size_t default_value, int *inserted);
static inline size_t sm_count(const struct strmap *m) { return m->nr; }
static inline const char *sm_key(const struct strmap *m, size_t i) { return m->entries[i].key; }
static inline size_t sm_keylen(const struct strmap *m, size_t i) { return m->entries[i].len; }
static inline size_t sm_value(const struct strmap *m, size_t i) { return m->entries[i].value; }

/*
 * Print "netreach: <msg>\n" to stderr, always one line: control characters
 * in msg (from a file name, say) are written as \n, \r, \t or \xHH.
 */
void nr_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append s with control characters (C0 and DEL) written as \n, \r, \t or \xHH. */
void nr_escape_controls(struct strbuf *out, const char *s, size_t len);

#endif
