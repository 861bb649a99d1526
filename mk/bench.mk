# bench: `make bench` (scripts/bench) tools. Not part of `make check`.
# build/bench, csvbare and genexport are defined in mk/ingest.mk.

build/bench/runstat: tests/bench/runstat.c | build/bench
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ianalyzer -o $@ $<
