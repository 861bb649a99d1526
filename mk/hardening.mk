# Hardening checks beyond `make check`:
#   make valgrind  every e2e case with build/netreach under valgrind memcheck
#                  (scripts/valgrind-wrap: memory errors and definite leaks
#                  exit 99, otherwise the golden expectations hold as they are)
#   make tsan      the threaded paths under ThreadSanitizer (tests/bad/threads:
#                  a race exits 66; the report must equal the one-thread one);
#                  part of `make check`
#   make bounds    resource bounds: a 1 GiB file with one quoted field and an
#                  export of 3,000,000 distinct junk locations, each under a
#                  peak RSS limit (/usr/bin/time -v); takes a minute or two and
#                  about 1.1 GB of temporary disk
# See doc/netreach.1, LIMITS.

VALGRIND ?= valgrind
BOUNDS_DIR ?= build/bounds
BOUNDS_1G_MAX_KB ?= 200000
BOUNDS_JUNK_ROWS ?= 3000000
BOUNDS_JUNK_MAX_KB ?= 450000

.PHONY: valgrind bounds tsan

TSAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
TSAN_LIB_OBJ := $(patsubst analyzer/%.c,build/tsan/obj/%.o,$(LIB_SRC))

build/tsan/obj:
	mkdir -p $@

build/tsan/obj/%.o: analyzer/%.c | build/tsan/obj
	$(CC) $(BASE_CFLAGS) $(TSAN_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/tsan/libnetreach.a: $(TSAN_LIB_OBJ)
	rm -f $@ && ar rcs $@ $(TSAN_LIB_OBJ)

build/tsan/netreach-analyze: build/tsan/obj/cli.o build/tsan/libnetreach.a | data
	$(CC) $(TSAN_FLAGS) -o $@ $^ $(LIBS)

tsan: all build/tsan/netreach-analyze build/bench/genexport
	@TSAN_ANALYZE=$(CURDIR)/build/tsan/netreach-analyze REF_ANALYZE=$(CURDIR)/build/netreach-analyze \
		NETREACH_DATA=$(CURDIR)/$(DATA) tests/bad/threads

valgrind: all
	@command -v $(VALGRIND) >/dev/null || { echo "valgrind: not installed (make deps)"; exit 1; }
	@NETREACH=$(CURDIR)/scripts/valgrind-wrap NETREACH_REAL=$(CURDIR)/build/netreach \
		NETREACH_VALGRIND=$$(command -v $(VALGRIND)) tests/e2e/run

bounds: all
	@NETREACH=$(CURDIR)/build/netreach BOUNDS_DIR=$(BOUNDS_DIR) BOUNDS_1G_MAX_KB=$(BOUNDS_1G_MAX_KB) \
		BOUNDS_JUNK_ROWS=$(BOUNDS_JUNK_ROWS) BOUNDS_JUNK_MAX_KB=$(BOUNDS_JUNK_MAX_KB) tests/bad/bounds
