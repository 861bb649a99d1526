#include "unit.h"

#include <math.h>

#include "gazetteer.h"
#include "geocode.h"
#include "geocode_int.h" /* gc_whole_key, gc_normalize */
#include "util.h"

struct fx {
	struct gz *gz;
	struct gc *gc;
};

static int setup(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct fx *fx = calloc(1, sizeof(*fx));
	sb_init(&err, 0);
	if (!fx || gz_open(&fx->gz, TEST_DATA_DIR, &err)) {
		fprintf(stderr, "gz_open: %s (run `make data` first)\n", err.buf);
		sb_release(&err);
		free(fx);
		return -1;
	}
	sb_release(&err);
	fx->gc = gc_new(fx->gz);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	gc_free(fx->gc);
	gz_close(fx->gz);
	free(fx);
	return 0;
}

static const struct gc_place *res(void **state, const char *s)
{
	struct fx *fx = *state;
	return gc_resolve(fx->gc, s, strlen(s));
}

static double km(double lat1, double lon1, double lat2, double lon2)
{
	const double d = M_PI / 180;
	double a = sin((lat2 - lat1) * d / 2) * sin((lat2 - lat1) * d / 2) +
		   cos(lat1 * d) * cos(lat2 * d) * sin((lon2 - lon1) * d / 2) * sin((lon2 - lon1) * d / 2);
	return 2 * 6371.0 * asin(sqrt(a));
}

/* Expect a town (city, or metro at its principal city) within 25 km of (lat, lon) in country cc (and admin-1 name when given). */
static const struct gc_place *city(void **state, const char *s, const char *cc, const char *admin1, double lat, double lon)
{
	const struct gc_place *p = res(state, s);
	if (p->level != GC_LEVEL_CITY && p->level != GC_LEVEL_METRO)
		fail_msg("'%s': level %s (%s), expected city", s, gc_level_name(p->level), p->reason ? p->reason : p->name);
	if (strcmp(p->cc, cc) || (admin1 && strcmp(p->admin1, admin1)))
		fail_msg("'%s': got %s, %s, %s; expected %s, %s", s, p->name, p->admin1, p->cc, admin1 ? admin1 : "*", cc);
	if (km(p->lat, p->lon, lat, lon) > 25)
		fail_msg("'%s': %s at %.4f,%.4f is %.0f km from the expected point", s, p->name, p->lat, p->lon,
			 km(p->lat, p->lon, lat, lon));
	assert_null(p->reason);
	assert_true(p->confidence > 0 && p->confidence <= 1);
	assert_true(p->key > 0);
	return p;
}

static void none(void **state, const char *s, const char *reason_part)
{
	const struct gc_place *p = res(state, s);
	if (p->level != GC_LEVEL_NONE)
		fail_msg("'%s': resolved to %s (%s, %s), expected unresolved", s, p->name, p->admin1, p->cc);
	assert_non_null(p->reason);
	assert_null(p->name);
	assert_int_equal(p->key, 0);
	if (reason_part && !strstr(p->reason, reason_part))
		fail_msg("'%s': reason '%s' lacks '%s'", s, p->reason, reason_part);
}

static void test_hard_cases(void **state)
{
	const struct gc_place *p, *q;
	p = city(state, "Paris", "FR", NULL, 48.857, 2.352);
	assert_string_equal(p->method, "exact");
	assert_true(p->confidence >= 0.8);
	city(state, "Paris, TX", "US", "Texas", 33.661, -95.556);
	city(state, "Paris, Texas", "US", "Texas", 33.661, -95.556);
	/* several Springfields of similar size and nothing to tell them apart: not a guess */
	p = res(state, "Springfield");
	assert_int_equal(p->level, GC_LEVEL_NONE);
	assert_string_equal(p->reason, "several places have this name; add a region or country");
	p = res(state, "Springfield, United States");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "US");
	q = city(state, "Springfield, IL", "US", "Illinois", 39.802, -89.644);
	assert_true(q->confidence >= 0.8);
	city(state, "Springfield, Illinois, United States", "US", "Illinois", 39.802, -89.644);
	city(state, "Portland", "US", "Oregon", 45.523, -122.676);
	city(state, "Portland, ME", "US", "Maine", 43.657, -70.259);
	city(state, "Portland, OR", "US", "Oregon", 45.523, -122.676);
	city(state, "Atlanta, Georgia", "US", "Georgia", 33.749, -84.388);
	city(state, "Tbilisi, Georgia", "GE", NULL, 41.694, 44.834);
	p = city(state, "Frankfurt", "DE", "Hesse", 50.116, 8.684);
	assert_string_equal(p->name, "Frankfurt am Main");
	p = city(state, "Frankfurt (Oder)", "DE", "Brandenburg", 52.347, 14.551);
	assert_string_equal(p->name, "Frankfurt (Oder)");
	city(state, "Frankfurt an der Oder", "DE", "Brandenburg", 52.347, 14.551);
	p = city(state, "München, Bayern, Deutschland", "DE", "Bavaria", 48.137, 11.575);
	assert_string_equal(p->name, "Munich");
	assert_true(p->confidence >= 0.9);
	city(state, "Muenchen", "DE", "Bavaria", 48.137, 11.575);
	city(state, "Wien, Österreich", "AT", NULL, 48.208, 16.372);
	city(state, "Köln", "DE", "North Rhine-Westphalia", 50.933, 6.950);
	city(state, "Koeln", "DE", "North Rhine-Westphalia", 50.933, 6.950);
	city(state, "Cologne, Germany", "DE", NULL, 50.933, 6.950);
	city(state, "Praha", "CZ", NULL, 50.088, 14.421);
	city(state, "Sheboygan, Wisconsin", "US", "Wisconsin", 43.751, -87.715);
	city(state, "Sheboygan, WI, United States", "US", "Wisconsin", 43.751, -87.715);
	city(state, "St. Gallen", "CH", NULL, 47.424, 9.375);
	city(state, "St. Louis, MO", "US", "Missouri", 38.627, -90.198);
	city(state, "Ft. Worth, Texas", "US", "Texas", 32.725, -97.321);
	city(state, "New York", "US", "New York", 40.714, -74.006);
	city(state, "Berlin, DE", "DE", NULL, 52.524, 13.411);
	city(state, "Dover, DE", "US", "Delaware", 39.158, -75.524);
}

