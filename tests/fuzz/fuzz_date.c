/* libFuzzer target: "Connected On" date parsing. */
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int m = ing_parse_month((const char *)data, size);
	/* a parsed month is a real calendar month */
	if (m != -1 && (m < 0 || m > 9999 * 12 + 11))
		__builtin_trap();
	return 0;
}
