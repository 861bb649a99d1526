/* vcard: vCard 2.1/3.0/4.0 to one record per card (see vcard.h). */
#include "vcard.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define MAX_ABADR 16

enum { ADR_CITY, ADR_REGION, ADR_COUNTRY, ADR_PARTS };

struct vc_parser {
	vc_card_fn fn;
	void *ctx;
	int status;
	unsigned long line;          /* physical lines finished so far */
	int skip_lf;                 /* the last piece ended in CR */
	struct strbuf phys;          /* the physical line being read */
	int phys_cut;
	struct strbuf cur;           /* the logical line being assembled */
	int cur_cut, cur_qp_soft;    /* cut at VC_LINE_MAX; a quoted-printable soft break is pending */
	unsigned long cur_line;
	int has_cur;

	/* the card being read */
	int in_card, depth, too_long;
	unsigned long card_line, cards;
	struct strbuf store;         /* values, NUL-terminated */
	size_t off[VC_FIELD_COUNT];  /* into store; SIZE_MAX when absent */
	size_t len[VC_FIELD_COUNT];
	int url_linkedin;
	int adr_rank;                /* the chosen ADR: -1 none */
	char adr_group[64];
	int has_geo;
	double lat, lon;
	struct { char group[64]; char cc[8]; } abadr[MAX_ABADR];
	int nr_abadr;
	struct strbuf tmp, part;
};

struct vc_parser *vc_new(vc_card_fn fn, void *ctx)
{
	struct vc_parser *p = xcalloc(1, sizeof(*p));
	p->fn = fn;
	p->ctx = ctx;
	sb_init(&p->phys, 256);
	sb_init(&p->cur, 256);
	sb_init(&p->store, 256);
	sb_init(&p->tmp, 256);
	sb_init(&p->part, 64);
	return p;
}

void vc_free(struct vc_parser *p)
{
	if (!p)
		return;
	sb_release(&p->phys);
	sb_release(&p->cur);
	sb_release(&p->store);
	sb_release(&p->tmp);
	sb_release(&p->part);
	free(p);
}