static void test_georgia_alone(void **state)
{
	/* Decision: "Georgia" alone is the country, with low confidence (the US state is as likely). */
	const struct gc_place *p = res(state, "Georgia");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "GE");
	assert_true(p->confidence <= 0.6);
	p = res(state, "Georgia, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->cc, "US");
	assert_string_equal(p->admin1, "Georgia");
	assert_string_equal(p->admin1_code, "GA");
}

static void test_regions_and_countries(void **state)
{
	const struct gc_place *p = res(state, "Bavaria");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->name, "Bavaria");
	assert_string_equal(p->cc, "DE");
	assert_string_equal(p->method, "admin1");
	assert_true(km(p->lat, p->lon, 48.137, 11.575) < 5); /* its most populous place, Munich */
	assert_true(p->key > 0);
	p = res(state, "Bayern");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->name, "Bavaria");
	p = res(state, "Wisconsin, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1_code, "WI");
	assert_string_equal(p->country, "United States");
	assert_string_equal(p->continent, "NA");
	p = res(state, "Germany");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->name, "Germany");
	assert_string_equal(p->admin1, "");
	assert_string_equal(p->admin1_code, "");
	assert_string_equal(p->method, "country");
	uint64_t de = p->key;
	assert_int_equal(res(state, "Deutschland")->key, de);
	assert_int_equal(res(state, "Allemagne")->key, de);
	assert_int_equal(res(state, "  GERMANY ")->key, de);
	p = res(state, "USA");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "US");
	assert_int_equal(res(state, "U.S.")->key, p->key);
	assert_int_equal(res(state, "Vereinigte Staaten")->key, p->key);
	assert_string_equal(res(state, "UK")->cc, "GB");
	assert_string_equal(res(state, "Great Britain")->cc, "GB");
	/* "Region, Country" is how exports write a region: the state, not the capital city elsewhere */
	p = res(state, "Washington, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1_code, "WA");
	p = res(state, "Washington, District of Columbia, United States");
	assert_int_equal(p->level, GC_LEVEL_CITY);
	assert_string_equal(p->admin1_code, "DC");
	/* ... unless the region is named after its own city */
	p = res(state, "Quebec, Canada");
	assert_int_equal(p->level, GC_LEVEL_CITY);
	p = res(state, "Berlin, Germany");
	assert_int_equal(p->level, GC_LEVEL_CITY);
	/* a city that is not in the gazetteer falls back to its region */
	p = res(state, "Qqqxyzville, Wisconsin, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1_code, "WI");
	/* keys differ between levels */
	assert_true(res(state, "Bavaria")->key != res(state, "Germany")->key);
	assert_true(res(state, "Bavaria")->key != res(state, "Munich")->key);
}

static void test_unresolved(void **state)
{
	none(state, "", "empty");
	none(state, "   ", "empty");
	none(state, "Remote", "not a place");
	none(state, "Worldwide", "not a place");
	none(state, "Earth", "not a place");
	none(state, "Global", "not a place");
	none(state, "Anywhere", "not a place");
	none(state, "Home", "not a place");
	none(state, "N/A", "not a place");
	none(state, "n/a", "not a place");
	none(state, "none", "not a place");
	none(state, "unknown", "not a place");
	none(state, "-", "no letters");
	none(state, "\xf0\x9f\x99\x82", "no letters"); /* emoji */
	none(state, "Europe", "continent");
	none(state, "EMEA", "continent");
	none(state, "IN", "ambiguous abbreviation");
	none(state, "CA", "ambiguous abbreviation");
	none(state, "Qqqxyzville", "no known place");
	none(state, "\xff\xfe\x80", NULL); /* invalid UTF-8 does not crash */
	/* hostile sizes: long word lists must not cost quadratic time (this took half a minute once) */
	{
		struct fx *fx = *state;
		struct strbuf big = STRBUF_INIT;
		sb_init(&big, 0);
		sb_adds(&big, "Greater ");
		for (int i = 0; i < 100000; i++)
			sb_adds(&big, "a ");
		sb_adds(&big, "Area");
		const struct gc_place *h = gc_resolve(fx->gc, big.buf, big.len);
		assert_int_equal(h->level, GC_LEVEL_NONE);
		sb_reset(&big);
		for (int i = 0; i < 20000; i++)
			sb_adds(&big, "Paris, ");
		h = gc_resolve(fx->gc, big.buf, big.len);
		assert_int_equal(h->level, GC_LEVEL_CITY);
		assert_string_equal(h->cc, "FR");
		sb_release(&big);
	}
	/* a stop word next to a real place is skipped, not fatal */
	const struct gc_place *p = res(state, "Remote, Germany");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "DE");
}

static void test_metros(void **state)
{
	const struct gc_place *p;
	p = city(state, "Greater Milwaukee Area", "US", "Wisconsin", 43.039, -87.906);
	assert_string_equal(p->method, "metro");
	p = city(state, "San Francisco Bay Area", "US", "California", 37.775, -122.419);
	assert_string_equal(p->method, "metro");
	city(state, "Madison, Wisconsin Area", "US", "Wisconsin", 43.073, -89.401);
	city(state, "Greater New York City Area", "US", "New York", 40.714, -74.006);
	city(state, "Dallas/Fort Worth Area", "US", "Texas", 32.783, -96.807);
	city(state, "Dallas-Fort Worth Metroplex", "US", "Texas", 32.783, -96.807);
	city(state, "Washington D.C. Metro Area", "US", NULL, 38.895, -77.036);
	city(state, "Washington DC-Baltimore Area", "US", NULL, 38.895, -77.036);
	city(state, "Cape Town Area, South Africa", "ZA", NULL, -33.926, 18.423);
	city(state, "Greater Munich Metropolitan Area", "DE", "Bavaria", 48.137, 11.575);
	city(state, "Metropolregion München", "DE", "Bavaria", 48.137, 11.575);
	city(state, "Cologne Bonn Region", "DE", NULL, 50.933, 6.950);
	city(state, "The Randstad, Netherlands", "NL", NULL, 52.374, 4.890);
	city(state, "Mumbai Metropolitan Region", "IN", NULL, 19.073, 72.883);
	/* generic rules for names not in the table */
	p = city(state, "Greater Tucson Area", "US", "Arizona", 32.222, -110.926);
	assert_string_equal(p->method, "metro");
	p = city(state, "Spokane, Washington Area", "US", "Washington", 47.659, -117.426);
	assert_string_equal(p->method, "metro");
	city(state, "Leipzig Metropolitan Area", "DE", "Saxony", 51.340, 12.373);
	city(state, "Greater Kiel Area", "DE", NULL, 54.321, 10.134);
	city(state, "Raleigh/Durham Area", "US", "North Carolina", 35.773, -78.639);
	/*
	 * The longest metro word is stripped, " and surrounding area" rather
	 * than " area": "D.C." is left, the District, so a metro form of D.C.
	 * is the city, never Washington state (whose point is Seattle, 3,700 km off)
	 */
	p = city(state, "Washington, D.C. and surrounding area, United States", "US", "District of Columbia", 38.895, -77.036);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	p = city(state, "Washington, DC surrounding area, United States", "US", "District of Columbia", 38.895, -77.036);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	/*
	 * Morocco's ISO table in iso3166-2-db and CLDR is the one before 2015:
	 * its names are not taken for today's codes, so "Grand Casablanca" is
	 * no alias of Drâa-Tafilalet (code 08 then and now), but a metro form
	 */
	p = city(state, "Grand Casablanca", "MA", "Casablanca-Settat", 33.588, -7.611);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	city(state, "Casablanca, Grand Casablanca, Morocco", "MA", "Casablanca-Settat", 33.588, -7.611);
}

