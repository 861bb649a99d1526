/*
 * ingest_header: the header and its roles. The table of known header
 * names (English, German, French, Spanish, Portuguese, Italian, Dutch and
 * the names of each export), finding the header line among the first
 * records (ing_sniff_header, which also picks the delimiter), and mapping
 * its columns to roles and targets (ing_header_done) once libcsv has read
 * it (ing_header_field).
 */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "text.h"

#include "banned.h"

static const char *const role_names[ING_ROLE_COUNT] = {
	"first_name", "last_name", "full_name", "url", "email", "company", "position",
	"connected_on", "location", "city", "region", "country", "lat", "lon"
};

const char *ing_role_name(enum ing_role role)
{
	if ((int)role < 0 || role >= ING_ROLE_COUNT)
		return NULL;
	return role_names[role];
}

int ing_role_parse(const char *name)
{
	for (int i = 0; i < ING_ROLE_COUNT; i++)
		if (!strcmp(name, role_names[i]))
			return i;
	return -1;
}

/*
 * Known header names, already in txt_fold form (lower case, accents
 * stripped, punctuation as single spaces). For each role the earliest
 * matching entry wins; among columns with the same header the leftmost
 * wins. "fallback" entries (Outlook's Home address) are used for a row
 * only when all its primary city/region/country cells are empty. The
 * format hint names the export that this header identifies; the format is
 * the one with the most hints (a header without a role counts twice),
 * ties in format_names order.
 */
