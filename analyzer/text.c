#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "banned.h"

/* Decode one UTF-8 sequence; returns its length or -1 when invalid. */
static int utf8_next(const unsigned char *s, size_t len, int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, cp);
	return n > 0 ? (int)n : -1;
}

int txt_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		int32_t cp;
		int n;
		if (p[i] < 0x80) {
			uint64_t w;
			/* ASCII runs 8 bytes at a time: exports are mostly ASCII */
			if (i + 8 <= len && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080ull)))
				i += 8;
			else
				i++;
			continue;
		}
		n = utf8_next(p + i, len - i, &cp);
		if (n < 0)
			return 0;
		i += (size_t)n;
	}
	return 1;
}

static void add_cp(struct strbuf *out, int32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	sb_add(out, tmp, (size_t)n);
}

void txt_utf8_sanitize(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0;
	while (i < len) {
		int32_t cp;
		int n;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_next(p + i, len - i, &cp);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		sb_add(out, s + start, i - start);
		add_cp(out, 0xFFFD);
		i++;
		start = i;
	}
	sb_add(out, s + start, i - start);
}

static int is_joiner(int32_t c)
{
	/* removed without a trace: apostrophes and periods */
	return c == '\'' || c == '.' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == '`';
}

static int is_word_cp(int32_t c)
{
	utf8proc_category_t cat;
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	cat = utf8proc_category(c);
	switch (cat) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
		return 1;
	default:
		return 0;
	}
}

/* Append word characters, turning other runs into one space; trims. */
static void squeeze(struct strbuf *out, const utf8proc_uint8_t *s, size_t len)
{
	size_t i = 0;
	int pending_space = 0;
	while (i < len) {
		int32_t cp;
		int n = utf8_next(s + i, len - i, &cp);
		if (n < 0) {
			i++;
			continue;
		}
		i += (size_t)n;
		if (is_joiner(cp))
			continue;
		if (!is_word_cp(cp)) {
			pending_space = 1;
			continue;
		}
		if (pending_space && out->len)
			sb_addch(out, ' ');
		pending_space = 0;
		if (cp < 0x80)
			sb_addch(out, (char)cp);
		else
			add_cp(out, cp);
	}
}

/*
 * What fold_ascii does with each ASCII byte: FOLD_DROP for the joiners
 * (' . `), FOLD_SEP for any other non-alphanumeric, else the byte folded
 * (A-Z to lower case).
 */
#define FOLD_DROP 1
#define FOLD_SEP 0
#define ACLS(c) ((c) == '\'' || (c) == '.' || (c) == '`' ? FOLD_DROP		\
		 : (c) >= 'A' && (c) <= 'Z' ? (c) + 32				\
		 : ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') ? (c)	\
		 : FOLD_SEP)
#define ACLS4(c) ACLS(c), ACLS((c) + 1), ACLS((c) + 2), ACLS((c) + 3)
#define ACLS16(c) ACLS4(c), ACLS4((c) + 4), ACLS4((c) + 8), ACLS4((c) + 12)
#define ACLS64(c) ACLS16(c), ACLS16((c) + 16), ACLS16((c) + 32), ACLS16((c) + 48)
static const unsigned char ascii_fold[128] = { ACLS64(0), ACLS64(64) };

int txt_is_ascii(const char *s, size_t len)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			return 0;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* txt_fold of ASCII text (txt_is_ascii). */
static void fold_ascii(struct strbuf *out, const char *s, size_t len)
{
	int pending_space = 0;
	sb_grow(out, len);
	char *o = out->buf + out->len;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = ascii_fold[(unsigned char)s[i] & 0x7f];
		if (c <= FOLD_DROP) {
			pending_space |= c == FOLD_SEP;
			continue;
		}
		if (pending_space && o != out->buf)
			*o++ = ' ';
		pending_space = 0;
		*o++ = (char)c;
	}
	*o = '\0';
	out->len = (size_t)(o - out->buf);
}