static void test_parsing(void **state)
{
	/* a word in brackets after a name is a note, as in parentheses; brackets elsewhere are placeholders */
	city(state, "Vientiane, Vientiane [prefecture], Laos", "LA", NULL, 17.967, 102.600);
	city(state, "Paris [France]", "FR", NULL, 48.857, 2.352);
	none(state, "[City], [State]", "not a place");
	none(state, "Paris, [France]", "not a place");
	none(state, "Paris [France", "not a place");
	none(state, "Paris [Fr4nce]", "not a place");
	city(state, "Madison WI", "US", "Wisconsin", 43.073, -89.401);
	city(state, "Madison, WI 53703", "US", "Wisconsin", 43.073, -89.401);
	city(state, "Madison, WI 53703-1234", "US", "Wisconsin", 43.073, -89.401);
	city(state, "Springfield (IL)", "US", "Illinois", 39.802, -89.644);
	city(state, "Salt Lake City UT", "US", "Utah", 40.761, -111.891);
	city(state, "Berlin Germany", "DE", NULL, 52.524, 13.411);
	city(state, "Berlin - Germany", "DE", NULL, 52.524, 13.411);
	city(state, "Toronto; Ontario; Canada", "CA", "Ontario", 43.700, -79.416);
	city(state, "Sydney NSW", "AU", "New South Wales", -33.868, 151.207);
	city(state, "Melbourne, VIC, Australia", "AU", "Victoria", -37.814, 144.963);
	city(state, "Melbourne, FL", "US", "Florida", 28.084, -80.608);
	city(state, "Perth, WA", "AU", "Western Australia", -31.952, 115.861);
	city(state, "London, ON", "CA", "Ontario", 42.984, -81.233);
	city(state, "London, United Kingdom", "GB", NULL, 51.509, -0.126);
	city(state, "Taipei City, Taiwan", "TW", NULL, 25.048, 121.532);
	city(state, "NYC", "US", "New York", 40.714, -74.006);
	/* a part that matches nothing is skipped; what follows it is read as its region */
	const struct gc_place *k = res(state, "Kreuzberg Office, Berlin, Germany");
	assert_int_equal(k->level, GC_LEVEL_ADMIN1);
	assert_string_equal(k->admin1, "State of Berlin");
	assert_true(km(k->lat, k->lon, 52.524, 13.411) < 25);
	city(state, "Remote, Berlin", "DE", NULL, 52.524, 13.411);
	/* overseas parts belong to their sovereign country */
	city(state, "Saint-Denis, La Réunion, France", "RE", NULL, -20.882, 55.450);
	/* a region part that exists elsewhere does not override an explicit country */
	city(state, "Tours, Centre, France", "FR", NULL, 47.394, 0.689);
	/* a near spelling inside the named country */
	const struct gc_place *p = city(state, "Sheboygen, Wisconsin, United States", "US", "Wisconsin", 43.751, -87.715);
	assert_string_equal(p->method, "fuzzy");
	p = city(state, "Wroclav, Poland", "PL", NULL, 51.100, 17.033);
	assert_string_equal(p->method, "fuzzy");
	assert_true(p->confidence < 0.7);
	/* coordinates */
	p = res(state, "52.5200, 13.4050");
	assert_int_equal(p->level, GC_LEVEL_CITY);
	assert_string_equal(p->method, "coords");
	assert_double_near(p->lat, 52.52, 1e-9);
	assert_string_equal(p->cc, "DE");
}