static const struct known_header {
	enum ing_role role;
	const char *folded;
	const char *format;
	int fallback;
} known_headers[] = {
	{ ING_FIRST_NAME, "first name", NULL, 0 },
	{ ING_FIRST_NAME, "vorname", NULL, 0 },
	{ ING_FIRST_NAME, "given name", "google", 0 },
	{ ING_FIRST_NAME, "firstname", NULL, 0 },
	{ ING_LAST_NAME, "last name", NULL, 0 },
	{ ING_LAST_NAME, "nachname", NULL, 0 },
	{ ING_LAST_NAME, "family name", "google", 0 },
	{ ING_LAST_NAME, "lastname", NULL, 0 },
	{ ING_LAST_NAME, "surname", NULL, 0 },
	{ ING_FULL_NAME, "fullname", "phantombuster", 0 },
	{ ING_FULL_NAME, "name", NULL, 0 },
	{ ING_FULL_NAME, "full name", NULL, 0 },
	{ ING_FULL_NAME, "display name", NULL, 0 },
	{ ING_FULL_NAME, "nome", NULL, 0 },
	{ ING_FULL_NAME, "nombre", NULL, 0 },
	{ ING_FULL_NAME, "nom", NULL, 0 },
	{ ING_URL, "url", NULL, 0 },
	{ ING_URL, "profile url", NULL, 0 },
	{ ING_URL, "linkedin url", NULL, 0 },
	{ ING_URL, "linkedin profile url", NULL, 0 },
	{ ING_URL, "linkedin profile", NULL, 0 },
	{ ING_URL, "public profile url", NULL, 0 },
	{ ING_URL, "profil url", NULL, 0 },
	{ ING_URL, "linkedinprofileurl", "phantombuster", 0 },
	{ ING_URL, "profileurl", "phantombuster", 0 },
	{ ING_URL, "person linkedin url", "apollo", 0 },
	{ ING_URL, "linkedinurl", "waalaxy", 0 },
	{ ING_URL, "profile", "dux-soup", 0 },
	{ ING_EMAIL, "email address", "linkedin", 0 },
	{ ING_EMAIL, "e mail address", "outlook", 0 },
	{ ING_EMAIL, "e mail adresse", NULL, 0 },
	{ ING_EMAIL, "e mail 1 value", "google", 0 },
	{ ING_EMAIL, "email", NULL, 0 },
	{ ING_EMAIL, "e mail", NULL, 0 },
	{ ING_EMAIL, "primary email", "thunderbird", 0 },
	{ ING_COMPANY, "company", NULL, 0 },
	{ ING_COMPANY, "unternehmen", "linkedin-de", 0 },
	{ ING_COMPANY, "firma", "outlook-de", 0 },
	{ ING_COMPANY, "organization 1 name", "google", 0 },
	{ ING_COMPANY, "organization name", "google", 0 },
	{ ING_COMPANY, "company name", "hubspot", 0 },
	{ ING_COMPANY, "account name", "salesforce", 0 },
	{ ING_COMPANY, "organization", NULL, 0 },
	{ ING_COMPANY, "organisation", NULL, 0 },
	{ ING_COMPANY, "empresa", NULL, 0 },
	{ ING_COMPANY, "entreprise", NULL, 0 },
	{ ING_COMPANY, "azienda", NULL, 0 },
	{ ING_COMPANY, "companyname", "phantombuster", 0 },
	{ ING_COMPANY, "accountname", "salesforce", 0 },
	{ ING_POSITION, "position", NULL, 0 },
	{ ING_POSITION, "job title", NULL, 0 },
	{ ING_POSITION, "organization 1 title", "google", 0 },
	{ ING_POSITION, "organization title", "google", 0 },
	{ ING_POSITION, "title", NULL, 0 },
	{ ING_POSITION, "jobtitle", NULL, 0 },
	{ ING_CONNECTED_ON, "connected on", "linkedin", 0 },
	{ ING_CONNECTED_ON, "verbunden am", "linkedin-de", 0 },
	{ ING_CONNECTED_ON, "connection date", NULL, 0 },
	{ ING_LOCATION, "location", NULL, 0 },
	{ ING_LOCATION, "geo location", "linkedin", 0 },
	{ ING_LOCATION, "geolocation", NULL, 0 },
	{ ING_LOCATION, "standort", NULL, 0 },
	{ ING_LOCATION, "ort", NULL, 0 },
	{ ING_LOCATION, "localizacao", NULL, 0 },
	{ ING_LOCATION, "localisation", NULL, 0 },
	{ ING_LOCATION, "ubicacion", NULL, 0 },
	{ ING_LOCATION, "localizzazione", NULL, 0 },
	{ ING_LOCATION, "locatie", NULL, 0 },
	{ ING_LOCATION, "lieu", NULL, 0 },
	{ ING_LOCATION, "address 1 formatted", "google", 0 },
	{ ING_CITY, "city", NULL, 0 },
	{ ING_CITY, "address 1 city", "google", 0 },
	{ ING_CITY, "business city", "outlook", 0 },
	{ ING_CITY, "ort geschaftlich", "outlook-de", 0 },
	{ ING_CITY, "mailing city", "salesforce", 0 },
	{ ING_CITY, "stadt", NULL, 0 },
	{ ING_CITY, "ville", NULL, 0 },
	{ ING_CITY, "ciudad", NULL, 0 },
	{ ING_CITY, "cidade", NULL, 0 },
	{ ING_CITY, "citta", NULL, 0 },
	{ ING_CITY, "plaats", NULL, 0 },
	{ ING_CITY, "work city", "thunderbird", 0 },
	{ ING_CITY, "mailingcity", "salesforce", 0 },
	{ ING_CITY, "home city", "outlook", 1 },
	{ ING_CITY, "ort privat", "outlook-de", 1 },
	{ ING_CITY, "othercity", "salesforce", 1 },
	{ ING_CITY, "other city", NULL, 1 },
	{ ING_REGION, "state", NULL, 0 },
	{ ING_REGION, "state region", "hubspot", 0 },
	{ ING_REGION, "state province", NULL, 0 },
	{ ING_REGION, "region", NULL, 0 },
	{ ING_REGION, "province", NULL, 0 },
	{ ING_REGION, "address 1 region", "google", 0 },
	{ ING_REGION, "business state", "outlook", 0 },
	{ ING_REGION, "bundesland kanton geschaftlich", "outlook-de", 0 },
	{ ING_REGION, "region geschaftlich", "outlook-de", 0 },
	{ ING_REGION, "mailing state province", "salesforce", 0 },
	{ ING_REGION, "bundesland", NULL, 0 },
	{ ING_REGION, "work state", "thunderbird", 0 },
	{ ING_REGION, "mailingstate", "salesforce", 0 },
	{ ING_REGION, "home state", "outlook", 1 },
	{ ING_REGION, "bundesland kanton privat", "outlook-de", 1 },
	{ ING_REGION, "region privat", "outlook-de", 1 },
	{ ING_REGION, "otherstate", "salesforce", 1 },
	{ ING_REGION, "other state", NULL, 1 },
	{ ING_COUNTRY, "country", NULL, 0 },
	{ ING_COUNTRY, "country region", "hubspot", 0 },
	{ ING_COUNTRY, "address 1 country", "google", 0 },
	{ ING_COUNTRY, "business country region", "outlook", 0 },
	{ ING_COUNTRY, "land region geschaftlich", "outlook-de", 0 },
	{ ING_COUNTRY, "mailing country", "salesforce", 0 },
	{ ING_COUNTRY, "land", NULL, 0 },
	{ ING_COUNTRY, "pays", NULL, 0 },
	{ ING_COUNTRY, "pais", NULL, 0 },
	{ ING_COUNTRY, "paese", NULL, 0 },
	{ ING_COUNTRY, "business country", "outlook", 0 },
	{ ING_COUNTRY, "work country", "thunderbird", 0 },
	{ ING_COUNTRY, "mailingcountry", "salesforce", 0 },
	{ ING_COUNTRY, "home country region", "outlook", 1 },
	{ ING_COUNTRY, "land region privat", "outlook-de", 1 },
	{ ING_COUNTRY, "home country", NULL, 1 },
	{ ING_COUNTRY, "othercountry", "salesforce", 1 },
	{ ING_COUNTRY, "other country region", NULL, 1 },
	{ ING_LAT, "latitude", NULL, 0 },
	{ ING_LAT, "lat", NULL, 0 },
	{ ING_LAT, "breitengrad", NULL, 0 },
	{ ING_LAT, "breite", NULL, 0 },
	{ ING_LAT, "mailinglatitude", "salesforce", 0 },
	{ ING_LAT, "otherlatitude", "salesforce", 1 },
	{ ING_LON, "longitude", NULL, 0 },
	{ ING_LON, "lng", NULL, 0 },
	{ ING_LON, "lon", NULL, 0 },
	{ ING_LON, "long", NULL, 0 },
	{ ING_LON, "langengrad", NULL, 0 },
	{ ING_LON, "lange", NULL, 0 },
	{ ING_LON, "mailinglongitude", "salesforce", 0 },
	{ ING_LON, "otherlongitude", "salesforce", 1 },
	/* headers that only name the export (no role): they count for header sniffing and the format */
	{ ING_ROLE_COUNT, "web page 1", "thunderbird", 0 },
	{ ING_ROLE_COUNT, "home zipcode", "thunderbird", 0 },
	{ ING_ROLE_COUNT, "vmid", "phantombuster", 0 },
	{ ING_ROLE_COUNT, "defaultprofileurl", "phantombuster", 0 },
	{ ING_ROLE_COUNT, "company name for emails", "apollo", 0 },
	{ ING_ROLE_COUNT, "company linkedin url", "apollo", 0 },
	{ ING_ROLE_COUNT, "visittime", "dux-soup", 0 },
	{ ING_ROLE_COUNT, "salesprofile", "dux-soup", 0 },
	{ ING_ROLE_COUNT, "sales navigator profile url", "evaboot", 0 },
	{ ING_ROLE_COUNT, "company linkedin id", "evaboot", 0 },
	{ ING_ROLE_COUNT, "salesnavigatorurl", "waalaxy", 0 },
	{ ING_ROLE_COUNT, "prospectlist", "waalaxy", 0 },
	{ ING_ROLE_COUNT, "sharedconnectionscount", "sales-navigator", 0 },
	{ ING_ROLE_COUNT, "leadsalesurl", "sales-navigator", 0 },
};

