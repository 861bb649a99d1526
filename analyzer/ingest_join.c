/*
 * ingest_join: --locations. The locations file is read by the same reader
 * (ing_join_load) into a map from join keys (profile URL, e-mail, folded
 * name and company) to locations, which the export's rows without a place
 * look up (ing_join_find); and the normalised profile URL (ing_url_key).
 */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#include "banned.h"

void ing_join_release(struct ing_join *j)
{
	sm_release(&j->map);
	sb_release(&j->text);
	sb_release(&j->key);
	free(j->off);
	free(j->len);
	memset(j, 0, sizeof(*j));
}

/*
 * A key that joins an export row to a --locations row, in out (which it
 * resets; tmp is scratch): kind 0 the normalised profile URL, 1 the e-mail
 * (lower case, blanks dropped), 2 the folded name (full, else first and
 * last) and company. Returns its length, 0 when the row lacks the cells.
 */
size_t ing_join_key(struct strbuf *out, struct strbuf *tmp, const char *const *f, const size_t *fl, int kind)
{
	sb_reset(out);
	if (kind == 0) {
		if (!f[ING_URL] || !fl[ING_URL] || !ing_url_key(tmp, f[ING_URL], fl[ING_URL]))
			return 0;
		sb_adds(out, "u\x1f");
		sb_add(out, tmp->buf, tmp->len);
	} else if (kind == 1) {
		sb_adds(out, "e\x1f");
		for (size_t i = 0; f[ING_EMAIL] && i < fl[ING_EMAIL]; i++) {
			char c = f[ING_EMAIL][i];
			if (c != ' ' && c != '\t')
				sb_addch(out, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
		}
		if (out->len == 2)
			return 0;
	} else {
		sb_reset(tmp);
		if (f[ING_FULL_NAME] && fl[ING_FULL_NAME]) {
			sb_add(tmp, f[ING_FULL_NAME], fl[ING_FULL_NAME]);
		} else {
			if (f[ING_FIRST_NAME])
				sb_add(tmp, f[ING_FIRST_NAME], fl[ING_FIRST_NAME]);
			sb_addch(tmp, ' ');
			if (f[ING_LAST_NAME])
				sb_add(tmp, f[ING_LAST_NAME], fl[ING_LAST_NAME]);
		}
		txt_fold(out, tmp->buf, tmp->len, 0);
		if (!out->len)
			return 0;
		sb_addch(out, '\x1f');
		if (f[ING_COMPANY] && fl[ING_COMPANY]) {
			size_t at = out->len;
			txt_fold(tmp, f[ING_COMPANY], fl[ING_COMPANY], 0);
			sb_setlen(out, at);
			sb_add(out, tmp->buf, tmp->len);
		}
		{
			/* "n\x1f" in front */
			size_t n = out->len;
			sb_grow(out, 2);
			memmove(out->buf + 2, out->buf, n + 1);
			out->buf[0] = 'n';
			out->buf[1] = '\x1f';
			out->len = n + 2;
		}
	}
	return out->len;
}

/*
 * The --locations entry of a row, by profile URL, else e-mail, else name and
 * company (LinkedIn before 2020 has no URL): row->location points into j.
 */
void ing_join_find(const struct ing_join *j, struct strbuf *key, struct strbuf *tmp, struct ing_row *row,
		   struct ing_info *info)
{
	for (int kind = 0; kind < 3; kind++) {
		size_t *idx;
		if (!ing_join_key(key, tmp, row->field, row->field_len, kind))
			continue;
		idx = sm_get(&j->map, key->buf, key->len);
		if (idx) {
			row->location = j->text.buf + j->off[*idx];
			row->location_len = j->len[*idx];
			info->locations_joined++;
			break;
		}
	}
}

static int join_add(const struct ing_row *row, void *ctx)
{
	struct ing_join *j = ctx;
	int inserted;

	struct strbuf tmp = STRBUF_INIT;
	int added = 0;

	if (row->status != ING_ROW_OK || !row->location_len)
		return 0;
	for (int kind = 0; kind < 3; kind++) {
		if (!ing_join_key(&j->key, &tmp, row->field, row->field_len, kind))
			continue;
		sm_put(&j->map, j->key.buf, j->key.len, j->nr, &inserted);
		added |= inserted;
	}
	sb_release(&tmp);
	if (added) {
		ALLOC_GROW(j->off, j->nr + 1, j->alloc);
		j->len = xrealloc(j->len, j->alloc * sizeof(*j->len));
		j->off[j->nr] = j->text.len;
		j->len[j->nr] = row->location_len;
		sb_add(&j->text, row->location, row->location_len);
		sb_addch(&j->text, '\0');
		j->nr++;
	}
	return 0;
}

int ing_join_load(const char *path, const struct ing_options *opt, struct ing_join *j, struct strbuf *err)
{
	struct ing_reader r;
	struct ing_info info;
	struct ing_options lo;
	int ret;

	/* the export's --column overrides apply here too (a column this file lacks is the export's) */
	memset(&lo, 0, sizeof(lo));
	memcpy(lo.column, opt->column, sizeof(lo.column));

	sm_init(&j->map);
	sb_init(&j->text, 4096);
	sb_init(&j->key, 64);
	ing_info_init(&info, path);
	ing_reader_init(&r, path, &lo, &info, err);
	r.need_url = 1;
	r.loading = j;
	r.fn = join_add;
	r.ctx = j;
	ing_reader_read(&r);
	ret = r.status;
	ing_reader_release(&r);
	ing_info_release(&info);
	return ret;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

size_t ing_url_key(struct strbuf *out, const char *url, size_t len)
{
	size_t i = 0, host_end;
	char *o;
	sb_reset(out);
	trim(&url, &len);
	/* the key is never longer than the URL: grow once, write bytes directly (once per row) */
	sb_grow(out, len + 1);
	o = out->buf;
	/* scheme */
	for (size_t k = 0; k < len && k < 16; k++) {
		char c = lower(url[k]);
		if (c == ':' && k > 0 && k + 2 < len && url[k + 1] == '/' && url[k + 2] == '/') {
			i = k + 3;
			break;
		}
		if (!((c >= 'a' && c <= 'z') || (k > 0 && (c == '+' || c == '-' || c == '.' ||
							   (c >= '0' && c <= '9')))))
			break;
	}
	for (; i < len; i++) {
		char c = url[i];
		if (c == '?' || c == '#')
			break;
		if (c == '%' && i + 2 < len && hexval(url[i + 1]) >= 0 && hexval(url[i + 2]) >= 0) {
			int v = hexval(url[i + 1]) * 16 + hexval(url[i + 2]);
			if (unreserved(v)) {
				*o++ = lower((char)v);
				i += 2;
				continue;
			}
			*o++ = '%';
			*o++ = lower(url[i + 1]);
			*o++ = lower(url[i + 2]);
			i += 2;
			continue;
		}
		*o++ = lower(c);
	}
	out->len = (size_t)(o - out->buf);
	while (out->len && out->buf[out->len - 1] == '/')
		out->len--;
	out->buf[out->len] = '\0';
	if (out->len >= 4 && !memcmp(out->buf, "www.", 4)) {
		memmove(out->buf, out->buf + 4, out->len - 4 + 1);
		out->len -= 4;
	}
	/* de.linkedin.com, m.linkedin.com ... -> linkedin.com */
	host_end = 0;
	while (host_end < out->len && out->buf[host_end] != '/')
		host_end++;
	if (host_end > 13 && !memcmp(out->buf + host_end - 13, ".linkedin.com", 13)) {
		size_t cut = host_end - 12;
		memmove(out->buf, out->buf + cut, out->len - cut + 1);
		out->len -= cut;
	}
	return out->len;
}