static void test_wrong_region(void **state)
{
	/* a stated region is a constraint: no Sheboygan in Illinois, so Illinois (not Sheboygan, Wisconsin) */
	const struct gc_place *p = res(state, "Sheboygan, Illinois");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1, "Illinois");
	/* a town across the border of the region named, the only one of its name in the country */
	p = city(state, "Cape Girardeau, IL", "US", "Missouri", 37.306, -89.518);
	assert_true(p->confidence <= 0.8);
	city(state, "Pembroke, QC", "CA", "Ontario", 45.817, -77.117);
	/*
	 * ... and across the border of an admin-2 region named: Blackpool is a
	 * unitary authority of its own beside Lancashire, Kathmandu a district
	 * beside Bhaktapur; Cornwall, 400 km from Blackpool, still rules it out
	 */
	city(state, "Blackpool, Lancashire, United Kingdom", "GB", "England", 53.817, -3.050);
	city(state, "Kathmandu, Bhaktapur, Nepal", "NP", NULL, 27.702, 85.321);
	p = res(state, "Blackpool, Cornwall, United Kingdom");
	assert_int_equal(p->level, GC_LEVEL_ADMIN2);
	assert_string_equal(p->name, "Cornwall");
	/*
	 * A region part that is only districts named after a town it also names
	 * (Bandundu: the old province, a town and its district) contradicts a
	 * city only from another admin-1 region: Kikwit lies in Kwilu, as the
	 * Bandundu district does; the only Kenge listed lies in Kongo-Central
	 */
	city(state, "Kikwit, Bandundu, Congo (Kinshasa)", "CD", "Kwilu", -5.041, 18.816);
	city(state, "Karonga, Chitipa, Malawi", "MW", "Northern Region", -9.933, 33.933);
	p = res(state, "Kenge, Bandundu, Congo (Kinshasa)");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	/*
	 * A former region is context: Hyderabad has been in Telangana since
	 * 2014, Lubumbashi in Haut-Katanga since 2015; alone, a region split
	 * between several names none of them (the country), and the rump keeps
	 * its name ("Andhra Pradesh" is today's); a city of today's region of
	 * that name comes before one of a region split off: the Ikare of Ondo,
	 * not Ikere-Ekiti (also "Ikare") in Ekiti, Ondo until 1996
	 */
	city(state, "Hyderabad, Andhra Pradesh, India", "IN", "Telangana", 17.384, 78.456);
	city(state, "Lubumbashi, Katanga, Congo (Kinshasa)", "CD", "Haut-Katanga", -11.661, 27.479);
	p = res(state, "Katanga, Congo (Kinshasa)");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	p = res(state, "Andhra Pradesh, India");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1, "Andhra Pradesh");
	city(state, "Ikare, Ondo, Nigeria", "NG", "Ondo State", 7.517, 5.750);
	/* ... and weighs less for a district too: Nyunzu the town, not its territory (centroid 56 km off) */
	p = city(state, "Nyunzu, Katanga, Congo (Kinshasa)", "CD", "Tanganyika", -5.956, 28.016);
	assert_int_equal(p->level, GC_LEVEL_CITY);
	/*
	 * The city, not the district named after it, also when the city carries
	 * the name as a short form of its own (Greater Sudbury; the Sudbury
	 * District's point is 237 km off); the district when the string says so
	 */
	p = city(state, "Sudbury, ON", "CA", "Ontario", 46.490, -80.990);
	assert_string_equal(p->name, "Greater Sudbury");
	city(state, "Xalapa, Veracruz, Mexico", "MX", NULL, 19.531, -96.916);
	p = res(state, "Sudbury District, Ontario");
	assert_int_equal(p->level, GC_LEVEL_ADMIN2);
	/* ... however near the namesake: Kent, Connecticut is not "Kent, NY" */
	p = res(state, "Kent, NY");
	assert_true(p->level != GC_LEVEL_CITY || !strcmp(p->admin1, "New York"));
	assert_string_not_equal(p->admin1, "Connecticut");
	/* not unique and far away: the named region wins */
	p = res(state, "Springfield, Wisconsin, United States");
	assert_true(p->level == GC_LEVEL_ADMIN1 || (p->level == GC_LEVEL_CITY && !strcmp(p->admin1, "Wisconsin")));
	/* a country named in full rules out cities elsewhere */
	p = res(state, "Paris, Germany");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "DE");
}

/* Rules of the ranking, each with the case that motivated it. */
static void test_ranking_rules(void **state)
{
	const struct gc_place *p;
	/*
	 * A region named after a capital that GeoNames puts in a region of its
	 * own ("Minsk City", "Sofia-Capital", "Buenos Aires F.D."): the city.
	 */
	p = city(state, "Minsk, Belarus", "BY", NULL, 53.900, 27.567);
	assert_string_equal(p->name, "Minsk");
	city(state, "Sofia, Bulgaria", "BG", NULL, 42.698, 23.324);
	city(state, "Buenos Aires, Argentina", "AR", NULL, -34.613, -58.377);
	city(state, "Vientiane, Laos", "LA", NULL, 17.967, 102.600);
	/* a canton named after its seat means the seat, also when the seat is known by another name */
	p = city(state, "Lucerne, Switzerland", "CH", NULL, 47.050, 8.305);
	assert_string_equal(p->name, "Luzern");
	city(state, "Freiburg, Schweiz", "CH", NULL, 46.802, 7.151);
	/* ... unless a region word says so */
	p = res(state, "Minsk Region, Belarus");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->cc, "BY");
	p = res(state, "Buenos Aires Province, Argentina");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1_code, "01");
	/* Vietnam's places carry retired admin-1 codes: no region rather than a wrong one */
	p = city(state, "Hanoi", "VN", "", 21.025, 105.841);
	assert_string_equal(p->admin1_code, "");
	city(state, "Ho Chi Minh City, Vietnam", "VN", "", 10.823, 106.630);
	p = res(state, "Lạng Sơn Province");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "VN");
	/* ... but "Washington, United States" stays the state (DC is far away and named otherwise) */
	p = res(state, "Washington, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->admin1_code, "WA");
	p = res(state, "Bavaria, Germany");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	/*
	 * "City, Region, Country" with a region GeoNames draws differently:
	 * the first part is the city, not the region's namesake capital.
	 */
	p = city(state, "Huacho, Lima, Peru", "PE", NULL, -11.107, -77.605);
	assert_string_equal(p->name, "Huacho");
	city(state, "Chancay, Lima, Peru", "PE", NULL, -11.562, -77.270);
	/* a city contradicted by the region after it: not the region's namesake capital either */
	p = res(state, "Dembi Dolo, Addis Ababa, Ethiopia");
	assert_int_not_equal(p->level, GC_LEVEL_CITY);
	assert_string_equal(p->cc, "ET");
	/* ... but a namesake neighbourhood elsewhere (Uptown, Chicago) does not hide the city */
	p = city(state, "Uptown, Dallas, Texas, United States", "US", "Texas", 32.783, -96.807);
	assert_string_equal(p->name, "Dallas");
	city(state, "Uptown, Dallas, TX", "US", "Texas", 32.783, -96.807);
	/* ... while an unknown first part still falls back to the region */
	p = res(state, "Qqqxyzville, Lima, Peru");
	assert_int_not_equal(p->level, GC_LEVEL_NONE);
	assert_string_equal(p->cc, "PE");
	/* alone, a second-order seat of unknown population is not a tiny namesake ("Saidu" = Saidu Sharif) */
	city(state, "Saidu", "PK", NULL, 34.750, 72.357);
	/* a region does not precede itself: "X, X, Country" is the city X in region X */
	city(state, "Lang Son, Lạng Sơn, Vietnam", "VN", NULL, 21.853, 106.761);
	city(state, "Ninh Binh, Ninh Bình, Vietnam", "VN", NULL, 20.258, 105.980);
	city(state, "Salzburg, Salzburg, Austria", "AT", "Salzburg", 47.800, 13.044);
	city(state, "New York, New York, United States", "US", "New York", 40.714, -74.006);
	/* "X and Y" names two places when both sides are names, else it is one name or none */
	city(state, "Rotterdam and The Hague", "NL", NULL, 51.923, 4.479);
	city(state, "Köln und Bonn", "DE", NULL, 50.933, 6.950);
	p = res(state, "Trinidad and Tobago");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "TT");
	none(state, "Sales and Marketing", NULL);
	/* nor does a country: "Kuwait, Kuwait" is its capital; "Germany, Germany" stays the country */
	p = city(state, "Kuwait, Kuwait", "KW", NULL, 29.370, 47.978);
	assert_string_equal(p->name, "Kuwait City");
	city(state, "Luxembourg, Luxembourg", "LU", NULL, 49.612, 6.130);
	assert_int_equal(res(state, "Germany, Germany")->level, GC_LEVEL_COUNTRY);
	assert_int_equal(res(state, "Kuwait")->level, GC_LEVEL_COUNTRY);
	/* a name with " - " in it is not split; "City - Country" still is */
	city(state, "Happy Valley - Goose Bay, NL", "CA", NULL, 53.302, -60.326);
	city(state, "Happy Valley - Goose Bay", "CA", NULL, 53.302, -60.326);
	city(state, "Lyon - France", "FR", NULL, 45.748, 4.847);
	city(state, "Graz - Steiermark - Österreich", "AT", NULL, 47.067, 15.450);
}

