# bench: `make bench` (scripts/bench) tools. Not part of `make check`.
# build/bench, csvbare and genexport are defined in mk/ingest.mk.

build/bench/runstat: tests/bench/runstat.c | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ianalyzer -o $@ $<

build/bench/fpbench: tests/bench/fpbench.c build/libnetreach.a | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ianalyzer -o $@ $< build/libnetreach.a $(LIBS)
