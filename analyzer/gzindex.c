/*
 * gzindex: build-time tool compiling datasets/gazetteer/ into the binary
 * gazetteer index. Usage: gzindex DATASETS_DIR OUT.bin
 */
#include <stdio.h>

#include "gazetteer.h"
#include "util.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: gzindex DATASETS_DIR OUT.bin\n");
		return NR_EX_USAGE;
	}
	sb_init(&err, 0);
	rc = gz_build(argv[1], argv[2], &err);
	if (rc)
		fprintf(stderr, "gzindex: %s\n", err.buf);
	sb_release(&err);
	return rc;
}