/* A bare name that matches nothing: a near spelling of a large place, with low confidence. */
static void test_bare_fuzzy(void **state)
{
	const struct gc_place *p = city(state, "Amsterdm", "NL", NULL, 52.374, 4.890);
	assert_string_equal(p->method, "fuzzy");
	assert_true(p->confidence < 0.5);
	city(state, "Philidelphia", "US", "Pennsylvania", 39.952, -75.164);
	p = city(state, "Cincinatti", "US", "Ohio", 39.162, -84.457); /* 2 edits: lower still */
	assert_true(p->confidence < 0.4);
	city(state, "berlinn", "DE", NULL, 52.524, 13.411);
	/* short names, words that are near no large place, other scripts: nothing */
	none(state, "Amstr", NULL);
	none(state, "Consulting", "names no known place");
	none(state, "Googel", NULL);
	none(state, "Бэрлин", NULL);
	/* a different first letter is not a typo we guess */
	none(state, "Xerlinn", NULL);
}

/* Names in other scripts, indexed for places of population >= 15,000. */
static void test_other_scripts(void **state)
{
	const struct gc_place *p;
	p = city(state, "Москва", "RU", NULL, 55.752, 37.616);
	assert_string_equal(p->name, "Moscow");
	assert_string_equal(p->method, "alternate");
	city(state, "Москва, Россия", "RU", NULL, 55.752, 37.616);
	city(state, "東京", "JP", NULL, 35.690, 139.692);
	city(state, "القاهرة", "EG", NULL, 30.063, 31.250);
	city(state, "서울", "KR", NULL, 37.566, 126.978);
	city(state, "Київ, Україна", "UA", NULL, 50.450, 30.524);
	city(state, "Αθήνα", "GR", NULL, 37.984, 23.728);
	/* case folding applies to other scripts too */
	city(state, "МОСКВА", "RU", NULL, 55.752, 37.616);
}

/* Issue 12: forms people write, and what must never be placed. */
/* gc_whole_key folds segment by segment; the key must be gz_normalize's of the whole, whatever sits at a comma. */
static void test_whole_key(void **state)
{
	struct fx *fx = *state;
	struct gc *gc = fx->gc;
	static const char *const inputs[] = {
		"São Paulo, São Paulo, Brazil", "Zürich, Schweiz", "St, Étienne", "Mt, Kőszeg, Ft", "Köln,,, Deutschland",
		"a,\xcc\x81" "b, Ñ", "\xc3, é", "Sankt, Gallen, Österreich", "Ste, Anne-des-Monts, Québec", "Москва, Россия",
		"Łódź , ", ", Évora", "ﬁ, Ǆ, İstanbul", "O\xe2\x80\x99" "Fallon, Missouri, Ü", "St. Gallen, Sankt Gallen, Suisse",
	};
	struct strbuf want = STRBUF_INIT, scratch = STRBUF_INIT;
	sb_init(&want, 0);
	sb_init(&scratch, 0);
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		const char *s = inputs[i];
		size_t len = strlen(s);
		gz_normalize(&want, &scratch, s, len, 0);
		gc_whole_key(gc, s, len);
		if (gc->key.len != want.len || memcmp(gc->key.buf, want.buf, want.len))
			fail_msg("'%s': whole key '%s', gz_normalize '%s'", s, gc->key.buf, want.buf);
		/* each comma segment: gc_normalize (from the memo when its fold is ASCII) is gz_normalize too */
		for (size_t a = 0; a <= len;) {
			size_t b = a;
			while (b < len && s[b] != ',')
				b++;
			gz_normalize(&want, &scratch, s + a, b - a, 0);
			gc_normalize(gc, s + a, b - a);
			if (gc->key.len != want.len || memcmp(gc->key.buf, want.buf, want.len))
				fail_msg("'%s' segment %zu: '%s', gz_normalize '%s'", s, a, gc->key.buf, want.buf);
			a = b + 1;
		}
	}
	/* "St" ends a segment but not the string: expanded as in the whole string ("saint etienne") */
	gc_whole_key(gc, "St, Étienne", strlen("St, Étienne"));
	assert_string_equal(gc->key.buf, "saint etienne");
	sb_release(&want);
	sb_release(&scratch);
}

