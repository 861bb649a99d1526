#ifndef TEXT_H
#define TEXT_H

/*
 * text: Unicode handling shared by every module (utf8proc underneath).
 *
 * All functions take byte strings with an explicit length, accept invalid
 * UTF-8 without crashing (invalid bytes become U+FFFD or are dropped, as
 * stated per function) and append to a caller-owned strbuf. None of them
 * keeps state between calls.
 */

#include <stddef.h>

#include "util.h"

/* Flags for txt_fold. */
enum {
	TXT_FOLD_UMLAUT = 1 << 0 /* ä->ae, ö->oe, ü->ue (and capitals) before marks are stripped */
};

/*
 * Matching key for names and headers: NFKC, full case fold (so ß -> ss),
 * marks stripped (é -> e), apostrophes and periods removed ("O'Fallon" ->
 * "ofallon", "U.S." -> "us"), any other punctuation, symbol, control or
 * separator becomes a single space, runs of spaces collapse, both ends
 * trimmed. Invalid UTF-8 bytes are dropped. Resets out, then writes the
 * key; returns its length. Pure ASCII input takes a fast path that gives
 * the same result.
 */
size_t txt_fold(struct strbuf *out, const char *s, size_t len, int flags);

/* 1 when s[0..len) has no byte >= 0x80 (txt_fold folds it without utf8proc), else 0. */
int txt_is_ascii(const char *s, size_t len);

/*
 * A memo of txt_fold's work per code point, owned by one caller (one
 * thread): txt_fold_memo(m, out, s, len) gives exactly txt_fold(out, s,
 * len, 0) but maps each code point through utf8proc once per memo. The
 * fold of a code point alone (NFKC, case fold, marks stripped, then word
 * characters kept and the rest a separator) is the fold of it in any text
 * when nothing in its decomposition can combine with a neighbour: no
 * combining class (canonical reordering), no second of a canonical
 * composition (utf8proc's own property), no Hangul jamo or syllable. A
 * text with any other code point, or invalid UTF-8, is folded by
 * txt_fold itself.
 */
struct txt_fold_memo;

/* A new, empty memo (allocates little until used). */
struct txt_fold_memo *txt_fold_memo_new(void);

/* Free m (NULL is fine). */
void txt_fold_memo_free(struct txt_fold_memo *m);

/* txt_fold(out, s, len, 0), remembering each code point's fold in m. */
size_t txt_fold_memo(struct txt_fold_memo *m, struct strbuf *out, const char *s, size_t len);

/* Nonzero when s[0..len) is valid UTF-8 (no overlongs, no surrogates); ASCII runs are checked 8 bytes at a time. */
int txt_utf8_valid(const char *s, size_t len);

/* Append s with each invalid UTF-8 sequence replaced by U+FFFD. */
void txt_utf8_sanitize(struct strbuf *out, const char *s, size_t len);

/*
 * Append s HTML-escaped (& < > " ' ), invalid UTF-8 as U+FFFD, bidi
 * embedding/override/isolate controls (U+202A..U+202E, U+2066..U+2069)
 * removed.
 */
void txt_html_escape(struct strbuf *out, const char *s, size_t len);

/*
 * Append s as literal Markdown text, safe in a table cell: | \ ` * _ [ ] #
 * < > & ~ ! get a backslash (CommonMark's escape, so no tag, entity, link
 * or emphasis can start and a quote stays a quote), control characters
 * (newlines too) become spaces, invalid UTF-8 U+FFFD, bidi controls
 * removed as in txt_html_escape.
 */
void txt_md_escape(struct strbuf *out, const char *s, size_t len);

/*
 * Append one CSV cell (RFC 4180: quoted when it holds , " CR LF, quotes
 * doubled). A cell that a spreadsheet would run as a formula (first byte
 * = + - @ TAB CR, after bidi controls are removed as in txt_html_escape)
 * gets a leading apostrophe. Invalid UTF-8 as U+FFFD.
 */
void txt_csv_cell(struct strbuf *out, const char *s, size_t len);

/*
 * Append s as one field of a tab-separated data file that gnuplot reads:
 * tabs, CR, LF and other control characters become spaces, invalid UTF-8
 * becomes U+FFFD, an empty result becomes "-", and the result is cut at a
 * character boundary to at most max_bytes bytes (adding "…" when cut).
 */
void txt_label(struct strbuf *out, const char *s, size_t len, size_t max_bytes);

#endif