static void umlauts(struct strbuf *out, const char *s, size_t len)
{
	static const struct { const char *from, *to; } map[] = {
		{ "\xc3\xa4", "ae" }, { "\xc3\xb6", "oe" }, { "\xc3\xbc", "ue" },
		{ "\xc3\x84", "Ae" }, { "\xc3\x96", "Oe" }, { "\xc3\x9c", "Ue" },
		{ "a\xcc\x88", "ae" }, { "o\xcc\x88", "oe" }, { "u\xcc\x88", "ue" },
		{ "A\xcc\x88", "Ae" }, { "O\xcc\x88", "Oe" }, { "U\xcc\x88", "Ue" },
	};
	size_t i = 0;
	while (i < len) {
		size_t k;
		for (k = 0; k < ARRAY_SIZE(map); k++) {
			size_t fl = strlen(map[k].from);
			if (fl <= len - i && !memcmp(s + i, map[k].from, fl)) {
				sb_adds(out, map[k].to);
				i += fl;
				break;
			}
		}
		if (k == ARRAY_SIZE(map))
			sb_addch(out, s[i++]);
	}
}

/* Code points txt_fold maps without utf8proc_map's allocation (names and headers are shorter). */
#define FOLD_STACK 256

/* txt_fold's utf8proc options (txt_fold_memo maps code points with the same). */
static const utf8proc_option_t fold_opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
					   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP;

size_t txt_fold(struct strbuf *out, const char *s, size_t len, int flags)
{
	static const utf8proc_option_t opts = fold_opts;
	struct strbuf clean = STRBUF_INIT, tmp = STRBUF_INIT;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_int32_t cps[FOLD_STACK + 1]; /* + 1: reencode writes UTF-8 and a NUL in place */
	utf8proc_ssize_t n;

	sb_reset(out);
	if (txt_is_ascii(s, len)) {
		fold_ascii(out, s, len);
		return out->len;
	}
	sb_init(&clean, len);
	txt_utf8_sanitize(&clean, s, len);
	if (flags & TXT_FOLD_UMLAUT) {
		sb_init(&tmp, clean.len + 8);
		umlauts(&tmp, clean.buf, clean.len);
		sb_release(&clean);
		clean = tmp;
	}
	/*
	 * utf8proc_map's own steps (decompose, then reencode, which composes
	 * and writes UTF-8 in place), into a buffer on the stack: map
	 * decomposes twice (to size its buffer) and allocates. Longer text
	 * goes to utf8proc_map itself.
	 */
	n = utf8proc_decompose((const utf8proc_uint8_t *)clean.buf, (utf8proc_ssize_t)clean.len, cps, FOLD_STACK, opts);
	if (n >= 0 && n <= FOLD_STACK) {
		n = utf8proc_reencode(cps, n, opts);
		if (n >= 0)
			squeeze(out, (const utf8proc_uint8_t *)cps, (size_t)n);
	} else if (n > FOLD_STACK) {
		n = utf8proc_map((const utf8proc_uint8_t *)clean.buf, (utf8proc_ssize_t)clean.len, &mapped, opts);
		if (n >= 0)
			squeeze(out, mapped, (size_t)n);
		free(mapped);
	}
	sb_release(&clean);
	return out->len;
}

/*
 * txt_fold_memo. A code point's entry: MEMO_KNOWN, MEMO_UNSAFE when its
 * fold may depend on its neighbours, else the offset (bits 8..29) and
 * length (bits 0..7) in bytes of its fold as squeeze sees it: each word
 * character's UTF-8, a space for each other character, joiners left out.
 */
#define MEMO_DIRECT 0x800 /* code points below it have a slot each: Latin, Greek, Cyrillic, Hebrew, Arabic */
#define MEMO_KNOWN (1u << 31)
#define MEMO_UNSAFE (1u << 30)
#define MEMO_OFF_MAX ((1u << 22) - 1)
#define MEMO_DECOMP 32 /* code points of one code point's decomposition (utf8proc's longest is 18) */

struct txt_fold_memo {
	uint32_t direct[MEMO_DIRECT];
	uint32_t *key, *val; /* the other code points: open addressing, key code point + 1 (0 empty) */
	size_t mask, n;
	struct strbuf bytes;
};

struct txt_fold_memo *txt_fold_memo_new(void)
{
	struct txt_fold_memo *m = xcalloc(1, sizeof(*m));
	sb_init(&m->bytes, 256);
	return m;
}

void txt_fold_memo_free(struct txt_fold_memo *m)
{
	if (!m)
		return;
	free(m->key);
	free(m->val);
	sb_release(&m->bytes);
	free(m);
}

/* Hangul jamo and syllables: utf8proc composes them by arithmetic, not by property. */
static int is_hangul(int32_t c)
{
	return (c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff);
}