static void test_precision(void **state)
{
	const struct gc_place *p;
	/*
	 * A former name of a big city (Austin was "Waterloo") does not outweigh
	 * by size a town whose own name it is: the string cannot tell them
	 * apart. Spellings of the city's own name (Roma, Sevilla) and short
	 * forms still do, and so does a former name no town of 1/100 its size
	 * carries (Bombay)
	 */
	p = res(state, "Waterloo, United States");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	city(state, "Waterloo, IA", "US", "Iowa", 42.493, -92.343);
	city(state, "Roma", "IT", NULL, 41.892, 12.511);
	city(state, "Sevilla", "ES", NULL, 37.383, -5.973);
	city(state, "Bombay", "IN", NULL, 19.073, 72.883);
	/*
	 * ... and the other way round: a bigger place that carries the name as
	 * a former name of its own (Tolyatti was Stavropol, Beaumont in Texas
	 * carries "Jefferson City", Planaltina "Altamira", Tijuana "Zaragoza")
	 * is no namesake of the town whose own name it is. Short forms of a
	 * bigger place's name (Duque de Caxias, Bragança Paulista) and spellings
	 * (St. John's) still are
	 */
	city(state, "Stavropol, Russia", "RU", "Stavropol Kray", 45.043, 41.973);
	city(state, "Jefferson City, United States", "US", "Missouri", 38.577, -92.174);
	city(state, "Altamira, Brazil", "BR", "Pará", -3.203, -52.206);
	city(state, "Zaragoza", "ES", "Aragon", 41.656, -0.877);
	assert_int_equal(res(state, "Bragança, Brazil")->level, GC_LEVEL_COUNTRY);
	assert_int_equal(res(state, "Saint John, Canada")->level, GC_LEVEL_COUNTRY);
	/*
	 * An ambiguity across countries settles no country: "CO" is Colorado
	 * and Colombia, each with a Trinidad, so the answer is neither country;
	 * one within a country and its dependency (Saint-Georges in France and
	 * in French Guiana) still falls back to the country named
	 */
	none(state, "Trinidad, CO", "several places have this name");
	city(state, "Trinidad, Colorado", "US", "Colorado", 37.169, -104.501);
	city(state, "Trinidad, Colombia", "CO", NULL, 5.408, -71.662);
	/*
	 * ... and so does a region abbreviation two countries use: "WA" is
	 * Washington and Western Australia, each with an Esperance of
	 * similar size; a city of one of them alone stays a city
	 */
	none(state, "Esperance, WA", "several places have this name");
	city(state, "Esperance, Western Australia", "AU", "Western Australia", -33.859, 121.892);
	city(state, "Esperance, Washington", "US", "Washington", 47.789, -122.355);
	city(state, "Broome, WA", "AU", "Western Australia", -17.955, 122.239);
	city(state, "Spokane, WA", "US", "Washington", 47.659, -117.429);
	city(state, "Esperance, WA, Australia", "AU", "Western Australia", -33.859, 121.892);
	p = res(state, "Saint-Georges, France");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "FR");
	/* LinkedIn's localized metro phrasings, at the principal city */
	static const struct { const char *s, *cc; double lat, lon; } metros[] = {
		{ "Gran Lima", "PE", -12.043, -77.028 }, { "Gran Santiago", "CL", -33.457, -70.648 },
		{ "Gran Buenos Aires", "AR", -34.613, -58.377 }, { "Grande São Paulo", "BR", -23.548, -46.636 },
		{ "Grande Rio de Janeiro", "BR", -22.903, -43.208 }, { "Grand Bruxelles", "BE", 50.850, 4.349 },
		{ "São Paulo e Região", "BR", -23.548, -46.636 }, { "Região de Porto Alegre", "BR", -30.033, -51.230 },
		{ "Área metropolitana de Buenos Aires", "AR", -34.613, -58.377 },
		{ "Zona metropolitana de Monterrey", "MX", 25.687, -100.316 }, { "Region Stuttgart", "DE", 48.782, 9.177 },
		{ "Metropolregion Nürnberg", "DE", 49.454, 11.077 }, { "Großraum München", "DE", 48.137, 11.575 },
		{ "Köln und Umgebung", "DE", 50.933, 6.950 }, { "Région de Lyon", "FR", 45.748, 4.847 },
		{ "Lyon et périphérie", "FR", 45.748, 4.847 }, { "Milano e dintorni", "IT", 45.464, 9.190 },
		{ "Area metropolitana di Roma", "IT", 41.892, 12.511 }, { "Regio Utrecht", "NL", 52.091, 5.122 },
		{ "Amsterdam en omgeving", "NL", 52.374, 4.890 }, { "São Paulo e Região, Brasil", "BR", -23.548, -46.636 },
	};
	for (size_t i = 0; i < sizeof(metros) / sizeof(metros[0]); i++) {
		p = city(state, metros[i].s, metros[i].cc, NULL, metros[i].lat, metros[i].lon);
		assert_string_equal(p->method, "metro");
		assert_int_equal(p->level, GC_LEVEL_METRO);
		assert_string_equal(gc_level_name(p->level), "metro");
	}
	/* "Provincia di X", "Región de X" are also LinkedIn's words for the metro of city X */
	p = city(state, "Provincia di Firenze, Italia", "IT", "Tuscany", 43.779, 11.246);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	p = city(state, "Región de Mendoza, Argentina", "AR", NULL, -32.890, -68.827);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	/* a curated metro name that contradicts the stated country is read as the pattern it is */
	p = city(state, "Greater Birmingham Area, United States", "US", "Alabama", 33.521, -86.802);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	city(state, "Greater Birmingham Area", "GB", "England", 52.481, -1.900);
	/* an alternate name that is the short form of a place 3x the size of its namesake: Heroica Matamoros */
	p = city(state, "Gran Matamoros", "MX", "Tamaulipas", 25.880, -97.504);
	assert_int_equal(p->level, GC_LEVEL_METRO);
	assert_true(p->confidence <= 0.6);
	city(state, "Matamoros, Mexico", "MX", "Tamaulipas", 25.880, -97.504);
	/* ... but not when the bigger one is less than 3x (Cochin is 1.8x Kochi, Japan), nor when two such readings are far apart */
	none(state, "Kochi", NULL);
	assert_int_equal(res(state, "Caxias, Brazil")->level, GC_LEVEL_COUNTRY);
	/* junk stays unresolved */
	static const char *const junk[] = {
		"home_city, home_state", "NaN", "<script>", "System(\"ls\")", "&lt;b&gt;", "{{city}}", "${location}",
		"%LOCATION%", "=HYPERLINK(\"x\")", "#REF!", "City, State", "[object Object]", "null", "Foo, LS",
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		p = res(state, junk[i]);
		if (p->level != GC_LEVEL_NONE)
			fail_msg("'%s': placed at %s (%s), expected unresolved", junk[i], p->name, p->cc);
	}
	/* "NaN" as programs write it is an empty value; "Nan" as a name is written is the town in Thailand */
	city(state, "Nan, Thailand", "TH", "Nan", 18.787, 100.771);
	p = res(state, "NaN, Thailand");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_int_equal(res(state, "nan, Thailand")->level, GC_LEVEL_COUNTRY);
	assert_int_equal(res(state, "NAN, THAILAND")->level, GC_LEVEL_COUNTRY);
	/* ... but a real place with a parenthesis, an ampersand or an ayn written as a backquote is not junk */
	city(state, "Abha, `Asir, Saudi Arabia", "SA", NULL, 18.216, 42.505);
	assert_int_equal(res(state, "`id`")->level, GC_LEVEL_NONE);
	city(state, "Frankfurt (Oder)", "DE", NULL, 52.347, 14.550);
	assert_int_equal(res(state, "Bosnia & Herzegovina")->level, GC_LEVEL_COUNTRY);
	/* near spellings of short names are other towns: never a city far away */
	static const struct { const char *s; double lat, lon; } near[] = {
		{ "Vasai, India", 19.391, 72.839 }, { "Toshima, Japan", 35.726, 139.717 },
		{ "Yueqing, China", 28.116, 120.962 }, { "Ōta-ku, Japan", 35.561, 139.716 },
	};
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		p = res(state, near[i].s);
		if (p->level == GC_LEVEL_CITY && km(p->lat, p->lon, near[i].lat, near[i].lon) > 161)
			fail_msg("'%s': placed at %s, %.0f km away", near[i].s, p->name, km(p->lat, p->lon, near[i].lat, near[i].lon));
	}
	/* an alternate name with a contradicting region does not win ("Gran" is Esztergom's) */
	p = res(state, "Gran, Lima");
	assert_string_not_equal(p->cc, "HU");
	/*
	 * a region part we cannot read ("Nai Mongol", misspelt) is a constraint
	 * we cannot check: Jining in Shandong is not taken for the one in Inner
	 * Mongolia, though it wins without it; the official romanisation "Nei
	 * Mongol" is Inner Mongolia's name, and names that Jining
	 */
	p = city(state, "Jining, China", "CN", "Shandong", 35.405, 116.581);
	p = res(state, "Jining, Nai Mongol, China");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->cc, "CN");
	city(state, "Jining, Nei Mongol, China", "CN", "Inner Mongolia", 41.028, 113.106);
	/* ... but a town near the named one agrees */
	city(state, "Santa Monica, Los Angeles, CA", "US", "California", 34.019, -118.491);
	/* a namesake in another state is not accepted */
	p = res(state, "Cochrane, Ontario, Canada");
	assert_true(p->level != GC_LEVEL_CITY || !strcmp(p->admin1, "Ontario"));
	/* counties, districts, provinces: as places at their seat, and as context */
	static const struct { const char *s, *cc, *admin1; double lat, lon; } counties[] = {
		{ "Sheboygan County, Wisconsin, United States", "US", "Wisconsin", 43.751, -87.714 },
		{ "Sheboygan County, WI", "US", "Wisconsin", 43.751, -87.714 },
		{ "Douglas County, GA", "US", "Georgia", 33.749, -84.747 },
		{ "Surrey, England, United Kingdom", "GB", "England", 51.25, -0.45 },
		{ "Gurugram, Haryana, India", "IN", "Haryana", 28.460, 77.027 },
		{ "Santa Rosa, Nueva Ecija, Philippines", "PH", NULL, 15.424, 120.939 },
	};
	for (size_t i = 0; i < sizeof(counties) / sizeof(counties[0]); i++) {
		p = res(state, counties[i].s);
		if (p->level != GC_LEVEL_CITY && p->level != GC_LEVEL_ADMIN2)
			fail_msg("'%s': level %s, expected a county or city", counties[i].s, gc_level_name(p->level));
		assert_string_equal(p->cc, counties[i].cc);
		if (counties[i].admin1)
			assert_string_equal(p->admin1, counties[i].admin1);
		if (km(p->lat, p->lon, counties[i].lat, counties[i].lon) > 50)
			fail_msg("'%s': %s is %.0f km off", counties[i].s, p->name, km(p->lat, p->lon, counties[i].lat, counties[i].lon));
	}
	assert_int_equal(res(state, "Sheboygan County, WI")->level, GC_LEVEL_ADMIN2);
	/* ... but a city named like its county stays the city */
	city(state, "Sheboygan, WI", "US", "Wisconsin", 43.751, -87.714);
	city(state, "Bonn", "DE", NULL, 50.734, 7.100);
	/* metro words make a city of a name, not a country ("Gold Coast" was Ghana) */
	p = res(state, "Gold Coast Area, Australia");
	assert_string_equal(p->cc, "AU");
}

