/* data: the gazetteer and the data directory of a command (see data.h); the outlines are in data_geo.c. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"

#include "banned.h"

void nd_init(struct nr_data *d, const char *dir)
{
	memset(d, 0, sizeof(*d));
	d->dir = xstrdup(dir ? dir : "");
}

void nd_release(struct nr_data *d)
{
	if (d->release_geo)
		d->release_geo(d);
	gz_close(d->gz);
	free(d->dir);
	memset(d, 0, sizeof(*d));
}

int nd_gazetteer(struct nr_data *d, struct gz **out, struct strbuf *err)
{
	if (!d->gz) {
		int rc = gz_open(&d->gz, d->dir, err);
		if (rc) {
			d->gz = NULL;
			return rc;
		}
	}
	*out = d->gz;
	return NR_EX_OK;
}