/* Format names in tie-break order; "generic" when no hint matched. */
static const char *const format_names[] = {
	"linkedin", "linkedin-de", "google", "outlook", "outlook-de", "hubspot", "salesforce", "thunderbird",
	"phantombuster", "apollo", "dux-soup", "evaboot", "waalaxy", "sales-navigator"
};

size_t ing_known_header_count(void)
{
	return ARRAY_SIZE(known_headers);
}

const char *ing_known_header(size_t i, int *role)
{
	if (i >= ARRAY_SIZE(known_headers))
		return NULL;
	if (role)
		*role = (int)known_headers[i].role;
	return known_headers[i].folded;
}

static int lookup_header(const char *folded, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_headers); i++) {
		const char *k = known_headers[i].folded;
		if (strlen(k) == len && !memcmp(k, folded, len))
			return (int)i;
	}
	return -1;
}

static void add_cell(struct ing_reader *r, struct strbuf *sb, const char *s, size_t len)
{
	if (r->check_utf8 && !txt_utf8_valid(s, len))
		enc_utf8_mixed(sb, s, len);
	else
		sb_add(sb, s, len);
	sb_addch(sb, '\0');
}

/* libcsv's field callback while the header is read: keep every cell. */
void ing_header_field(void *data, size_t len, void *vr)
{
	struct ing_reader *r = vr;
	const char *s = data;
	size_t i = r->nfields++;
	if (len)
		r->nonempty = 1;
	if (r->overflow || len > FIELD_MAX) {
		r->overflow = 0;
		r->too_long = 1;
		return;
	}
	if (i >= FIELDS_MAX)
		return;
	ALLOC_GROW(r->hdr_off, r->hdr_nr + 1, r->hdr_alloc);
	r->hdr_len = xrealloc(r->hdr_len, r->hdr_alloc * sizeof(*r->hdr_len));
	r->hdr_off[r->hdr_nr] = r->hdr.len;
	add_cell(r, &r->hdr, s, len);
	r->hdr_len[r->hdr_nr] = r->hdr.len - 1 - r->hdr_off[r->hdr_nr];
	r->hdr_nr++;
}

