#include "unit.h"

#include <unistd.h>

#include "regions.h"
#include "util.h"

/* Load text as a regions file; returns the status, err gets the message. */
static int load_text(const char *text, struct rg_set **set, struct strbuf *notes, struct strbuf *err)
{
	char *path = unit_write_tmp("regions", text);
	int rc;
	sb_reset(err);
	rc = rg_load(set, path, notes, err);
	unlink(path);
	free(path);
	return rc;
}

static void test_assign(void **state)
{
	struct rg_set *set;
	struct strbuf err = STRBUF_INIT, notes = STRBUF_INIT;
	/*
	 * "West" is lon 0..10, lat 0..10 with a hole 2..4; "Overlap" lon 5..15
	 * (file order: West wins where both cover); "Islands" two squares, the
	 * second with an open ring (closed on load).
	 */
	const char *json =
		"{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"name\":\"West\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
		"[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]}},"
		"{\"type\":\"Feature\",\"properties\":{\"name\":\"Overlap\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
		"[[[5,0],[15,0],[15,10],[5,10],[5,0]]]}},"
		"{\"type\":\"Feature\",\"properties\":{\"name\":\"Islands\",\"other\":1},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
		"[[[[20,20],[21,20],[21,21],[20,21],[20,20]]],[[[30,30],[31,30],[31,31],[30,31]]]]}}"
		"]}";
	(void)state;
	sb_init(&err, 0);
	sb_init(&notes, 0);
	assert_int_equal(load_text(json, &set, &notes, &err), NR_EX_OK);
	assert_int_equal(rg_count(set), 3);
	assert_string_equal(rg_name(set, 0), "West");
	assert_string_equal(rg_names(set)[2], "Islands");
	assert_int_equal(rg_repaired(set), 0);
	assert_string_equal(notes.buf, "");
	/* rg_locate takes (lat, lon) */
	assert_int_equal(rg_locate(set, 1, 1), 0);
	assert_int_equal(rg_locate(set, 3, 3), -1);     /* in West's hole, outside Overlap */
	assert_int_equal(rg_locate(set, 7, 7), 0);      /* both: first in file order */
	assert_int_equal(rg_locate(set, 7, 12), 1);
	assert_int_equal(rg_locate(set, 10, 0), 0);     /* boundary counts */
	assert_int_equal(rg_locate(set, 20.5, 20.5), 2);
	assert_int_equal(rg_locate(set, 30.5, 30.5), 2);
	assert_int_equal(rg_locate(set, 12, 1), -1);    /* lat 12 is above every square */
	assert_int_equal(rg_locate(set, 1, 50), -1);
	rg_free(set);
	sb_release(&err);
	sb_release(&notes);
}

static void test_repair(void **state)
{
	struct rg_set *set;
	struct strbuf err = STRBUF_INIT, notes = STRBUF_INIT;
	/* a bow tie: (0,0)-(10,10)-(10,0)-(0,10) crosses itself at (5,5) */
	const char *json =
		"{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"name\":\"Bow tie\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
		"[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}}]}";
	(void)state;
	sb_init(&err, 0);
	sb_init(&notes, 0);
	assert_int_equal(load_text(json, &set, &notes, &err), NR_EX_OK);
	assert_int_equal(rg_repaired(set), 1);
	assert_non_null(strstr(notes.buf, "region 'Bow tie': invalid polygon (Self-intersection"));
	assert_non_null(strstr(notes.buf, "repaired"));
	/* both triangles of the bow tie are kept: left (lon 0..5) and right (lon 5..10) */
	assert_int_equal(rg_locate(set, 5, 1), 0);
	assert_int_equal(rg_locate(set, 5, 9), 0);
	assert_int_equal(rg_locate(set, 1, 5), -1);
	rg_free(set);
	sb_release(&err);
	sb_release(&notes);
}