/* The entry of code point cp (see MEMO_KNOWN), computed by utf8proc as txt_fold would map cp alone. */
static uint32_t memo_compute(struct txt_fold_memo *m, int32_t cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_int32_t d[MEMO_DECOMP + 1]; /* + 1: reencode writes UTF-8 and a NUL in place */
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);
	n = utf8proc_decompose(u, n, d, MEMO_DECOMP, fold_opts);
	if (n < 0 || n > MEMO_DECOMP)
		return MEMO_KNOWN | MEMO_UNSAFE;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		/*
		 * what utf8proc_decompose reorders (a combining class) or
		 * utf8proc_reencode composes with the character before it (the
		 * second of a pair: comb_index with its top bit set; Hangul)
		 */
		const utf8proc_property_t *pr = utf8proc_get_property(d[i]);
		if (pr->combining_class || (pr->comb_index != UINT16_MAX && pr->comb_index >= 0x8000) || is_hangul(d[i]))
			return MEMO_KNOWN | MEMO_UNSAFE;
	}
	n = utf8proc_reencode(d, n, fold_opts);
	if (n < 0)
		return MEMO_KNOWN | MEMO_UNSAFE;
	size_t off = m->bytes.len;
	const utf8proc_uint8_t *b = (const utf8proc_uint8_t *)d;
	for (size_t i = 0; i < (size_t)n;) {
		int32_t c;
		int k = utf8_next(b + i, (size_t)n - i, &c);
		if (k < 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		if (is_joiner(c))
			continue;
		if (!is_word_cp(c))
			sb_addch(&m->bytes, ' ');
		else
			add_cp(&m->bytes, c);
	}
	size_t len = m->bytes.len - off;
	if (len > 0xff || off > MEMO_OFF_MAX) {
		sb_setlen(&m->bytes, off);
		return MEMO_KNOWN | MEMO_UNSAFE;
	}
	return MEMO_KNOWN | (uint32_t)off << 8 | (uint32_t)len;
}

static size_t memo_slot(uint32_t cp, size_t mask)
{
	return (size_t)((cp * 2654435761u) >> 8) & mask;
}

/* The entry of code point cp, computed on first need. */
static uint32_t memo_get(struct txt_fold_memo *m, int32_t cp)
{
	if (cp < MEMO_DIRECT) {
		if (!m->direct[cp])
			m->direct[cp] = memo_compute(m, cp);
		return m->direct[cp];
	}
	uint32_t k = (uint32_t)cp + 1;
	if (m->key) {
		for (size_t i = memo_slot(k, m->mask);; i = (i + 1) & m->mask) {
			if (m->key[i] == k)
				return m->val[i];
			if (!m->key[i])
				break;
		}
	}
	uint32_t v = memo_compute(m, cp);
	if ((m->n + 1) * 2 > (m->key ? m->mask + 1 : 0)) {
		size_t na = m->key ? (m->mask + 1) * 2 : 256;
		uint32_t *nk = xcalloc(na, sizeof(*nk)), *nv = xcalloc(na, sizeof(*nv));
		for (size_t i = 0; m->key && i <= m->mask; i++) {
			if (!m->key[i])
				continue;
			size_t j = memo_slot(m->key[i], na - 1);
			while (nk[j])
				j = (j + 1) & (na - 1);
			nk[j] = m->key[i];
			nv[j] = m->val[i];
		}
		free(m->key);
		free(m->val);
		m->key = nk;
		m->val = nv;
		m->mask = na - 1;
	}
	size_t i = memo_slot(k, m->mask);
	while (m->key[i])
		i = (i + 1) & m->mask;
	m->key[i] = k;
	m->val[i] = v;
	m->n++;
	return v;
}

size_t txt_fold_memo(struct txt_fold_memo *m, struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	int pending_space = 0;
	sb_reset(out);
	if (txt_is_ascii(s, len)) {
		fold_ascii(out, s, len);
		return out->len;
	}
	sb_grow(out, len);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		int n = 1;
		if (p[i] < 0x80)
			cp = p[i];
		else if ((n = utf8_next(p + i, len - i, &cp)) < 0)
			return txt_fold(out, s, len, 0); /* invalid UTF-8: txt_fold says what becomes of it */
		i += (size_t)n;
		uint32_t v = memo_get(m, cp);
		if (v & MEMO_UNSAFE)
			return txt_fold(out, s, len, 0);
		const char *e = m->bytes.buf + ((v >> 8) & MEMO_OFF_MAX);
		size_t el = v & 0xff;
		sb_grow(out, el + 1);
		for (size_t k = 0; k < el; k++) {
			if (e[k] == ' ') {
				pending_space = 1;
				continue;
			}
			if (pending_space && out->len)
				out->buf[out->len++] = ' ';
			pending_space = 0;
			out->buf[out->len++] = e[k];
		}
	}
	out->buf[out->len] = '\0';
	return out->len;
}