/* Let column col's cell go to *p / *l (which hold "" until the first row). */
static void add_target(struct ing_reader *r, size_t col, const char **p, size_t *l)
{
	int t = r->ntgt++;
	r->tgt[t].p = p;
	r->tgt[t].l = l;
	r->tgt[t].next = r->coltgt[col];
	r->tgt[t].col = col;
	if (col + 1 > r->need_cols)
		r->need_cols = col + 1;
	if (r->coltgt[col] < 0)
		r->tgt_head[r->nheads++] = t;
	else
		for (int h = 0; h < r->nheads; h++) /* keep the head list pointing at chain heads */
			if (r->tgt_head[h] == r->coltgt[col])
				r->tgt_head[h] = t;
	r->coltgt[col] = t;
	*p = "";
	*l = 0;
}

int ing_header_done(struct ing_reader *r, unsigned long line)
{
	struct strbuf fold = STRBUF_INIT, want = STRBUF_INIT;
	const struct ing_options *opt = r->opt;
	struct ing_info *info = r->info;
	int best[ING_ROLE_COUNT], fbest[ING_ROLE_COUNT];
	long col[ING_ROLE_COUNT], fcol[ING_ROLE_COUNT];
	unsigned fmt_count[ARRAY_SIZE(format_names)] = { 0 };
	int has_place, has_coords;

	if (r->too_long) {
		ing_set_err(r, NR_EX_DATAERR, line, "header field longer than 1 MiB");
		return -1;
	}
	if (r->nfields > FIELDS_MAX) {
		ing_set_err(r, NR_EX_DATAERR, line, "header has more than 1,000 fields");
		return -1;
	}
	info->header_line = line;
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		best[k] = fbest[k] = -1;
		col[k] = fcol[k] = -1;
	}
	sb_init(&fold, 64);
	sb_init(&want, 64);
	for (size_t i = 0; i < r->hdr_nr; i++) {
		int h;
		txt_fold(&fold, r->hdr.buf + r->hdr_off[i], r->hdr_len[i], 0);
		h = lookup_header(fold.buf, fold.len);
		if (h < 0)
			continue;
		const struct known_header *kh = &known_headers[h];
		/* a header that only names the export says more about it than a role's usual name */
		if (kh->format)
			for (size_t f = 0; f < ARRAY_SIZE(format_names); f++)
				if (!strcmp(format_names[f], kh->format))
					fmt_count[f] += kh->role == ING_ROLE_COUNT ? 2 : 1;
		if (kh->role == ING_ROLE_COUNT)
			continue; /* names the export only */
		if (!kh->fallback && (best[kh->role] < 0 || h < best[kh->role])) {
			best[kh->role] = h;
			col[kh->role] = (long)i;
		} else if (kh->fallback && (fbest[kh->role] < 0 || h < fbest[kh->role])) {
			fbest[kh->role] = h;
			fcol[kh->role] = (long)i;
		}
	}
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		if (col[k] < 0) {
			col[k] = fcol[k];
			fcol[k] = -1;
		}
	}
	/* --column overrides: exact header text first, then the folded form */
	for (int k = 0; opt && k < ING_ROLE_COUNT; k++) {
		const char *w = opt->column[k];
		long found = -1;
		if (!w)
			continue;
		for (size_t i = 0; i < r->hdr_nr && found < 0; i++)
			if (r->hdr_len[i] == strlen(w) && !memcmp(r->hdr.buf + r->hdr_off[i], w, r->hdr_len[i]))
				found = (long)i;
		txt_fold(&want, w, strlen(w), 0);
		for (size_t i = 0; i < r->hdr_nr && found < 0 && want.len; i++) {
			txt_fold(&fold, r->hdr.buf + r->hdr_off[i], r->hdr_len[i], 0);
			if (fold.len == want.len && !memcmp(fold.buf, want.buf, want.len))
				found = (long)i;
		}
		if (found < 0 && r->need_url)
			continue; /* --column names the export's columns too: the locations file may lack it */
		if (found < 0 && r->join && (r->join->found_cols & ING_ROLE_BIT(k)))
			continue; /* it names a column of the --locations file */
		if (found < 0) {
			ing_set_err(r, NR_EX_DATAERR, 0, "no column '%s' for --column %s", w, role_names[k]);
			goto out;
		}
		if (r->need_url)
			r->loading->found_cols |= ING_ROLE_BIT(k);
		col[k] = found;
		fcol[k] = -1;
	}

	info->format = "generic";
	for (size_t f = 0, bestn = 0; f < ARRAY_SIZE(format_names); f++) {
		if (fmt_count[f] > bestn) {
			bestn = fmt_count[f];
			info->format = format_names[f];
		}
	}

	r->linkedin_empty = col[ING_CONNECTED_ON] >= 0 && !strncmp(info->format, "linkedin", 8);
	has_place = col[ING_LOCATION] >= 0 || col[ING_CITY] >= 0 || col[ING_REGION] >= 0 ||
		    col[ING_COUNTRY] >= 0;
	has_coords = col[ING_LAT] >= 0 && col[ING_LON] >= 0;
	if (r->need_url) {
		if (col[ING_URL] < 0 && col[ING_EMAIL] < 0 && col[ING_FULL_NAME] < 0 && col[ING_FIRST_NAME] < 0 &&
		    col[ING_LAST_NAME] < 0) {
			ing_set_err(r, NR_EX_DATAERR, line,
				"no profile URL, e-mail or name column to join --locations on; name one with "
				"--column url=HEADER (or email=, full_name=)");
			goto out;
		}
		if (!has_place) {
			ing_set_err(r, NR_EX_DATAERR, line,
				"no location column for --locations: looked for Location, City, State, Country and "
				"their German, French, Spanish, Portuguese, Italian and Dutch names; name it with "
				"--column location=HEADER");
			goto out;
		}
	} else if (!has_place && !has_coords) {
		if (!r->join && r->linkedin_empty) {
			/* LinkedIn's own Connections.csv never has a location: its rows are counted without one */
			info->no_place_column = 1;
		} else if (!r->join && r->sniff_last) {
			/* no known header anywhere it looked: say where that was */
			ing_set_err(r, NR_EX_DATAERR, line,
				"no location or coordinates column, and no known header line in the first %d "
				"records (lines %lu-%lu; the header is looked for in the first %d records and "
				"256 KiB); name one with --column location=HEADER", r->sniff_records, line,
				r->sniff_last, SNIFF_RECORDS);
			goto out;
		} else if (!r->join) {
			ing_set_err(r, NR_EX_DATAERR, line,
				"no location column: looked for a place (Location, City, State, Country, and the "
				"Business, Home, Work, Mailing and Address 1 forms of Outlook, Thunderbird, "
				"Salesforce and Google) and Latitude/Longitude; name yours with --column "
				"location=HEADER (or city=, country=), or join one with --locations FILE");
			goto out;
		}
		if (r->join && col[ING_URL] < 0 && col[ING_EMAIL] < 0 && col[ING_FULL_NAME] < 0 &&
		    col[ING_FIRST_NAME] < 0 && col[ING_LAST_NAME] < 0) {
			ing_set_err(r, NR_EX_DATAERR, line,
				"no profile URL, e-mail or name column to join --locations on; name one with "
				"--column url=HEADER (or email=, full_name=)");
			goto out;
		}
	}

	r->ncols = r->hdr_nr;
	r->coltgt = xmalloc((r->ncols ? r->ncols : 1) * sizeof(*r->coltgt));
	for (size_t i = 0; i < r->ncols; i++)
		r->coltgt[i] = -1;
	r->ntgt = r->nheads = r->nhidden = 0;
	r->need_cols = 0;
	for (int k = 0; k < ING_ROLE_COUNT; k++) {
		int exported = !(opt && (opt->omit_fields & ING_ROLE_BIT(k)));
		r->row.field[k] = r->fb_field[k] = NULL;
		r->row.field_len[k] = r->fb_len[k] = 0;
		if (col[k] >= 0) {
			/* a target when emit_row reads the cell or the caller gets field[k] */
			if (exported || (INTERNAL_ROLES & ING_ROLE_BIT(k)) || (r->join && (JOIN_ROLES & ING_ROLE_BIT(k)))) {
				add_target(r, (size_t)col[k], &r->row.field[k], &r->row.field_len[k]);
				if (!exported)
					r->hidden[r->nhidden++] = k;
			}
			free(info->column[k]);
			info->column[k] = xstrndup(r->hdr.buf + r->hdr_off[col[k]], r->hdr_len[col[k]]);
		}
		if (fcol[k] >= 0)
			add_target(r, (size_t)fcol[k], &r->fb_field[k], &r->fb_len[k]);
	}
	r->phase = PH_DATA;
