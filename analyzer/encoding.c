#include "encoding.h"

#include <string.h>

#include "banned.h"

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

void enc_put_utf8(struct strbuf *out, unsigned cp)
{
	char b[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_add(out, b, n);
}

int enc_utf8_seq(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	int n;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((size_t)i >= len)
			return -1;
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
			return 0;
	}
	return n;
}

/* Index of the first byte >= 0x80 in s, or len. */
static size_t first_high(const unsigned char *s, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	for (; i < len; i++)
		if (s[i] & 0x80)
			return i;
	return len;
}

/* Decide UTF-8 vs Windows-1252 from the non-ASCII bytes in s. */
static enum enc_kind judge(const unsigned char *s, size_t len)
{
	size_t valid = 0, invalid = 0, i = 0;
	while (i < len) {
		int n;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = enc_utf8_seq(s + i, len - i);
		if (n < 0)
			break; /* cut off at the end of the chunk: no evidence */
		if (n == 0) {
			invalid++;
			i++;
		} else {
			valid++;
			i += (size_t)n;
		}
	}
	return invalid && !valid ? ENC_CP1252 : ENC_UTF8;
}

size_t enc_start(struct enc *e, const unsigned char *buf, size_t len)
{
	memset(e, 0, sizeof(*e));
	e->kind = ENC_UNDECIDED;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		e->kind = ENC_UTF8_BOM;
		return 3;
	}
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		e->kind = ENC_UTF16LE;
		return 2;
	}
	if (len >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
		e->kind = ENC_UTF16BE;
		return 2;
	}
	/* BOM-less UTF-16: printable ASCII in one byte of each pair, NUL in the other */
	if (len >= 8) {
		size_t n = len < 512 ? len & ~(size_t)1 : 512, zero_even = 0, zero_odd = 0;
		for (size_t i = 0; i < n; i += 2) {
			zero_even += buf[i] == 0 && buf[i + 1] >= 0x09 && buf[i + 1] < 0x80;
			zero_odd += buf[i + 1] == 0 && buf[i] >= 0x09 && buf[i] < 0x80;
		}
		if (zero_odd * 10 >= (n / 2) * 9)
			e->kind = ENC_UTF16LE;
		else if (zero_even * 10 >= (n / 2) * 9)
			e->kind = ENC_UTF16BE;
	}
	return 0;
}

static void decode_utf16(struct enc *e, const unsigned char *in, size_t len, int last, struct strbuf *out)
{
	int be = e->kind == ENC_UTF16BE;
	size_t i = 0;
	sb_grow(out, len + len / 2 + 8);
	while (i < len) {
		unsigned u;
		unsigned char b0, b1;
		if (e->has_pend) {
			b0 = e->pend;
			b1 = in[i++];
			e->has_pend = 0;
		} else {
			if (i + 1 >= len) {
				e->pend = in[i++];
				e->has_pend = 1;
				break;
			}
			b0 = in[i];
			b1 = in[i + 1];
			i += 2;
		}
		u = be ? (unsigned)b0 << 8 | b1 : (unsigned)b1 << 8 | b0;
		if (e->hi) {
			if (u >= 0xDC00 && u <= 0xDFFF) {
				enc_put_utf8(out, 0x10000 + ((e->hi - 0xD800) << 10) + (u - 0xDC00));
				e->hi = 0;
				continue;
			}
			enc_put_utf8(out, 0xFFFD);
			e->hi = 0;
		}
		if (u >= 0xD800 && u <= 0xDBFF)
			e->hi = u;
		else if (u < 0x80)
			sb_addch(out, (char)u);
		else
			enc_put_utf8(out, u); /* lone low surrogates become U+FFFD */
	}
	if (last) {
		if (e->hi)
			enc_put_utf8(out, 0xFFFD);
		if (e->has_pend)
			enc_put_utf8(out, 0xFFFD);
		e->hi = 0;
		e->has_pend = 0;
	}
}

/* Append byte c >= 0x80 read as Windows-1252 (its five undefined bytes as U+FFFD). */
static void put_cp1252(struct strbuf *out, unsigned c)
{
	if (c < 0xA0)
		enc_put_utf8(out, cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD);
	else
		enc_put_utf8(out, c);
}

