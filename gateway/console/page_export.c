/* page_export: a store export as a CSV download. */
#include "gateway/console/console_int.h"
#include "gateway/console/page_export.h"
#include "gateway/loop/gateway.h"
#include "store/csv.h"

#include <event2/buffer.h>

#include <stdio.h>
#include <stdlib.h>

static int
csv_row(void *arg, int row, int n, const char *const *v)
{
	(void)row;
	csv_write_row(arg, n, v);
	return 0;
}

void
page_export(struct creq *r, enum export_kind kind,
    const struct export_filter *flt, const char *filename)
{
	struct evbuffer *b = NULL;
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	int rc = -1;

	if (f != NULL) {
		rc = store_export(r->gw->store, kind, flt, csv_row, f);
		if (fclose(f) != 0)
			rc = -1;
	}
	if (rc == 0 && (b = evbuffer_new()) != NULL &&
	    evbuffer_add(b, data, len) == 0)
		page_send_csv(r, filename, b);
	else
		page_error(r, 503, "Data tidak dapat dibaca. Coba lagi.");
	if (b != NULL)
		evbuffer_free(b);
	free(data);
}

int
page_export_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;
	int i;

	if (row == 0)
		return 0;
	h_raw(r, "<tr>");
	for (i = 0; i < n; i++)
		h(r, "<td>%s</td>", v[i]);
	h_raw(r, "</tr>");
	return 0;
}