/*
 * Remove the bidi embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069) from valid UTF-8 in sb: in a report they would reverse
 * the text around a name (the charts' labels drop them too, pl_label).
 */
static void strip_bidi(struct strbuf *sb)
{
	size_t o = 0;
	const unsigned char *u = (const unsigned char *)sb->buf;
	for (size_t i = 0; i < sb->len; i++) {
		if (i + 2 < sb->len && u[i] == 0xe2 &&
		    ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
		     (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9))) {
			i += 2;
			continue;
		}
		sb->buf[o++] = sb->buf[i];
	}
	sb_setlen(sb, o);
}

void txt_html_escape(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	sb_init(&clean, len);
	txt_utf8_sanitize(&clean, s, len);
	strip_bidi(&clean);
	for (size_t i = 0; i < clean.len; i++) {
		char c = clean.buf[i];
		switch (c) {
		case '&': sb_adds(out, "&amp;"); break;
		case '<': sb_adds(out, "&lt;"); break;
		case '>': sb_adds(out, "&gt;"); break;
		case '"': sb_adds(out, "&quot;"); break;
		case '\'': sb_adds(out, "&#39;"); break;
		default:
			if ((unsigned char)c < 0x20 && c != '\n' && c != '\t')
				sb_addch(out, ' ');
			else
				sb_addch(out, c);
		}
	}
	sb_release(&clean);
}

void txt_md_escape(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	sb_init(&clean, len);
	txt_utf8_sanitize(&clean, s, len);
	strip_bidi(&clean);
	for (size_t i = 0; i < clean.len; i++) {
		char c = clean.buf[i];
		if ((unsigned char)c < 0x20)
			sb_addch(out, ' ');
		else if (strchr("|\\`*_[]#<>&~!", c)) {
			/* CommonMark: a backslash before ASCII punctuation makes it literal */
			sb_addch(out, '\\');
			sb_addch(out, c);
		} else
			sb_addch(out, c);
	}
	sb_release(&clean);
}

void txt_csv_cell(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	int quote = 0;
	sb_init(&clean, len + 1);
	txt_utf8_sanitize(&clean, s, len);
	strip_bidi(&clean);
	/* after stripping: "\u202e=cmd()" is a formula too */
	if (clean.len && strchr("=+-@\t\r", clean.buf[0])) {
		sb_grow(&clean, 1);
		memmove(clean.buf + 1, clean.buf, clean.len + 1);
		clean.buf[0] = '\'';
		clean.len++;
	}
	for (size_t i = 0; i < clean.len; i++)
		if (strchr(",\"\r\n;", clean.buf[i]) && clean.buf[i])
			quote = 1;
	if (!quote) {
		sb_add(out, clean.buf, clean.len);
	} else {
		sb_addch(out, '"');
		for (size_t i = 0; i < clean.len; i++) {
			if (clean.buf[i] == '"')
				sb_addch(out, '"');
			sb_addch(out, clean.buf[i]);
		}
		sb_addch(out, '"');
	}
	sb_release(&clean);
}

void txt_label(struct strbuf *out, const char *s, size_t len, size_t max_bytes)
{
	struct strbuf clean = STRBUF_INIT;
	size_t start = out->len, i = 0, end;
	sb_init(&clean, len);
	txt_utf8_sanitize(&clean, s, len);
	while (i < clean.len) {
		int32_t cp;
		int n = utf8_next((const unsigned char *)clean.buf + i, clean.len - i, &cp);
		if (n < 0) { /* cannot happen after sanitize */
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029)
			sb_addch(out, ' ');
		else
			sb_add(out, clean.buf + i, (size_t)n);
		i += (size_t)n;
	}
	sb_release(&clean);
	if (out->len - start > max_bytes && max_bytes >= 4) {
		/* cut at a character boundary, leaving room for the ellipsis */
		end = start + max_bytes - 3;
		while (end > start && ((unsigned char)out->buf[end] & 0xC0) == 0x80)
			end--;
		sb_setlen(out, end);
		sb_adds(out, "\xe2\x80\xa6");
	}
	if (out->len == start)
		sb_addch(out, '-');
}