unsigned long vc_cards(const struct vc_parser *p)
{
	return p->cards;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static int ieq(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	if (n != k)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (upper(s[i]) != lit[i])
			return 0;
	return 1;
}

/* Case-insensitive search for an upper-case literal in s[0..n). */
static int icontains(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	for (size_t i = 0; i + k <= n; i++)
		if (ieq(s + i, k, lit))
			return 1;
	return 0;
}

int vc_sniff(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return len - i >= 11 && ieq(s + i, 11, "BEGIN:VCARD");
}

static void card_reset(struct vc_parser *p)
{
	sb_reset(&p->store);
	for (int k = 0; k < VC_FIELD_COUNT; k++) {
		p->off[k] = SIZE_MAX;
		p->len[k] = 0;
	}
	p->too_long = 0;
	p->url_linkedin = 0;
	p->adr_rank = -1;
	p->adr_group[0] = '\0';
	p->has_geo = 0;
	p->lat = p->lon = 0;
	p->nr_abadr = 0;
	p->depth = 0;
}

static void emit(struct vc_parser *p, const char *reason)
{
	struct vc_card c;
	memset(&c, 0, sizeof(c));
	c.line = p->card_line;
	c.skip_reason = reason;
	if (!reason) {
		for (int k = 0; k < VC_FIELD_COUNT; k++) {
			c.field[k] = p->off[k] == SIZE_MAX ? "" : p->store.buf + p->off[k];
			c.len[k] = p->off[k] == SIZE_MAX ? 0 : p->len[k];
		}
		if (p->len[VC_COUNTRY] == 0 && p->adr_rank >= 0) {
			/* Apple: the country code of the address's group */
			for (int i = 0; i < p->nr_abadr; i++)
				if (!strcmp(p->abadr[i].group, p->adr_group)) {
					c.field[VC_COUNTRY] = p->abadr[i].cc;
					c.len[VC_COUNTRY] = strlen(p->abadr[i].cc);
					break;
				}
		}
		c.has_geo = p->has_geo;
		c.lat = p->lat;
		c.lon = p->lon;
	} else {
		for (int k = 0; k < VC_FIELD_COUNT; k++)
			c.field[k] = "";
	}
	p->cards++;
	p->in_card = 0;
	if (p->fn) {
		int rc = p->fn(&c, p->ctx);
		if (rc)
			p->status = rc;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = upper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value, quoted-printable decoded when qp, into p->tmp (not unescaped: components first). */
static void decode_value(struct vc_parser *p, const char *v, size_t n, int qp)
{
	sb_reset(&p->tmp);
	if (!qp) {
		sb_add(&p->tmp, v, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '=' && i + 2 < n + 0 && hexval(v[i + 1]) >= 0 && hexval(v[i + 2]) >= 0) {
			char c = (char)(hexval(v[i + 1]) * 16 + hexval(v[i + 2]));
			/* "=00" is a NUL: a space, as a raw one (strings stay NUL-terminated at their length) */
			sb_addch(&p->tmp, c ? c : ' ');
			i += 2;
		} else if (v[i] == '=' && i + 1 == n) {
			/* a soft break at the very end */
		} else {
			sb_addch(&p->tmp, v[i]);
		}
	}
}

/*
 * Component k (';'-separated, backslash escapes honoured) of the value in
 * p->tmp, unescaped and trimmed, into p->part; returns its length.
 */
static size_t component(struct vc_parser *p, int k)
{
	const char *s = p->tmp.buf;
	size_t n = p->tmp.len, i = 0, a, b;
	int at = 0;
	sb_reset(&p->part);
	for (; i < n && at < k; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == ';')
			at++;
	}
	if (at < k)
		return 0;
	for (; i < n && s[i] != ';'; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char e = s[++i];
			sb_addch(&p->part, e == 'n' || e == 'N' ? ' ' : e);
		} else {
			sb_addch(&p->part, s[i] == '\r' || s[i] == '\n' ? ' ' : s[i]);
		}
	}
	a = 0;
	b = p->part.len;
	while (a < b && (p->part.buf[a] == ' ' || p->part.buf[a] == '\t'))
		a++;
	while (b > a && (p->part.buf[b - 1] == ' ' || p->part.buf[b - 1] == '\t'))
		b--;
	memmove(p->part.buf, p->part.buf + a, b - a);
	sb_setlen(&p->part, b - a);
	return p->part.len;
}

static size_t keep(struct vc_parser *p, const char *s, size_t n)
{
	size_t at = p->store.len;
	sb_add(&p->store, s, n);
	sb_addch(&p->store, '\0');
	return at;
}

static void set_field(struct vc_parser *p, enum vc_field f, int k)
{
	size_t n = component(p, k);
	if (!n)
		return;
	p->off[f] = keep(p, p->part.buf, n);
	p->len[f] = n;
}

/* Types named by the parameters params[0..n) (";"-separated, after the name): bits 1 work, 2 home, 4 pref. */
static int param_types(const char *s, size_t n)
{
	int t = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i, a, b;
		int q = 0;
		while (j < n && (q || s[j] != ';')) {
			if (s[j] == '"')
				q = !q;
			j++;
		}
		a = i;
		if (j - i > 5 && ieq(s + i, 5, "TYPE="))
			a = i + 5;
		else if (j - i >= 5 && ieq(s + i, 5, "PREF="))
			t |= 4;
		/* the values, comma-separated, maybe quoted */
		for (b = a; a <= j; b++) {
			if (b == j || s[b] == ',') {
				const char *v = s + a;
				size_t vn = b - a;
				if (vn && *v == '"')
					v++, vn--;
				if (vn && v[vn - 1] == '"')
					vn--;
				if (ieq(v, vn, "WORK"))
					t |= 1;
				else if (ieq(v, vn, "HOME"))
					t |= 2;
				else if (ieq(v, vn, "PREF"))
					t |= 4;
				a = b + 1;
				if (b == j)
					break;
			}
		}
		i = j + 1;
	}
	return t;
}

static int parse_double(const char *s, size_t n, double *out)
{
	char buf[64], *end;
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.' || buf[i] == '-' || buf[i] == '+'))
			return 0;
	*out = strtod(buf, &end);
	return end == buf + n;
}

static void on_geo(struct vc_parser *p)
{
	const char *s = p->tmp.buf;
	size_t n = p->tmp.len, cut;
	double lat, lon;
	if (n >= 4 && ieq(s, 4, "GEO:"))
		s += 4, n -= 4;
	for (cut = 0; cut < n && s[cut] != ',' && s[cut] != ';'; cut++)
		;
	if (cut >= n)
		return;
	{
		size_t m = n;
		for (size_t i = cut + 1; i < n; i++)
			if (s[i] == ';' || s[i] == '?') { /* geo: URI parameters (";u=10") */
				m = i;
				break;
			}
		if (parse_double(s, cut, &lat) && parse_double(s + cut + 1, m - cut - 1, &lon) && lat >= -90 &&
		    lat <= 90 && lon >= -180 && lon <= 180) {
			p->has_geo = 1;
			p->lat = lat;
			p->lon = lon;
		}
	}
}

