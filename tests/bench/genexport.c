/*
 * genexport: write a deterministic synthetic contacts export for benchmarks.
 *
 *   genexport [-c CITIES] ROWS OUT [SEED]
 *
 * LinkedIn-style columns plus a Location column. Locations come from a
 * fixed pool of a few thousand distinct places (real and synthetic city
 * names) in the forms "City, State, Country", "City, ST", "City, Country",
 * "Greater X Area" and "X Metropolitan Area", about 8% empty, drawn with a
 * skewed (Zipf-like) distribution. Some companies need quoting. Same
 * ROWS and SEED give the same bytes.
 *
 * With -c CITIES (one "City, Admin-1, Country" per line, the most populous
 * first; scripts/gen-bench-export --real writes it from the gazetteer):
 * LinkedIn's "Notes:" preamble before the header, and locations drawn
 * from those cities by Zipf's law (the city of rank k with weight 1/k),
 * each written as given or, for one city in eight, without its admin-1
 * part; about 8% empty.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

static const char *const real_cities[] = {
	"Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt", "Stuttgart", "Zürich", "Vienna",
	"Paris", "Lyon", "London", "Manchester", "Dublin", "Amsterdam", "Brussels", "Madrid",
	"Barcelona", "Lisbon", "Rome", "Milan", "Warsaw", "Prague", "Stockholm", "Oslo",
	"Copenhagen", "Helsinki", "New York", "San Francisco", "Seattle", "Austin", "Boston",
	"Chicago", "Toronto", "Vancouver", "São Paulo", "Mexico City", "Bengaluru", "Mumbai",
	"Singapore", "Tokyo", "Sydney", "Melbourne", "Düsseldorf", "Köln", "Malmö", "Kraków"
};
static const char *const states[][2] = {
	{ "California", "CA" }, { "New York", "NY" }, { "Texas", "TX" }, { "Washington", "WA" },
	{ "Bavaria", "BY" }, { "Hesse", "HE" }, { "Ontario", "ON" }, { "Île-de-France", "IDF" },
	{ "Catalonia", "CT" }, { "Lombardy", "LM" }, { "Massachusetts", "MA" }, { "Illinois", "IL" }
};
static const char *const countries[] = {
	"Germany", "United States", "France", "United Kingdom", "Spain", "Italy", "Canada",
	"Netherlands", "Switzerland", "Austria", "Sweden", "Poland", "Brazil", "India", "Japan"
};
static const char *const syl1[] = { "Nor", "Wes", "Bad", "Alt", "Neu", "Ober", "Rot", "Grün",
	"Lin", "Mar", "Sten", "Hal", "Ash", "Brook", "Fair", "Glen", "Port", "Saint ", "San ", "Els" };
static const char *const syl2[] = { "den", "ten", "ber", "wal", "ring", "mar", "lo", "ven",
	"ham", "ley", "ford", "ton", "dale", "mont", "vil", "ach", "au", "stein", "feld", "hof" };
static const char *const syl3[] = { "", "burg", "heim", "stadt", "field", "ville", "ton", "ia",
	"berg", "dorf", "haven", "wood", "bridge", "port", "furt", "sund", "by", "holm", "ova", "ez" };
static const char *const first[] = { "Anna", "Ben", "Chloé", "David", "Elif", "Finn", "Grace",
	"Hiro", "Ines", "Jonas", "Kai", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa" };
static const char *const last[] = { "Müller", "Smith", "García", "Nguyen", "O'Brien", "Schmidt",
	"Rossi", "Kowalski", "Jensen", "Dubois", "Silva", "Tanaka", "Öztürk", "Novak", "Khan" };
static const char *const companies[] = { "Acme GmbH", "Globex", "\"Initech, Inc.\"", "Umbrella",
	"\"Stark \"\"Industries\"\"\"", "Hooli", "Wayne Enterprises", "\"Müller & Söhne, KG\"", "Vandelay" };
static const char *const positions[] = { "Engineer", "Senior Software Engineer", "CTO",
	"Product Manager", "\"Head of Sales, DACH\"", "Designer", "Recruiter", "Consultant" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	"Sep", "Oct", "Nov", "Dec" };

#define NPLACES 6000

#define PICK(arr, s) (arr[next(s) % (sizeof(arr) / sizeof(arr[0]))])

static const char linkedin_notes[] =
	"Notes:\n"
	"\"When exporting your connection data, you may notice that some of the email addresses are missing. "
	"You will only see email addresses for connections who have allowed their connections to see or download "
	"their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more "
	"here https://www.linkedin.com/help/linkedin/answer/261\"\n"
	"\n";

struct cities {
	char **loc;     /* the quoted CSV cell of each city */
	double *cdf;    /* cdf[k]: weight of ranks 0..k, the last is 1 */
	size_t nr;
};