out:
	sb_release(&fold);
	sb_release(&want);
	return r->status ? -1 : 0;
}

static const char delims[] = { ',', ';', '\t', '|' };

/* Known-header hits in record rec split by d; *nfields gets the field count. */
static int score_record(const char *rec, size_t len, char d, const struct ing_options *opt,
			struct strbuf *cell, struct strbuf *fold, size_t *nfields)
{
	size_t i = 0;
	int hits = 0;
	*nfields = 0;
	while (i <= len) {
		int q = 0;
		sb_reset(cell);
		while (i < len && (rec[i] == ' ' || (rec[i] == '\t' && d != '\t')))
			i++;
		if (i < len && rec[i] == '"') {
			q = 1;
			i++;
		}
		while (i < len) {
			if (q && rec[i] == '"') {
				if (i + 1 < len && rec[i + 1] == '"') {
					sb_addch(cell, '"');
					i += 2;
					continue;
				}
				q = 0;
				i++;
				continue;
			}
			if (!q && rec[i] == d)
				break;
			sb_addch(cell, rec[i]);
			i++;
		}
		(*nfields)++;
		txt_fold(fold, cell->buf, cell->len, 0);
		if (fold->len && lookup_header(fold->buf, fold->len) >= 0) {
			hits++;
		} else if (fold->len && opt) {
			for (int k = 0; k < ING_ROLE_COUNT; k++) {
				if (opt->column[k] && !strcmp(opt->column[k], cell->buf)) {
					hits++;
					break;
				}
			}
		}
		i++; /* past the delimiter (or the end) */
	}
	return hits;
}