/* The region forms of a place (gc_fill_admin2/admin1/country share one filler): every field, per level. */
static void test_fill_regions(void **state)
{
	const struct gc_place *p = res(state, "Sheboygan County, WI");
	assert_int_equal(p->level, GC_LEVEL_ADMIN2);
	assert_string_equal(p->method, "admin2");
	assert_string_equal(p->name, "Sheboygan County");
	assert_string_equal(p->admin2, "Sheboygan County");
	assert_string_equal(p->admin2_code, "117");
	assert_string_equal(p->admin1, "Wisconsin");
	assert_string_equal(p->admin1_code, "WI");
	assert_string_equal(p->cc, "US");
	assert_string_equal(p->continent, "NA");
	assert_true(p->key >> 40 == 3);
	assert_null(p->reason);
	p = res(state, "Wisconsin, United States");
	assert_int_equal(p->level, GC_LEVEL_ADMIN1);
	assert_string_equal(p->method, "admin1");
	assert_string_equal(p->name, "Wisconsin");
	assert_string_equal(p->admin1_code, "WI");
	assert_string_equal(p->admin2, "");
	assert_string_equal(p->admin2_code, "");
	assert_string_equal(p->country, "United States");
	assert_true(p->key >> 40 == 1);
	/* at its most populous place, Milwaukee */
	assert_true(km(p->lat, p->lon, 43.039, -87.906) < 10);
	p = res(state, "Austria");
	assert_int_equal(p->level, GC_LEVEL_COUNTRY);
	assert_string_equal(p->method, "country");
	assert_string_equal(p->name, "Austria");
	assert_string_equal(p->admin1, "");
	assert_string_equal(p->admin1_code, "");
	assert_string_equal(p->admin2, "");
	assert_string_equal(p->cc, "AT");
	assert_string_equal(p->continent, "EU");
	assert_true(p->key >> 40 == 2);
	assert_true(km(p->lat, p->lon, 48.208, 16.372) < 10);
}

