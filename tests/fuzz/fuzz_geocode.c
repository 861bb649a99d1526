/*
 * libFuzzer target: location parsing and geocoding. Each input is one
 * location string; the result must be a well-formed place.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geocode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct gz *gz;
static struct gc *gc;
static unsigned long runs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = STRBUF_INIT;
	const char *dir = getenv("NETREACH_DATA");
	(void)argc;
	(void)argv;
	if (gz_open(&gz, dir ? dir : "build/share/netreach", &err)) {
		fprintf(stderr, "fuzz_geocode: %s (set NETREACH_DATA)\n", err.buf);
		abort();
	}
	gc = gc_new(gz);
	sb_release(&err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct gc_place *p = gc_resolve(gc, (const char *)data, size);
	if (p->level == GC_LEVEL_NONE) {
		if (!p->reason)
			__builtin_trap();
	} else {
		if (!p->name || !p->cc || !(fabs(p->lat) <= 90) || !(fabs(p->lon) <= 180))
			__builtin_trap();
	}
	/* the cache must give the same answer */
	if (gc_resolve(gc, (const char *)data, size) != p)
		__builtin_trap();
	/* bound the cache: start afresh now and then */
	if (++runs % 100000 == 0) {
		gc_free(gc);
		gc = gc_new(gz);
	}
	return 0;
}