void ing_sniff_header(const char *t, size_t n, int eof, const struct ing_options *opt, struct ing_sniff *sn)
{
	struct strbuf cell = STRBUF_INIT, fold = STRBUF_INIT;
	size_t pos = 0, first_off = 0;
	unsigned long line = 1, first_line = 0;
	char first_delim = ',';
	int records = 0;

	memset(sn, 0, sizeof(*sn));
	sb_init(&cell, 64);
	sb_init(&fold, 64);
	while (pos < n && records < SNIFF_RECORDS) {
		size_t end = pos, i;
		unsigned long breaks = 0;
		int q = 0, blank = 1;
		for (; end < n; end++) {
			char c = t[end];
			if (c == '"')
				q = !q;
			else if (c == '\n' || c == '\r') {
				if (!q)
					break;
				if (!(c == '\r' && end + 1 < n && t[end + 1] == '\n'))
					breaks++;
			} else if (c != ' ' && c != '\t')
				blank = 0;
		}
		if (end >= n && !eof) {
			sn->stopped = 1;
			break; /* incomplete record: the header must lie in the first chunk */
		}
		if (q)
			blank = 0;
		if (!blank) {
			int best = -1;
			size_t best_fields = 0;
			char best_d = ',';
			records++;
			sn->records = records;
			sn->last = line + breaks;
			for (size_t k = 0; k < ARRAY_SIZE(delims); k++) {
				size_t nf;
				int s = score_record(t + pos, end - pos, delims[k], opt, &cell, &fold, &nf);
				if (s > best) {
					best = s;
					best_d = delims[k];
					best_fields = nf;
				}
			}
			if (!first_line) {
				size_t cnt[ARRAY_SIZE(delims)] = { 0 }, top = 0;
				int qq = 0;
				first_line = line;
				first_off = pos;
				for (i = pos; i < end; i++) {
					if (t[i] == '"')
						qq = !qq;
					for (size_t k = 0; !qq && k < ARRAY_SIZE(delims); k++)
						cnt[k] += t[i] == delims[k];
				}
				for (size_t k = 0; k < ARRAY_SIZE(delims); k++)
					if (cnt[k] > top) {
						top = cnt[k];
						first_delim = delims[k];
					}
			}
			if (best >= 2 || (best == 1 && best_fields == 1)) {
				sn->found = 1;
				sn->off = pos;
				sn->line = line;
				sn->delim = best_d;
				goto out;
			}
		}
		line += 1 + breaks;
		pos = end;
		if (pos < n && t[pos] == '\r' && pos + 1 < n && t[pos + 1] == '\n')
			pos += 2;
		else if (pos < n)
			pos++;
		else
			line--; /* no terminator after the last record */
	}
	if (records >= SNIFF_RECORDS && pos < n)
		sn->stopped = 1;
	if (first_line) {
		sn->found = 1;
		sn->fallback = 1;
		sn->off = first_off;
		sn->line = first_line;
		sn->delim = first_delim;
	}
out:
	sb_release(&cell);
	sb_release(&fold);
}