/*
 * Windows-1252 text, in which a valid UTF-8 sequence of two to four bytes
 * is kept as it is (rows pasted in from a UTF-8 export: "K\xc3\xb6ln"
 * stays "Köln", not "KÃ¶ln"); e->kept counts them. A sequence cut off by
 * the end of in waits in e->carry for the next call (last: read as
 * Windows-1252).
 */
static void decode_cp1252(struct enc *e, const unsigned char *in, size_t len, int last, struct strbuf *out)
{
	size_t i = 0;
	e->kept = 0;
	sb_grow(out, len + len / 4 + 8);
	if (e->ncarry) {
		unsigned char tmp[8];
		size_t take = len < 4 - (size_t)e->ncarry ? len : 4 - (size_t)e->ncarry;
		int n;
		memcpy(tmp, e->carry, e->ncarry);
		memcpy(tmp + e->ncarry, in, take);
		n = enc_utf8_seq(tmp, e->ncarry + take);
		if (n < 0 && take == len && !last) {
			/* still cut off: wait for more */
			memcpy(e->carry + e->ncarry, in, len);
			e->ncarry = (unsigned char)(e->ncarry + len);
			return;
		}
		if (n > 0) {
			sb_add(out, tmp, (size_t)n);
			i = (size_t)n - e->ncarry;
			e->kept++;
		} else {
			/* a lead byte and continuation bytes that are no sequence: each is Windows-1252 */
			for (unsigned k = 0; k < e->ncarry; k++)
				put_cp1252(out, e->carry[k]);
		}
		e->ncarry = 0;
	}
	while (i < len) {
		size_t run = first_high(in + i, len - i);
		int n;
		sb_add(out, in + i, run);
		i += run;
		if (i >= len)
			break;
		n = enc_utf8_seq(in + i, len - i);
		if (n > 0) {
			sb_add(out, in + i, (size_t)n);
			i += (size_t)n;
			e->kept++;
		} else if (n < 0 && !last) {
			/* cut off by the end of this chunk: decided with the next */
			memcpy(e->carry, in + i, len - i);
			e->ncarry = (unsigned char)(len - i);
			break;
		} else {
			put_cp1252(out, in[i++]);
		}
	}
}

size_t enc_utf8_mixed(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, recoded = 0;
	while (i < len) {
		size_t run = first_high(u + i, len - i);
		int n;
		sb_add(out, u + i, run);
		i += run;
		if (i >= len)
			break;
		n = enc_utf8_seq(u + i, len - i);
		if (n > 0) {
			sb_add(out, u + i, (size_t)n);
			i += (size_t)n;
			continue;
		}
		/* not UTF-8: the byte is Windows-1252 (its five undefined bytes U+FFFD) */
		put_cp1252(out, u[i]);
		recoded++;
		i++;
	}
	return recoded;
}

const char *enc_decode(struct enc *e, const unsigned char *in, size_t len, int last,
		       struct strbuf *out, size_t *outlen)
{
	if (e->kind == ENC_UNDECIDED) {
		size_t i = first_high(in, len);
		if (i < len)
			e->kind = judge(in + i, len - i);
	}
	switch (e->kind) {
	case ENC_UTF16LE:
	case ENC_UTF16BE:
		sb_reset(out);
		decode_utf16(e, in, len, last, out);
		*outlen = out->len;
		return out->buf;
	case ENC_CP1252:
		sb_reset(out);
		decode_cp1252(e, in, len, last, out);
		*outlen = out->len;
		return out->buf;
	default:
		*outlen = len;
		return (const char *)in;
	}
}

const char *enc_name(const struct enc *e)
{
	switch (e->kind) {
	case ENC_UTF8_BOM: return "utf-8-bom";
	case ENC_UTF16LE: return "utf-16le";
	case ENC_UTF16BE: return "utf-16be";
	case ENC_CP1252: return "windows-1252";
	default: return "utf-8";
	}
}

int enc_passthrough(const struct enc *e)
{
	return e->kind == ENC_UNDECIDED || e->kind == ENC_UTF8 || e->kind == ENC_UTF8_BOM;
}
