# stats/geo/regions/analyze extras (included by the Makefile).
#
# build/own/tests/test_{geo,stats,regions}: the same unit tests linked against
# only the objects they need, so they build while other modules are in flux.
OWN_OBJ := build/obj/util.o build/obj/text.o build/obj/geo.o build/obj/regions.o build/obj/stats.o

build/own/tests:
	mkdir -p $@

build/own/tests/%: tests/unit/%.c tests/unit/unit.h $(OWN_OBJ) | build/own/tests
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< $(OWN_OBJ) $(LIBS) -lcmocka

.PHONY: own-unit
own-unit: $(DATA)/.files build/own/tests/test_geo build/own/tests/test_stats build/own/tests/test_regions
	@tests/run-unit build/own/tests build/own/tests/test_geo build/own/tests/test_stats build/own/tests/test_regions

OWN_ASAN_OBJ := $(patsubst build/obj/%,build/asan/obj/%,$(OWN_OBJ))

build/own/asan/tests:
	mkdir -p $@

build/own/asan/tests/%: tests/unit/%.c tests/unit/unit.h $(OWN_ASAN_OBJ) | build/own/asan/tests
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< $(OWN_ASAN_OBJ) $(LIBS) -lcmocka

.PHONY: own-unit-asan
own-unit-asan: $(DATA)/.files build/own/asan/tests/test_geo build/own/asan/tests/test_stats build/own/asan/tests/test_regions
	@tests/run-unit build/own/asan/tests build/own/asan/tests/test_geo build/own/asan/tests/test_stats build/own/asan/tests/test_regions

# The committed sample and its truth are what scripts/gen-sample makes (deterministic).
.PHONY: sample-check
sample-check:
	@mkdir -p build/sample
	@scripts/gen-sample --before build/sample/connections-before.csv build/sample/connections-sample.csv build/sample/truth.json
	@cmp build/sample/connections-sample.csv datasets/samples/connections-sample.csv
	@cmp build/sample/connections-before.csv datasets/samples/connections-before.csv
	@cmp build/sample/truth.json tests/truth/connections-sample.truth.json
	@echo "sample-check: the committed sample matches scripts/gen-sample"
