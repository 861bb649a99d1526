/*
 * ingest_date: the "Connected On" dates of exports (ing_parse_month):
 * LinkedIn's fixed forms without tokenising, every other form through a
 * small tokenizer. Depends on nothing but ingest.h.
 */
#include "ingest.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

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

/*
 * Every other form, through the tokenizer (kept out of ing_parse_month, so
 * that the fast forms save no registers).
 */
static __attribute__((noinline)) int parse_month_tokens(const char *s, size_t len)
{
	struct dtok t[6];
	int n = tokenize_date(s, len, t, 6);
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

int ing_parse_month(const char *s, size_t len)
{
	int n = parse_month_fast(s, len);
	return n != -2 ? n : parse_month_tokens(s, len);
}