/* The reverse geocoder: the nearest place in the country the outlines say, else the point itself there. */
static void test_place_at(void **state)
{
	struct fx *fx = *state;
	struct gc_place p;
	const char *reason = NULL;
	/* Berlin's centre, in Germany: the nearest place, at that place */
	assert_int_equal(gc_place_at(fx->gz, 52.5200, 13.4050, 100, "DE", &p, &reason), 0);
	assert_int_equal(p.level, GC_LEVEL_CITY);
	assert_string_equal(p.method, "nearest");
	assert_string_equal(p.cc, "DE");
	assert_true(km(p.lat, p.lon, 52.52, 13.405) < 10);
	/* the same without outlines */
	assert_int_equal(gc_place_at(fx->gz, 52.5200, 13.4050, 100, NULL, &p, &reason), 0);
	assert_string_equal(p.method, "nearest");
	/* the outlines say another country: the point itself, there, named after the nearest place */
	assert_int_equal(gc_place_at(fx->gz, 52.5200, 13.4050, 100, "PL", &p, &reason), 0);
	assert_string_equal(p.method, "coords");
	assert_string_equal(p.cc, "PL");
	assert_string_equal(p.country, "Poland");
	assert_string_equal(p.continent, "EU");
	assert_double_near(p.lat, 52.52, 1e-9);
	assert_double_near(p.lon, 13.405, 1e-9);
	assert_non_null(p.name);
	assert_true(p.key >> 62 == 1);
	/* nothing within reach: unnamed (the caller names it), or nothing without a country */
	assert_int_equal(gc_place_at(fx->gz, -30.0, -130.0, 100, "FR", &p, &reason), 0);
	assert_null(p.name);
	assert_string_equal(p.cc, "FR");
	assert_int_equal(gc_place_at(fx->gz, -30.0, -130.0, 100, NULL, &p, &reason), -1);
	assert_string_equal(reason, "no known place near the coordinates");
	assert_int_equal(gc_place_at(fx->gz, -30.0, -130.0, 100, "XX", &p, &reason), -1);
	assert_int_equal(gc_place_at(fx->gz, 95.0, 0, 100, "DE", &p, &reason), -1);
	assert_string_equal(reason, "coordinates out of range");
	/* "lat, lon" strings go through it: within 50 km, at the point written */
	const struct gc_place *q = res(state, "52.52, 13.405");
	assert_string_equal(q->method, "coords");
	assert_string_equal(q->cc, "DE");
	assert_double_near(q->lat, 52.52, 1e-9);
	assert_int_equal(res(state, "-30.0, -130.0")->level, GC_LEVEL_NONE);
}

static void test_cache(void **state)
{
	struct fx *fx = *state;
	size_t before = gc_cache_size(fx->gc);
	const struct gc_place *a = gc_resolve(fx->gc, "Sheboygan, Wisconsin", 20);
	assert_int_equal(gc_cache_size(fx->gc), before + 1);
	const struct gc_place *b = gc_resolve(fx->gc, "Sheboygan, Wisconsin", 20);
	assert_ptr_equal(a, b);
	assert_int_equal(gc_cache_size(fx->gc), before + 1);
	/* different bytes are different entries, even when they resolve alike */
	const struct gc_place *c = gc_resolve(fx->gc, "sheboygan, wisconsin", 20);
	assert_ptr_not_equal(a, c);
	assert_int_equal(a->key, c->key);
	/* pointers stay valid while the cache grows past a chunk */
	char buf[32];
	for (int i = 0; i < 3000; i++) {
		int n = snprintf(buf, sizeof(buf), "Nowhere %d", i);
		gc_resolve(fx->gc, buf, (size_t)n);
	}
	assert_int_equal(gc_cache_size(fx->gc), before + 3002);
	assert_string_equal(a->name, "Sheboygan");
	assert_ptr_equal(gc_resolve(fx->gc, "Sheboygan, Wisconsin", 20), a);
	/* input with embedded NUL is a distinct key and does not crash */
	gc_resolve(fx->gc, "Paris\0TX", 8);
}

static void test_tsv(void **state)
{
	struct strbuf out = STRBUF_INIT;
	sb_init(&out, 0);
	gc_write_tsv_header(&out);
	assert_string_equal(out.buf, "input\tstatus\tlat\tlon\tname\tadmin1\tcountry_code\tcountry\tcontinent\tlevel\tconfidence\tmethod\n");
	sb_reset(&out);
	const char *in = "Sheboygan,\tWisconsin\n";
	gc_write_tsv_row(&out, in, strlen(in), res(state, in));
	assert_string_equal(out.buf, "Sheboygan, Wisconsin \tok\t43.75083\t-87.71453\tSheboygan\tWisconsin\tUS\tUnited States\tNA\tcity\t0.95\texact\n");
	sb_reset(&out);
	gc_write_tsv_row(&out, "Remote", 6, res(state, "Remote"));
	assert_string_equal(out.buf, "Remote\tunresolved\t\t\t\t\t\t\t\t\t\t\n");
	sb_reset(&out);
	gc_write_tsv_row(&out, "Germany", 7, res(state, "Germany"));
	assert_non_null(strstr(out.buf, "\tGermany\t\tDE\tGermany\tEU\tcountry\t"));
	/* every row has exactly 12 fields */
	size_t tabs = 0;
	for (size_t i = 0; i < out.len; i++)
		tabs += out.buf[i] == '\t';
	assert_int_equal(tabs, 11);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hard_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_georgia_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_and_countries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unresolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metros, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parsing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranking_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bare_fuzzy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_place_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tsv, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
