# ingest: benchmark tools (scripts/bench-ingest) and the generated test
# exports. Built against build/libnetreach.a like the unit tests.

.PHONY: bench-ingest

build/bench:
	mkdir -p $@

build/bench/ingestbench: tests/bench/ingestbench.c build/libnetreach.a | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Ianalyzer -o $@ $< build/libnetreach.a $(LIBS)

build/bench/csvbare: tests/bench/csvbare.c | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ianalyzer -o $@ $< -lcsv

build/bench/genexport: tests/bench/genexport.c | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ianalyzer -o $@ $<

bench-ingest: build/bench/ingestbench build/bench/csvbare build/bench/genexport
	@scripts/bench-ingest
