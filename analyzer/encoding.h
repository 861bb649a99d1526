#ifndef ENCODING_H
#define ENCODING_H

/*
 * encoding: detect the text encoding of an export and transcode it to
 * UTF-8 chunk by chunk (streaming; state carries across chunks).
 *
 * Detection (enc_start, on the first bytes of the file):
 *   - BOM EF BB BF        -> UTF-8 ("utf-8-bom"), BOM skipped
 *   - BOM FF FE / FE FF   -> UTF-16LE / UTF-16BE, BOM skipped
 *   - no BOM, but ASCII text with every other byte NUL in the first
 *     bytes                -> UTF-16LE / UTF-16BE without BOM
 *   - otherwise undecided: the text is passed through as UTF-8 until the
 *     first chunk holding a byte >= 0x80. That chunk decides: if it holds
 *     invalid UTF-8 and no valid multi-byte sequence, the file is
 *     Windows-1252 (German Excel); otherwise UTF-8 (where invalid
 *     sequences are the reader's job: txt_utf8_sanitize).
 *
 * Output is always UTF-8. UTF-16 unpaired surrogates and a trailing odd
 * byte become U+FFFD; Windows-1252's five undefined bytes become U+FFFD.
 *
 * Mixed files, both ways: in UTF-8 text the reader reads the bytes that are
 * not UTF-8 as Windows-1252 (enc_utf8_mixed, per cell); in Windows-1252
 * text a valid UTF-8 sequence of two to four bytes (rows pasted in from a
 * UTF-8 export, after a first part in Windows-1252) is kept as UTF-8, and
 * enc_decode counts those in e->kept. (A Windows-1252 text with two such
 * characters in a row, "Ã¶", reads as the one character they encode: rare
 * in names and places.)
 *
 * Ownership: struct enc holds no heap memory. enc_decode either returns a
 * pointer into its input (UTF-8, no copy) or into the caller's strbuf.
 */

#include <stddef.h>

#include "util.h"

enum enc_kind {
	ENC_UNDECIDED,  /* ASCII so far; reported as "utf-8" */
	ENC_UTF8,
	ENC_UTF8_BOM,
	ENC_UTF16LE,
	ENC_UTF16BE,
	ENC_CP1252
};

struct enc {
	enum enc_kind kind;
	unsigned char pend;      /* UTF-16: odd byte carried to the next chunk */
	int has_pend;
	unsigned hi;             /* UTF-16: high surrogate waiting for its low half, or 0 */
	unsigned char carry[4];  /* Windows-1252: a UTF-8 sequence cut off by the end of a chunk */
	unsigned char ncarry;
	size_t kept;             /* Windows-1252: UTF-8 sequences kept by the last enc_decode */
};

/*
 * Inspect the first len bytes of a file (as many as are available, ideally
 * a full chunk) and initialise e. Returns the number of BOM bytes the
 * caller must skip.
 */
size_t enc_start(struct enc *e, const unsigned char *buf, size_t len);

/*
 * Transcode in[0..len) to UTF-8. last is nonzero for the final chunk (so
 * a dangling UTF-16 byte or surrogate is flushed as U+FFFD). Returns the
 * UTF-8 text and its length in *outlen: either in itself (UTF-8 files, no
 * copy) or out->buf (out is reset first). May change e->kind from
 * ENC_UNDECIDED to ENC_UTF8 or ENC_CP1252. In Windows-1252 text a UTF-8
 * sequence cut off by the end of in is held back (and returned with the
 * next call) unless last is set; e->kept is set.
 */
const char *enc_decode(struct enc *e, const unsigned char *in, size_t len, int last,
		       struct strbuf *out, size_t *outlen);

/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252" (static). */
const char *enc_name(const struct enc *e);

/* Nonzero when decoded text may hold invalid UTF-8 (UTF-8 passthrough). */
int enc_passthrough(const struct enc *e);

/*
 * Length of the UTF-8 sequence that starts at s[0] (a byte >= 0x80): 2..4
 * when valid (no overlongs, surrogates or code points past U+10FFFF), 0
 * when invalid, -1 when valid so far but cut off by the end of s.
 */
int enc_utf8_seq(const unsigned char *s, size_t len);

/*
 * Append s, keeping its valid UTF-8 sequences and reading every other byte
 * >= 0x80 as Windows-1252 (its five undefined bytes as U+FFFD): a UTF-8
 * export with rows pasted in from a Windows-1252 one ("K\xf6ln") reads as
 * "Köln", not "K\ufffdln". Returns the number of bytes read as Windows-1252.
 */
size_t enc_utf8_mixed(struct strbuf *out, const char *s, size_t len);

/* Append the UTF-8 encoding of code point cp (invalid ones as U+FFFD). */
void enc_put_utf8(struct strbuf *out, unsigned cp);

#endif
