# netreach — see README.md. `make demo` and `make check` are the two entry points.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS := geos proj libutf8proc jansson
VERSION := 0.1.0

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
	-DNR_VERSION='"$(VERSION)"' -DNR_DATADIR='"$(PREFIX)/share/netreach"' \
	-DNR_LIBEXECDIR='"$(PREFIX)/libexec/netreach"'
CFLAGS ?= -O2 -g
LIBS = $(PKG_LIBS) -lcsv -lz -lm -lpthread
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

SRC := $(sort $(wildcard analyzer/*.c))
MAIN_SRC := analyzer/cli.c analyzer/gzindex.c
# the gazetteer builder: linked into build/gzindex (and its unit test) only
TOOL_SRC := analyzer/gazetteer_build.c
LIB_SRC := $(filter-out $(MAIN_SRC) $(TOOL_SRC),$(SRC))
LIB_OBJ := $(patsubst analyzer/%.c,build/obj/%.o,$(LIB_SRC))
ASAN_LIB_OBJ := $(patsubst analyzer/%.c,build/asan/obj/%.o,$(LIB_SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
DATA := build/share/netreach
# runtime data files copied beside the binary (found via <exe>/share/netreach)
DATA_FILES := $(wildcard datasets/world/*.tsv datasets/regions/*.geojson)

.PHONY: all asan deps check unit unit-asan e2e e2e-asan test demo install clean eval bench fuzz valgrind data modules

# build/netreach is the command users run: geocode and inspect in itself,
# linked without GEOS and PROJ (whose 49 shared libraries take ~13 ms to
# load); analyze and compare exec build/netreach-analyze (cli.c built
# without NR_FRONT), which links everything.
all: build/netreach build/netreach-analyze data

deps:
	@scripts/install-deps

# Each object depends on the headers it includes (-MMD -MP writes them to a
# .d file beside it, read at the end of this Makefile), not on every header.
build/obj/%.o: analyzer/%.c | build/obj
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: analyzer/%.c | build/asan/obj
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/obj build/asan/obj build/tests build/asan/tests $(DATA):
	mkdir -p $@

# Modules go into an archive so that a tool or test links only what it uses.
build/libnetreach.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

build/asan/libnetreach.a: $(ASAN_LIB_OBJ)
	rm -f $@ && ar rcs $@ $(ASAN_LIB_OBJ)

build/obj/front.o: analyzer/cli.c | build/obj
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -DNR_FRONT -MMD -MP -c $< -o $@

build/asan/obj/front.o: analyzer/cli.c | build/asan/obj
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -DNR_FRONT -MMD -MP -c $< -o $@

build/netreach: build/obj/front.o build/libnetreach.a
	$(CC) $(CFLAGS) -o $@ $^ -Wl,--as-needed $(LIBS)

build/netreach-analyze: build/obj/cli.o build/libnetreach.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/gzindex: build/obj/gzindex.o build/obj/gazetteer_build.o build/libnetreach.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/asan/netreach: build/asan/obj/front.o build/asan/libnetreach.a | data
	$(CC) $(ASAN_FLAGS) -o $@ $^ -Wl,--as-needed $(LIBS)

build/asan/netreach-analyze: build/asan/obj/cli.o build/asan/libnetreach.a | data
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

asan: build/asan/netreach build/asan/netreach-analyze

# The gazetteer index is built from the committed datasets by the binary itself.
data: $(DATA)/gazetteer.bin $(DATA)/.files

$(DATA)/gazetteer.bin: build/gzindex $(wildcard datasets/gazetteer/*) | $(DATA)
	build/gzindex datasets $@.tmp && mv $@.tmp $@

$(DATA)/.files: $(DATA_FILES) | $(DATA)
	@for f in $(DATA_FILES); do mkdir -p $(DATA)/$$(dirname $${f#datasets/}); cp $$f $(DATA)/$${f#datasets/}; done
	@touch $@

# A test links the objects among its prerequisites (the gazetteer's: the builder) before the archive.
build/tests/%: tests/unit/%.c build/libnetreach.a | build/tests
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -MMD -MP -o $@ $< $(filter %.o,$^) build/libnetreach.a $(LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libnetreach.a | build/asan/tests
	$(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(PKG_CFLAGS) -Ianalyzer -MMD -MP -o $@ $< $(filter %.o,$^) build/asan/libnetreach.a $(LIBS) -lcmocka

build/tests/test_gazetteer: build/obj/gazetteer_build.o
build/asan/tests/test_gazetteer: build/asan/obj/gazetteer_build.o

unit: all $(UNIT_BIN)
	@tests/run-unit build/tests $(UNIT_BIN)

unit-asan: asan $(ASAN_UNIT_BIN)
	@tests/run-unit build/asan/tests $(ASAN_UNIT_BIN)

e2e: all
	@NETREACH=$(CURDIR)/build/netreach tests/e2e/run

e2e-asan: asan
	@NETREACH=$(CURDIR)/build/asan/netreach tests/e2e/run

# The module graph has no include cycle (scripts/check-includes -g draws it),
# and the front binary needs neither GEOS nor PROJ (see data.h).
modules: build/netreach
	@scripts/check-includes
	@if ldd build/netreach | grep -E 'libgeos|libproj'; then \
		echo "modules: build/netreach links GEOS or PROJ (see doc/HACKING.md)"; exit 1; fi
	@echo "modules: no include cycle; build/netreach without GEOS and PROJ"

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory modules unit e2e po-check
	@$(MAKE) --no-print-directory unit-asan e2e-asan fuzz-ci tsan
	@echo "check: all tests passed"

test: check

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

eval: all
	@scripts/eval-geocoder

# The committed sample and its truth are what scripts/gen-sample makes (deterministic).
.PHONY: sample-check
sample-check:
	@mkdir -p build/sample
	@scripts/gen-sample --before build/sample/connections-before.csv build/sample/connections-sample.csv build/sample/truth.json
	@cmp build/sample/connections-sample.csv datasets/samples/connections-sample.csv
	@cmp build/sample/connections-before.csv datasets/samples/connections-before.csv
	@cmp build/sample/truth.json tests/truth/connections-sample.truth.json
	@echo "sample-check: the committed sample matches scripts/gen-sample"

bench: all
	@scripts/bench

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/netreach $(DESTDIR)$(PREFIX)/share/man/man1
	install -d $(DESTDIR)$(PREFIX)/libexec/netreach
	install -m 755 build/netreach $(DESTDIR)$(PREFIX)/bin/netreach
	install -m 755 build/netreach-analyze $(DESTDIR)$(PREFIX)/libexec/netreach/netreach-analyze
	cp -R $(DATA)/. $(DESTDIR)$(PREFIX)/share/netreach/
	rm -f $(DESTDIR)$(PREFIX)/share/netreach/.files
	install -m 644 doc/netreach.1 $(DESTDIR)$(PREFIX)/share/man/man1/netreach.1

clean:
	rm -rf build

# Per-module extras (targets, test data rules) live in mk/*.mk.
-include $(sort $(wildcard mk/*.mk))
-include $(wildcard build/obj/*.d build/asan/obj/*.d build/tsan/obj/*.d build/tests/*.d build/asan/tests/*.d build/fuzz/obj/*.d build/fuzz/*.d build/gc/*.d)