/* Read CITIES: one location a line; quote each as a CSV cell, drop the admin-1 part of one in eight. */
static int read_cities(const char *path, struct cities *c, uint64_t *s)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t alloc = 0;
	double sum = 0;
	if (!f) {
		perror(path);
		return -1;
	}
	c->nr = 0;
	c->loc = NULL;
	while (fgets(line, sizeof(line), f)) {
		char cell[1100], *p = cell, *c1, *c2;
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (!len)
			continue;
		c1 = strchr(line, ',');
		c2 = strrchr(line, ',');
		if (c1 && c2 != c1 && next(s) % 8 == 0)
			memmove(c1, c2, strlen(c2) + 1); /* "City, Country" */
		*p++ = '"';
		for (const char *q = line; *q; q++) {
			if (*q == '"')
				*p++ = '"';
			*p++ = *q;
		}
		*p++ = '"';
		*p = '\0';
		if (c->nr == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			c->loc = realloc(c->loc, alloc * sizeof(*c->loc));
			if (!c->loc)
				abort();
		}
		c->loc[c->nr] = strdup(cell);
		if (!c->loc[c->nr])
			abort();
		c->nr++;
	}
	fclose(f);
	if (!c->nr) {
		fprintf(stderr, "%s: no cities\n", path);
		return -1;
	}
	c->cdf = malloc(c->nr * sizeof(*c->cdf));
	if (!c->cdf)
		abort();
	for (size_t k = 0; k < c->nr; k++)
		c->cdf[k] = sum += 1.0 / (double)(k + 1);
	for (size_t k = 0; k < c->nr; k++)
		c->cdf[k] /= sum;
	c->cdf[c->nr - 1] = 1.0;
	return 0;
}

/* The city of a uniform u in [0, 1): the first rank whose cdf exceeds u. */
static const char *zipf_city(const struct cities *c, double u)
{
	size_t lo = 0, hi = c->nr - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return c->loc[lo];
}

int main(int argc, char **argv)
{
	static char places[NPLACES][96];
	unsigned long long rows;
	uint64_t seed, s;
	FILE *out;
	static char iobuf[1 << 20];
	const char *cities_path = NULL;
	struct cities real = { 0 };

	if (argc > 2 && !strcmp(argv[1], "-c")) {
		cities_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: genexport [-c CITIES] ROWS OUT [SEED]\n");
		return 64;
	}
	rows = strtoull(argv[1], NULL, 10);
	seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	s = seed;
	for (int i = 0; i < NPLACES; i++) {
		char city[48];
		int form = (int)(next(&s) % 10);
		if (i < (int)(sizeof(real_cities) / sizeof(real_cities[0])))
			snprintf(city, sizeof(city), "%s", real_cities[i]);
		else
			snprintf(city, sizeof(city), "%s%s%s", PICK(syl1, &s), PICK(syl2, &s), PICK(syl3, &s));
		const char *const *st = states[next(&s) % (sizeof(states) / sizeof(states[0]))];
		switch (form) {
		case 0: case 1: case 2:
			snprintf(places[i], sizeof(places[i]), "\"%s, %s, %s\"", city, st[0], PICK(countries, &s));
			break;
		case 3: case 4:
			snprintf(places[i], sizeof(places[i]), "\"%s, %s\"", city, st[1]);
			break;
		case 5: case 6:
			snprintf(places[i], sizeof(places[i]), "\"%s, %s\"", city, PICK(countries, &s));
			break;
		case 7:
			snprintf(places[i], sizeof(places[i]), "Greater %s Area", city);
			break;
		case 8:
			snprintf(places[i], sizeof(places[i]), "%s Metropolitan Area", city);
			break;
		default:
			snprintf(places[i], sizeof(places[i]), "%s", city);
		}
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 73;
	}
	if (cities_path && read_cities(cities_path, &real, &s))
		return 66;
	setvbuf(out, iobuf, _IOFBF, sizeof(iobuf));
	if (cities_path)
		fputs(linkedin_notes, out);
	fputs("First Name,Last Name,URL,Email Address,Company,Position,Connected On,Location\n", out);
	for (unsigned long long r = 0; r < rows; r++) {
		const char *fn = PICK(first, &s), *ln = PICK(last, &s);
		double u = unit(&s);
		const char *place;
		if (u < 0.08)
			place = "";
		else if (cities_path)
			place = zipf_city(&real, (u - 0.08) / 0.92);
		else
			place = places[(int)(NPLACES * (u - 0.08) / 0.92 * (u - 0.08) / 0.92 * (u - 0.08) / 0.92)];
		fprintf(out, "%s,%s,https://www.linkedin.com/in/user-%llu,%s,%s,%s,%02d %s %d,%s\n",
			fn, ln, r,
			next(&s) % 4 ? "" : "someone@example.com",
			PICK(companies, &s), PICK(positions, &s),
			(int)(next(&s) % 28) + 1, PICK(months, &s), 2005 + (int)(next(&s) % 20), place);
	}
	if (fclose(out)) {
		perror(argv[2]);
		return 74;
	}
	return 0;
}
