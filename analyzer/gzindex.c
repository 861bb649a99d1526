/*
 * gzindex: build-time tool compiling datasets/gazetteer/ into the binary
 * gazetteer index, then checking what it wrote: the file is opened as
 * netreach opens it and every section's checksum is verified, so a build
 * whose output does not read back is an error and the file is removed.
 *
 * Usage: gzindex DATASETS_DIR OUT.bin
 *        gzindex --verify INDEX.bin    (check an existing index)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "gazetteer_build.h"
#include "util.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	int rc, verify_only;

	verify_only = argc == 3 && !strcmp(argv[1], "--verify");
	if (argc != 3) {
		fprintf(stderr, "usage: gzindex DATASETS_DIR OUT.bin\n       gzindex --verify INDEX.bin\n");
		return NR_EX_USAGE;
	}
	sb_init(&err, 0);
	rc = verify_only ? NR_EX_OK : gz_build(argv[1], argv[2], &err);
	if (!rc) {
		rc = gz_verify_file(argv[2], &err);
		if (rc && !verify_only)
			unlink(argv[2]); /* never leave an index that does not read back */
	}
	if (rc)
		fprintf(stderr, "gzindex: %s\n", err.buf);
	sb_release(&err);
	return rc;
}