static void on_adr(struct vc_parser *p, const char *group, size_t glen, const char *params, size_t plen)
{
	int t = param_types(params, plen);
	int rank = ((t & 1) ? 4 : (t & 2) ? 2 : 0) + ((t & 4) ? 1 : 0);
	size_t lens[ADR_PARTS], offs[ADR_PARTS];
	static const int comp[ADR_PARTS] = { 3, 4, 6 }; /* locality, region, country of PO;ext;street;locality;region;code;country */
	static const enum vc_field fields[ADR_PARTS] = { VC_CITY, VC_REGION, VC_COUNTRY };
	int any = 0;
	if (rank <= p->adr_rank)
		return;
	for (int k = 0; k < ADR_PARTS; k++) {
		lens[k] = component(p, comp[k]);
		offs[k] = lens[k] ? keep(p, p->part.buf, lens[k]) : SIZE_MAX;
		any |= lens[k] > 0;
	}
	if (!any)
		return; /* a street alone places nobody */
	p->adr_rank = rank;
	for (int k = 0; k < ADR_PARTS; k++) {
		p->off[fields[k]] = offs[k];
		p->len[fields[k]] = lens[k];
	}
	if (glen >= sizeof(p->adr_group))
		glen = sizeof(p->adr_group) - 1;
	memcpy(p->adr_group, group, glen);
	p->adr_group[glen] = '\0';
}

static void on_abadr(struct vc_parser *p, const char *group, size_t glen)
{
	size_t n = component(p, 0);
	if (!glen || !n || n >= sizeof(p->abadr[0].cc) || glen >= sizeof(p->abadr[0].group) || p->nr_abadr >= MAX_ABADR)
		return;
	memcpy(p->abadr[p->nr_abadr].group, group, glen);
	p->abadr[p->nr_abadr].group[glen] = '\0';
	for (size_t i = 0; i < n; i++)
		p->abadr[p->nr_abadr].cc[i] = upper(p->part.buf[i]);
	p->abadr[p->nr_abadr].cc[n] = '\0';
	p->nr_abadr++;
}

/* One logical line (unfolded). */
static void on_line(struct vc_parser *p, const char *s, size_t n, int cut)
{
	size_t colon, name_end, dot = SIZE_MAX, i;
	int q = 0, qp;
	const char *name, *params, *group = "";
	size_t nlen, plen, glen = 0;
	for (colon = 0; colon < n; colon++) {
		if (s[colon] == '"')
			q = !q;
		else if (s[colon] == ':' && !q)
			break;
	}
	if (colon >= n)
		return;
	for (name_end = 0; name_end < colon && s[name_end] != ';'; name_end++)
		if (s[name_end] == '.')
			dot = name_end;
	name = s;
	nlen = name_end;
	if (dot != SIZE_MAX) {
		group = s;
		glen = dot;
		name = s + dot + 1;
		nlen = name_end - dot - 1;
	}
	params = s + name_end + (name_end < colon);
	plen = colon - name_end - (name_end < colon);
	if (ieq(name, nlen, "BEGIN") && ieq(s + colon + 1, n - colon - 1, "VCARD")) {
		if (p->in_card) {
			p->depth++;
		} else {
			card_reset(p);
			p->in_card = 1;
			p->card_line = p->cur_line;
		}
		return;
	}
	if (!p->in_card)
		return;
	if (ieq(name, nlen, "END") && ieq(s + colon + 1, n - colon - 1, "VCARD")) {
		if (p->depth)
			p->depth--;
		else
			emit(p, p->too_long ? "field longer than 1 MiB" : NULL);
		return;
	}
	if (p->depth)
		return;
	{
		static const char *const wanted[] = { "FN", "N", "ORG", "TITLE", "EMAIL", "URL", "ADR", "GEO", "X-ABADR" };
		int w = -1;
		for (size_t k = 0; k < sizeof(wanted) / sizeof(wanted[0]); k++)
			if (ieq(name, nlen, wanted[k]))
				w = (int)k;
		if (w < 0)
			return;
		if (cut) {
			p->too_long = 1;
			return;
		}
		qp = icontains(params, plen, "QUOTED-PRINTABLE");
		decode_value(p, s + colon + 1, n - colon - 1, qp);
		switch (w) {
		case 0:
			if (p->off[VC_FN] == SIZE_MAX)
				set_field(p, VC_FN, 0);
			break;
		case 1:
			if (p->off[VC_FAMILY] == SIZE_MAX && p->off[VC_GIVEN] == SIZE_MAX) {
				set_field(p, VC_FAMILY, 0);
				set_field(p, VC_GIVEN, 1);
			}
			break;
		case 2:
			if (p->off[VC_ORG] == SIZE_MAX)
				set_field(p, VC_ORG, 0);
			break;
		case 3:
			if (p->off[VC_TITLE] == SIZE_MAX)
				set_field(p, VC_TITLE, 0);
			break;
		case 4:
			if (p->off[VC_EMAIL] == SIZE_MAX)
				set_field(p, VC_EMAIL, 0);
			break;
		case 5: {
			/* URL: the value whole (a ';' or ',' in it is data) */
			int li = icontains(p->tmp.buf, p->tmp.len, "LINKEDIN.");
			if (p->off[VC_URL] == SIZE_MAX || (li && !p->url_linkedin)) {
				size_t k = 0;
				sb_reset(&p->part);
				for (i = 0; i < p->tmp.len; i++) {
					if (p->tmp.buf[i] == '\\' && i + 1 < p->tmp.len)
						i++;
					sb_addch(&p->part, p->tmp.buf[i]);
				}
				while (k < p->part.len && p->part.buf[k] == ' ')
					k++;
				if (p->part.len > k) {
					p->off[VC_URL] = keep(p, p->part.buf + k, p->part.len - k);
					p->len[VC_URL] = p->part.len - k;
					p->url_linkedin = li;
				}
			}
			break;
		}
		case 6:
			on_adr(p, group, glen, params, plen);
			break;
		case 7:
			on_geo(p);
			break;
		default:
			on_abadr(p, group, glen);
			break;
		}
	}
}