static void test_errors(void **state)
{
	struct rg_set *set;
	struct strbuf err = STRBUF_INIT;
	static const struct {
		const char *json;
		const char *msg;
	} cases[] = {
		{ "this is not json", "not JSON: line 1" },
		{ "{\"type\":\"Feature\",\"geometry\":null}", "not a GeoJSON FeatureCollection" },
		{ "[1,2]", "not a GeoJSON FeatureCollection" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[]}", "no features" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
		  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}",
		  "feature 1 has no \"name\" property" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"P\"},"
		  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}",
		  "region 'P': geometry is a Point, not a Polygon or MultiPolygon" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"N\"},"
		  "\"geometry\":null}]}",
		  "region 'N': bad geometry: no geometry" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"S\"},"
		  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}}]}",
		  "region 'S': bad geometry: a ring has fewer than 4 positions" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"F\"},"
		  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[200,0],[1,1],[0,0]]]}}]}",
		  "region 'F': bad geometry: a position is outside" },
		{ "{\"type\":\"FeatureCollection\",\"features\":["
		  "{\"type\":\"Feature\",\"properties\":{\"name\":\"D\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},"
		  "{\"type\":\"Feature\",\"properties\":{\"name\":\"D\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}",
		  "two regions are named 'D'" },
		/* a polygon with no area: MakeValid leaves nothing to match */
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"Flat\"},"
		  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[2,0],[1,0],[0,0]]]}}]}",
		  "region 'Flat': invalid polygon (" },
		/* control characters in a name (JSON escapes) or in the parser's excerpt never split the line */
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"a\\nb\\tc\"},"
		  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}",
		  "region 'a b c': geometry is a Point" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"x\\\n\"}}]}",
		  "not JSON: line 2 column 0: invalid escape near '\"x\\ '" },
	};
	(void)state;
	sb_init(&err, 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		set = (struct rg_set *)&err; /* must be reset to NULL on failure */
		if (load_text(cases[i].json, &set, NULL, &err) != NR_EX_DATAERR || !strstr(err.buf, cases[i].msg))
			fail_msg("case %zu: got '%s', want '%s'", i, err.buf, cases[i].msg);
		assert_null(set);
		assert_true(strncmp(err.buf, "'/tmp/netreach-test-regions-", 28) == 0);
		assert_null(strchr(err.buf, '\n'));
	}
	sb_reset(&err);
	assert_int_equal(rg_load(&set, "/nonexistent/regions.geojson", NULL, &err), NR_EX_NOINPUT);
	assert_string_equal(err.buf, "'/nonexistent/regions.geojson': cannot open: no such file or directory");
	sb_reset(&err);
	assert_int_equal(rg_load(&set, "/tmp", NULL, &err), NR_EX_NOINPUT);
	assert_non_null(strstr(err.buf, "is a directory"));
	sb_release(&err);
}

/* Name of the region covering (lat, lon), "(none)" for none. */
static const char *region_at(const struct rg_set *set, double lat, double lon)
{
	int i = rg_locate(set, lat, lon);
	return i < 0 ? "(none)" : rg_name(set, (size_t)i);
}

/* The shipped examples load and put well-known cities where they belong. */
static void test_shipped(void **state)
{
	struct rg_set *set;
	struct strbuf err = STRBUF_INIT, notes = STRBUF_INIT;
	(void)state;
	sb_init(&err, 0);
	sb_init(&notes, 0);
	assert_int_equal(rg_load(&set, TEST_DATA_DIR "/regions/us-census-regions.geojson", &notes, &err), NR_EX_OK);
	assert_int_equal(rg_count(set), 4);
	assert_string_equal(region_at(set, 43.7508, -87.7145), "Midwest");   /* Sheboygan */
	assert_string_equal(region_at(set, 40.7128, -74.0060), "Northeast"); /* New York */
	assert_string_equal(region_at(set, 29.7604, -95.3698), "South");     /* Houston */
	assert_string_equal(region_at(set, 38.9072, -77.0369), "South");     /* Washington DC */
	assert_string_equal(region_at(set, 47.6062, -122.3321), "West");     /* Seattle */
	assert_string_equal(region_at(set, 21.3069, -157.8583), "West");     /* Honolulu */
	assert_string_equal(region_at(set, 61.2181, -149.9003), "West");     /* Anchorage */
	assert_int_equal(rg_locate(set, 43.6532, -79.3832), -1);                           /* Toronto */
	rg_free(set);

	assert_int_equal(rg_load(&set, TEST_DATA_DIR "/regions/dach.geojson", &notes, &err), NR_EX_OK);
	assert_int_equal(rg_count(set), 1);
	assert_int_equal(rg_locate(set, 48.1351, 11.5820), 0);  /* Munich */
	assert_int_equal(rg_locate(set, 47.3769, 8.5417), 0);   /* Zurich */
	assert_int_equal(rg_locate(set, 48.2082, 16.3738), 0);  /* Vienna */
	assert_int_equal(rg_locate(set, 48.8566, 2.3522), -1);  /* Paris */
	rg_free(set);

	assert_int_equal(rg_load(&set, TEST_DATA_DIR "/regions/eu.geojson", &notes, &err), NR_EX_OK);
	assert_int_equal(rg_count(set), 1);
	assert_int_equal(rg_locate(set, 48.8566, 2.3522), 0);   /* Paris */
	assert_int_equal(rg_locate(set, 38.5714, -7.9135), 0);  /* Evora (Lisbon is on the estuary shore) */
	assert_int_equal(rg_locate(set, 60.1699, 24.9384), 0);  /* Helsinki */
	assert_int_equal(rg_locate(set, 51.5074, -0.1278), -1); /* London */
	assert_int_equal(rg_locate(set, 47.3769, 8.5417), -1);  /* Zurich */
	assert_int_equal(rg_locate(set, 59.9139, 10.7522), -1); /* Oslo */
	rg_free(set);
	assert_string_equal(notes.buf, "");
	sb_release(&err);
	sb_release(&notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
