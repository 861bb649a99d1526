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