static void flush_cur(struct vc_parser *p)
{
	if (p->has_cur)
		on_line(p, p->cur.buf, p->cur.len, p->cur_cut);
	sb_reset(&p->cur);
	p->has_cur = 0;
	p->cur_cut = 0;
	p->cur_qp_soft = 0;
}

static void append(struct strbuf *sb, int *cut, const char *s, size_t n)
{
	size_t at;
	if (*cut)
		return;
	if (sb->len + n > VC_LINE_MAX) {
		n = VC_LINE_MAX - sb->len;
		*cut = 1;
	}
	at = sb->len;
	sb_add(sb, s, n);
	for (size_t i = at; i < sb->len; i++)
		if (!sb->buf[i])
			sb->buf[i] = ' '; /* strings stay NUL-terminated at their length */
}

/* Nonzero when the logical line's parameters say quoted-printable. */
static int cur_is_qp(const struct vc_parser *p)
{
	size_t colon = 0;
	while (colon < p->cur.len && p->cur.buf[colon] != ':')
		colon++;
	return icontains(p->cur.buf, colon, "QUOTED-PRINTABLE");
}

/* One physical line (without its end), line number p->line + 1. */
static void on_phys(struct vc_parser *p, const char *s, size_t n, int cut)
{
	unsigned long lineno = p->line + 1;
	if (p->has_cur && p->cur_qp_soft) {
		/* 2.1 quoted-printable: "=" ended the line before, this one goes on (drop the "=") */
		sb_setlen(&p->cur, p->cur.len - 1);
		append(&p->cur, &p->cur_cut, s, n);
	} else if (p->has_cur && n && (s[0] == ' ' || s[0] == '\t')) {
		append(&p->cur, &p->cur_cut, s + 1, n - 1);
	} else {
		flush_cur(p);
		if (p->status)
			return;
		if (!n)
			return;
		p->has_cur = 1;
		p->cur_line = lineno;
		append(&p->cur, &p->cur_cut, s, n);
	}
	p->cur_cut |= cut;
	p->cur_qp_soft = !p->cur_cut && p->cur.len && p->cur.buf[p->cur.len - 1] == '=' && cur_is_qp(p);
}

int vc_feed(struct vc_parser *p, const char *s, size_t len)
{
	const char *end = s + len;
	if (p->status)
		return p->status;
	if (!len)
		return 0;
	if (p->skip_lf && *s == '\n')
		s++;
	p->skip_lf = 0;
	while (s < end && !p->status) {
		const char *nl = s;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		append(&p->phys, &p->phys_cut, s, (size_t)(nl - s));
		if (nl == end)
			break;
		on_phys(p, p->phys.buf, p->phys.len, p->phys_cut);
		p->line++;
		sb_reset(&p->phys);
		p->phys_cut = 0;
		if (*nl == '\r') {
			if (nl + 1 < end && nl[1] == '\n')
				nl++;
			else if (nl + 1 == end)
				p->skip_lf = 1;
		}
		s = nl + 1;
	}
	return p->status;
}

int vc_finish(struct vc_parser *p)
{
	if (p->status)
		return p->status;
	if (p->phys.len) {
		on_phys(p, p->phys.buf, p->phys.len, p->phys_cut);
		p->line++;
		sb_reset(&p->phys);
	}
	if (!p->status)
		flush_cur(p);
	if (!p->status && p->in_card)
		emit(p, "unterminated card");
	return p->status;
}
