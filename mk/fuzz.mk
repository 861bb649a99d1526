# Fuzz targets (libFuzzer, clang). `make fuzz` runs each for FUZZ_SECONDS
# (default 60); `make fuzz-ci` is the short bounded pass that `make check`
# runs. Crashes land in build/fuzz/artifacts/; turn each into a regression
# test under tests/bad/ or a unit test.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 10
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_LIB_OBJ := $(patsubst analyzer/%.c,build/fuzz/obj/%.o,$(LIB_SRC))

.PHONY: fuzz fuzz-build fuzz-ci

build/fuzz/obj:
	mkdir -p $@

build/fuzz/obj/%.o: analyzer/%.c | build/fuzz/obj
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/libnetreach.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $(FUZZ_LIB_OBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libnetreach.a
	$(FUZZ_CC) $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS) -Ianalyzer -MMD -MP \
		-o $@ $< build/fuzz/libnetreach.a $(LIBS)

fuzz-build: $(addprefix build/fuzz/,$(FUZZ_TARGETS)) data

# Run each target for a bounded time over a copy of its committed corpus.
define run_fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		c=$${t#fuzz_}; mkdir -p build/fuzz/corpus/$$c build/fuzz/artifacts; \
		cp -r tests/fuzz/corpus/$$c/. build/fuzz/corpus/$$c/ 2>/dev/null || true; \
		echo "fuzz: $$t for $(1) s"; \
		NETREACH_DATA=$(CURDIR)/build/share/netreach ASAN_OPTIONS=detect_leaks=1 \
		build/fuzz/$$t -max_total_time=$(1) -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
			-artifact_prefix=build/fuzz/artifacts/$$t- -print_final_stats=1 \
			build/fuzz/corpus/$$c tests/fuzz/corpus/$$c >build/fuzz/$$t.log 2>&1 \
			|| { tail -40 build/fuzz/$$t.log; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov:' build/fuzz/$$t.log | tail -3; \
	done
endef

fuzz: fuzz-build
	$(call run_fuzz,$(FUZZ_SECONDS))

fuzz-ci: fuzz-build
	$(call run_fuzz,$(FUZZ_CI_SECONDS))
